import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { MikroORM } from '@mikro-orm/postgresql';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import express, { type Request, type Response } from 'express';
import {
  GraphQLError,
  specifiedRules,
  validate,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { existsSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { isAllowedOrigin } from './auth/origins.js';
import {
  BackgroundWork,
  createContext,
  createLazyContext,
  NO_COOKIES,
  type Context,
  type CookieJar,
  type RequestMeta,
  type Services,
  type Viewer,
} from './context.js';
import type { Env } from './env.js';
import { ErrorCode, PorticoError } from './errors.js';
import { EventBus } from './events/event-bus.js';
import { deliverOwnCommits } from './events/events.service.js';
import { Gateway } from './gateway/gateway.js';
import { createGatewayHandler } from './gateway/http.js';
import { startJobs } from './jobs/jobs.js';
import { apiRateLimitPlugin, limitWebSocketOperations } from './limits/api-limits.js';
import { createRateLimits } from './limits/limits.js';
import { subscribeWithContextPerEvent } from './events/per-event-context.js';
import {
  resolveSignIn,
  resolveViewer,
  SESSION_COOKIE,
  type SignIn,
  type SignInCredentials,
} from './modules/accounts/accounts.service.js';
import { LiveConnections } from './modules/live/index.js';
import { MailDelivery } from './modules/mail/mail.delivery.js';
import { MAIL_CHANNEL } from './modules/mail/mail.service.js';
import { graphqlOverHttpStatus } from './graphql/http-status.js';
import { requestErrorHandler } from './graphql/request-errors.js';
import { buildSchema } from './schema.js';

export interface PorticoApp {
  server: Server;
  url: string;
  services: Services;
  /** This instance's sender of the mail outbox (mail itself is enqueued with `enqueueMail`). */
  mailDelivery: MailDelivery;
  schema: GraphQLSchema;
  /** Credential verification and usage counting (`/v1/*`). */
  gateway: Gateway;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  env: Env;
  orm: MikroORM;
  log?: Logger;
  /** Run scheduled jobs (pg-boss) in this instance; main.ts does, tests opt in. */
  jobs?: boolean;
}

function requestMeta(req: IncomingMessage): RequestMeta {
  const ua = req.headers['user-agent'];
  return {
    // Express's req.ip (behind a proxy on loopback: the client's address it forwards); a
    // WebSocket upgrade request is not Express's, and has only the socket's address.
    ip: (req as { ip?: string }).ip ?? req.socket.remoteAddress ?? null,
    userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null,
  };
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function cookieJar(res: Response, secure: boolean): CookieJar {
  return {
    set(name, value, maxAgeSeconds) {
      res.append(
        'Set-Cookie',
        serializeCookie(name, value, {
          httpOnly: true,
          sameSite: 'lax',
          secure,
          path: '/',
          maxAge: maxAgeSeconds,
        }),
      );
    },
    clear(name) {
      res.append(
        'Set-Cookie',
        serializeCookie(name, '', {
          httpOnly: true,
          sameSite: 'lax',
          secure,
          path: '/',
          maxAge: 0,
        }),
      );
    },
  };
}

/** The session cookie and bearer token a request carries. */
function credentialsOf(req: IncomingMessage): SignInCredentials {
  return {
    sessionToken: parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE],
    bearerToken: bearerOf(req),
  };
}

async function contextFor(
  services: Services,
  req: IncomingMessage,
  cookies: CookieJar,
): Promise<Context> {
  const em = services.orm.em.fork();
  const viewer = await resolveViewer(em, credentialsOf(req));
  return createContext(services, viewer, requestMeta(req), cookies, em);
}

/** A refused credential (a malformed, unknown, revoked or expired token). */
const isUnauthenticated = (err: unknown): boolean =>
  err instanceof PorticoError && err.extensions.code === ErrorCode.UNAUTHENTICATED;

/**
 * The origins whose pages may open the GraphQL WebSocket (besides the host a request is sent
 * to, see `isAllowedOrigin`): the public URL, the address the server listens on, and
 * ALLOWED_ORIGINS.
 */
function websocketOrigins(env: Env, listeningUrl: string): ReadonlySet<string> {
  const origins = new Set(env.ALLOWED_ORIGINS);
  origins.add(new URL(listeningUrl).origin);
  if (env.PUBLIC_URL) origins.add(new URL(env.PUBLIC_URL).origin);
  return origins;
}

/** Answers an upgrade request with an HTTP error instead of a WebSocket, and hangs up. */
function refuseUpgrade(socket: Duplex, status: number): void {
  const text = STATUS_CODES[status] ?? 'Refused';
  socket.on('error', () => undefined);
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

const INTERNAL_ERROR = 'Something went wrong on our side.';
/** The most lexical tokens a GraphQL document may have. */
const MAX_TOKENS = 5_000;

/**
 * Errors of WebSocket operations as Apollo formats those of HTTP ones: expected failures
 * (PorticoError, validation) as they are, anything unexpected logged and masked.
 */
function formatWsError(error: GraphQLError, log: Logger): GraphQLFormattedError {
  const original = error.originalError;
  if (!original || original instanceof GraphQLError) return error.toJSON();
  const code = (original as { code?: unknown }).code;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') {
    // The client went away while we were sending: nothing to report, nobody to tell.
    log.debug({ err: original }, 'WebSocket closed while sending');
  } else {
    log.error({ err: original }, 'unexpected error in a GraphQL WebSocket operation');
  }
  return {
    message: INTERNAL_ERROR,
    ...(error.path ? { path: error.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function formatWsResult(result: ExecutionResult, log: Logger): FormattedExecutionResult {
  return {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors ? { errors: result.errors.map((e) => formatWsError(e, log)) } : {}),
  };
}

const WEB_DIST_DEFAULT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Everything the server runs, ready to listen: HTTP, GraphQL, WebSocket subscriptions. */
export async function createApp(options: CreateAppOptions): Promise<PorticoApp> {
  const { env, orm } = options;
  const log =
    options.log ??
    pino({ level: env.LOG_LEVEL, redact: ['req.headers.cookie', 'req.headers.authorization'] });
  const mailDelivery = new MailDelivery({
    connectionString: orm.config.getClientUrl(),
    env,
    log: log.child({ component: 'mail' }),
  });
  const events = new EventBus({
    connectionString: env.EVENTS_DATABASE_URL ?? orm.config.getClientUrl(),
    log: log.child({ component: 'events' }),
  });
  // A commit that enqueued mail wakes delivery on every instance (the first to claim it sends).
  events.listen(MAIL_CHANNEL, () => mailDelivery.wake());
  // This instance's own commits reach its own-commit subscribers (the gateway's caches, the
  // live streams' access) before the operation answers, ahead of their notification.
  deliverOwnCommits(orm, events);
  const services: Services = {
    orm,
    env,
    log,
    events,
    limits: createRateLimits(env, log),
    background: new BackgroundWork(),
  };
  const schema = await buildSchema();
  const production = env.NODE_ENV === 'production';

  const gateway = new Gateway({
    connectionString: orm.config.getClientUrl(),
    events,
    log: log.child({ component: 'gateway' }),
    redisUrl: env.REDIS_URL,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // The gateway endpoints are answered straight from node:http; everything else by Express.
  const gatewayHandler = createGatewayHandler(gateway, log.child({ component: 'gateway' }));
  const httpServer = createServer((req, res) => {
    if (req.url?.startsWith('/v1/')) gatewayHandler(req, res);
    else app(req, res);
  });

  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    maxAliases: { n: 30 },
    costLimit: { maxCost: 20_000 },
    // The token limit is the parser's own (parseOptions below): armor's re-parses the document
    // in a plugin hook, where a syntax error becomes a 500.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();

  // The WebSocket upgrade at /graphql, from pages of the portal's own origin (or of
  // ALLOWED_ORIGINS) or from clients that are no browser; any other page gets a 403.
  const wsServer = new WebSocketServer({ noServer: true });
  let allowedOrigins: ReadonlySet<string> = new Set();
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(req.url ?? '/', 'http://portico.invalid');
    if (pathname !== '/graphql') {
      refuseUpgrade(socket, 400);
      return;
    }
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, req.headers.host, allowedOrigins)) {
      log.info({ origin }, 'refused a WebSocket from a page of another origin');
      refuseUpgrade(socket, 403);
      return;
    }
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
  });
  // Each signed-in connection lives as long as its session or token (4401 when it ends).
  const liveConnections = new LiveConnections(events, log.child({ component: 'live' }));
  const wsValidate: typeof validate = (wsSchema, document, rules = specifiedRules, ...rest) =>
    validate(wsSchema, document, [...rules, ...protection.validationRules], ...rest);
  const wsCleanup = useServer(
    {
      schema,
      validate: wsValidate,
      // The connection is signed in by the upgrade request's session cookie or bearer token;
      // a refused token closes it as unauthorized (4401).
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        let signIn: SignIn | null;
        try {
          signIn = await resolveSignIn(orm.em.fork(), credentialsOf(request));
        } catch (err) {
          if (!isUnauthenticated(err)) throw err;
          liveConnections.unauthorized(socket);
          return false;
        }
        if (socket.readyState !== socket.OPEN) return false;
        if (signIn) liveConnections.open(socket, signIn);
        return true;
      },
      onClose: (ctx) => liveConnections.closed(ctx.extra.socket),
      // The viewer is resolved again for each operation; a subscription then runs each event
      // with a fresh context of its own. If what signed the connection in is gone (its notice
      // may still be on its way), the connection is closed as unauthorized.
      context: async (ctx) => {
        const { socket, request } = ctx.extra;
        const em = services.orm.em.fork();
        let viewer: Viewer | null = null;
        try {
          viewer = await resolveViewer(em, credentialsOf(request));
        } catch (err) {
          if (!isUnauthenticated(err)) throw err;
        }
        if (!viewer && liveConnections.signInOf(socket)) liveConnections.unauthorized(socket);
        return createContext(services, viewer, requestMeta(request), NO_COOKIES, em);
      },
      onSubscribe: limitWebSocketOperations(services, (req) =>
        contextFor(services, req, NO_COOKIES),
      ),
      subscribe: (args) =>
        subscribeWithContextPerEvent(args, {
          contextForEvent: (subscription) => {
            const { viewer, request } = subscription as Context;
            return createLazyContext(services, viewer, request);
          },
          viewerKey: (subscription) => {
            const { viewer } = subscription as Context;
            return viewer ? `${viewer.user.id} ${viewer.via} ${viewer.scopes.join(',')}` : '';
          },
          onStreamError: (err) => log.error({ err }, 'an event stream failed'),
        }),
      onNext: (_ctx, _id, _payload, _args, result) => formatWsResult(result, log),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatWsError(e, log)),
    },
    wsServer,
  );
  // graphql-armor is typed against Apollo's CommonJS build; the plugins are the same objects.
  const armorPlugins = protection.plugins as unknown as ApolloServerPlugin<Context>[];
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: env.GRAPHQL_INTROSPECTION ?? !production,
    csrfPrevention: true,
    parseOptions: { maxTokens: MAX_TOKENS },
    plugins: [
      ...armorPlugins,
      apiRateLimitPlugin(),
      graphqlOverHttpStatus(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        // An operation that put mail in the outbox sends it before answering (for a while at
        // most), as mail was sent before; delivery retries whatever does not go out.
        async requestDidStart() {
          return {
            async willSendResponse({ contextValue }) {
              await mailDelivery.deliverNow(contextValue.enqueuedMailIds);
            },
          };
        },
      },
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: false,
    formatError: (formatted, error) => {
      const original = (error as { originalError?: unknown }).originalError;
      if (
        original instanceof PorticoError ||
        formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR'
      ) {
        return formatted;
      }
      log.error({ err: original ?? error }, 'unexpected error in a GraphQL operation');
      return {
        message: 'Something went wrong on our side.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
    },
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database' });
    }
  });

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }: { req: Request; res: Response }) =>
        contextFor(services, req, cookieJar(res, production)),
    }),
  );

  const webDist = env.WEB_DIST ?? WEB_DIST_DEFAULT;
  if (existsSync(path.join(webDist, 'index.html'))) {
    app.use(express.static(webDist, { index: false, maxAge: '1h' }));
    app.get('/{*splat}', (_req, res) => {
      res.sendFile(path.join(webDist, 'index.html'));
    });
  }
  // Last: answers what went wrong (a malformed JSON body above all) without logging the body.
  app.use(requestErrorHandler(log));

  await events.start();
  await gateway.start();
  // Every instance sends the outbox, jobs or not: at once what is due (a crash may have left
  // some), then on each wake-up and retry; with jobs, a cron job also looks every minute.
  mailDelivery.start();
  const jobs = options.jobs ? await startJobs(services, mailDelivery) : null;
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(env.PORT, env.HOST, resolve);
    });
  } catch (err) {
    await jobs?.stop();
    await mailDelivery.stop();
    await gateway.stop();
    await events.stop();
    await apollo.stop();
    await services.limits.close();
    throw err;
  }
  const address = httpServer.address() as AddressInfo;
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${address.port}`;
  allowedOrigins = websocketOrigins(env, url);

  return {
    server: httpServer,
    url,
    services,
    mailDelivery,
    schema,
    gateway,
    async close() {
      await jobs?.stop();
      await apollo.stop();
      wsServer.close();
      liveConnections.stop();
      // Sign-ups finish what they began after answering before their mail and database go.
      await services.background.settled();
      await mailDelivery.stop();
      await gateway.stop();
      await events.stop();
      await services.limits.close();
    },
  };
}
