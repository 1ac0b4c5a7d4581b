import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Context, Services, Viewer } from '../context.js';
import type { Env } from '../env.js';
import { ErrorCode, rateLimited, type PorticoError } from '../errors.js';
import { addressKey, type LimitRule } from './limits.js';

/**
 * Rate limits of the GraphQL API: every operation counts against the caller's session, their
 * personal access token, or (anonymous) their address. Over the limit, an HTTP operation is
 * answered RATE_LIMITED with `extensions.retryAfter`, status 429 and `Retry-After`; a
 * WebSocket operation gets the same typed error.
 */
export interface ApiIdentity {
  rule: LimitRule;
  key: string;
}

export function apiIdentity(env: Env, viewer: Viewer | null, ip: string | null): ApiIdentity {
  const windowSeconds = env.RATE_LIMIT_WINDOW_SECONDS;
  if (viewer?.tokenId) {
    return {
      rule: { name: 'api:token', limit: env.RATE_LIMIT_PER_TOKEN, windowSeconds },
      key: viewer.tokenId,
    };
  }
  if (viewer) {
    return {
      rule: { name: 'api:session', limit: env.RATE_LIMIT_PER_SESSION, windowSeconds },
      key: viewer.sessionId ?? viewer.user.id,
    };
  }
  return {
    rule: { name: 'api:address', limit: env.RATE_LIMIT_PER_ADDRESS, windowSeconds },
    key: addressKey(ip),
  };
}

/** Counts one operation of the caller; the error to answer with when over the limit. */
async function refusalFor(services: Services, identity: ApiIdentity): Promise<PorticoError | null> {
  try {
    const result = await services.limits.hit(identity.rule, identity.key);
    return result.allowed ? null : rateLimited(result.retryAfterSeconds);
  } catch (err) {
    services.log.error({ err }, 'the API rate limit could not be checked');
    return null;
  }
}

function retryAfterOf(errors: readonly GraphQLFormattedError[] | undefined): number | null {
  let retryAfter: number | null = null;
  for (const error of errors ?? []) {
    const seconds = error.extensions?.retryAfter;
    if (error.extensions?.code === ErrorCode.RATE_LIMITED && typeof seconds === 'number') {
      retryAfter = Math.max(retryAfter ?? 0, seconds);
    }
  }
  return retryAfter;
}

/**
 * Apollo plugin: counts each HTTP operation as it starts and refuses it, once it is parsed,
 * when over the limit. Any RATE_LIMITED answer (this one, or sign-in attempts) goes out with
 * HTTP 429 and `Retry-After`.
 */
export function apiRateLimitPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const refusal = refusalFor(
        contextValue,
        apiIdentity(contextValue.env, contextValue.viewer, contextValue.request.ip),
      );
      return {
        async didResolveOperation() {
          const error = await refusal;
          if (error) throw error;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const retryAfter = retryAfterOf(response.body.singleResult.errors);
          if (retryAfter === null) return;
          response.http.status = 429;
          response.http.headers.set('retry-after', String(retryAfter));
        },
      };
    },
  };
}

/** What graphql-ws hands its hooks: the connection, with the HTTP upgrade request. */
interface WebSocketConnection {
  extra: { request: IncomingMessage };
}

/**
 * graphql-ws `onSubscribe` hook: counts each WebSocket operation against the connection's
 * caller and refuses it with RATE_LIMITED when over the limit. The caller is worked out once
 * per connection by `identify` (the same as each operation's context); a connection whose
 * credentials are refused counts against its address.
 */
export function limitWebSocketOperations(
  services: Services,
  identify: (request: IncomingMessage) => Promise<Pick<Context, 'viewer' | 'request'>>,
): (connection: WebSocketConnection) => Promise<readonly GraphQLError[] | undefined> {
  const identities = new WeakMap<WebSocketConnection, Promise<ApiIdentity>>();
  return async (connection) => {
    let identity = identities.get(connection);
    if (!identity) {
      const { request } = connection.extra;
      identity = identify(request).then(
        (ctx) => apiIdentity(services.env, ctx.viewer, ctx.request.ip),
        () => apiIdentity(services.env, null, request.socket.remoteAddress ?? null),
      );
      identities.set(connection, identity);
    }
    const error = await refusalFor(services, await identity);
    return error ? [error] : undefined;
  };
}
