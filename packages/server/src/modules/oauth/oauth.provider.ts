import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import Provider, {
  type Account,
  type AccessToken,
  type ClientCredentials,
  type Configuration,
  type KoaContextWithOIDC,
  type RefreshToken,
  errors as oauthErrors,
} from 'oidc-provider';
import type { Logger } from 'pino';
import { sha256 } from '../../crypto.js';
import type { Env } from '../../env.js';
import { isEvent } from '../../events/domain-events.js';
import type { EventBus } from '../../events/event-bus.js';
import type { EventRecord } from '../../events/events.service.js';
import { User } from '../accounts/accounts.entity.js';
import { GatewayToken } from '../gateway-tokens/gateway-tokens.entity.js';
import { PostgresOAuthAdapter } from './oauth.adapter.js';
import { findClientApp } from './oauth.clients.js';
import { OAuthAuthorization, OAuthRecord } from './oauth.entity.js';
import { loadSigningKeys, SIGNING_ALG, type SigningKeys } from './oauth.keys.js';
import { tokenRefusal } from './oauth.rules.js';
import {
  PERMISSION_SCOPES,
  PRODUCT_SCOPE,
  splitScopes,
  productScope,
  STATIC_SCOPES,
} from './oauth.scopes.js';

/** Where the authorization server's endpoints live, under the portal's origin. */
export const OAUTH_ROUTES = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  jwks: '/oauth/jwks',
  introspection: '/oauth/token/introspection',
  revocation: '/oauth/token/revocation',
  userinfo: '/oauth/userinfo',
  end_session: '/oauth/logout',
} as const;

/** The consent page of the web app; the provider sends the browser there (`/:uid`). */
export const CONSENT_PATH = '/oauth/consent';

/**
 * The client the gateways introspect as: a gateway token (`Authorization: Bearer pgw_…`) is
 * exchanged for it before the request reaches the provider. Its secret is made per process and
 * known to nobody outside it.
 */
export const GATEWAY_CLIENT_ID = 'portico-gateways';

const REFRESH_TOKEN_TTL_SECONDS = 14 * 24 * 60 * 60;
const GRANT_TTL_SECONDS = 30 * 24 * 60 * 60;

export interface AuthorizationServerOptions {
  orm: MikroORM;
  env: Env;
  log: Logger;
  events: EventBus;
  /** The portal's origin, e.g. `https://portal.example.com`: the tokens' issuer. */
  issuer: string;
}

/** Whether a path is the authorization server's (the consent page's API is Express's). */
export function isOAuthPath(path: string): boolean {
  if (path === '/.well-known/openid-configuration') return true;
  return path.startsWith('/oauth/') && !path.startsWith(`${CONSENT_PATH}/`);
}

const looksLikeJwt = (token: string): boolean => {
  try {
    return !!decodeProtectedHeader(token).alg;
  } catch {
    return false;
  }
};

const isApiScope = (scope: string): boolean =>
  (PERMISSION_SCOPES as readonly string[]).includes(scope) || PRODUCT_SCOPE.test(scope);

/**
 * The OAuth 2.0 / OpenID Connect authorization server (oidc-provider) at the portal's origin,
 * its storage in PostgreSQL. It is rebuilt when the signing keys change (a rotation on any
 * instance), since the library reads its keys once.
 */
export class AuthorizationServer {
  readonly issuer: string;
  /** The API's resource indicator: the audience of every access token for the APIs. */
  readonly audience: string;
  private provider: Provider | null = null;
  private keys: SigningKeys | null = null;
  private unsubscribe: (() => void)[] = [];
  private rebuilding: Promise<void> | null = null;
  private readonly gatewayClientSecret = randomBytes(32).toString('base64url');

  constructor(private readonly options: AuthorizationServerOptions) {
    this.issuer = options.issuer.replace(/\/+$/, '');
    this.audience = `${this.issuer}/v1`;
  }

  async start(): Promise<void> {
    await this.rebuild();
    const onEvent = (event: EventRecord): void => {
      // New signing keys, or new products (whose scopes the library must know by name).
      if (isEvent(event, ['oauth.signing_keys_changed', 'catalog.changed'])) void this.reload();
    };
    this.unsubscribe = [
      this.options.events.subscribeAll(onEvent),
      this.options.events.subscribeOwnCommits(onEvent),
    ];
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
  }

  /** Reads the signing keys again and rebuilds the provider (after a rotation). */
  async reload(): Promise<void> {
    this.rebuilding ??= this.rebuild()
      .catch((err: unknown) =>
        this.options.log.error({ err }, 'reloading OAuth signing keys failed'),
      )
      .finally(() => {
        this.rebuilding = null;
      });
    return this.rebuilding;
  }

  /** The provider (for the consent endpoints: interaction details and results). */
  get current(): Provider {
    if (!this.provider) throw new Error('The authorization server has not started.');
    return this.provider;
  }

  /** The kid new tokens are signed with. */
  get currentKid(): string | null {
    return this.keys?.current ?? null;
  }

  private async rebuild(): Promise<void> {
    const em = this.options.orm.em.fork();
    const keys = await loadSigningKeys(em, this.options.env.OAUTH_KEY_SECRET);
    const products = await em
      .getConnection()
      .execute<{ slug: string }[]>('select slug from api_product order by slug');
    const scopes = new Set([...STATIC_SCOPES, ...products.map((row) => productScope(row.slug))]);
    const provider = new Provider(this.issuer, this.configuration(keys, scopes));
    provider.proxy = true;
    // The stored `client_secret` is the SHA-256 of the secret: compare hashes.
    const ClientClass = provider.Client as unknown as {
      prototype: { clientSecret?: string; compareClientSecret(actual: string): boolean };
    };
    ClientClass.prototype.compareClientSecret = function compare(actual: string): boolean {
      const stored = this.clientSecret;
      if (typeof stored !== 'string' || typeof actual !== 'string') return false;
      const expected = Buffer.from(stored);
      const given = Buffer.from(sha256(actual));
      return expected.length === given.length && timingSafeEqual(expected, given);
    };
    this.watch(provider);
    this.keys = keys;
    this.provider = provider;
  }

  /** Logs what went wrong by error code only: never a token, an assertion or a secret. */
  private watch(provider: Provider): void {
    const log = this.options.log;
    const note = (what: string) => (ctx: KoaContextWithOIDC, err: unknown) => {
      const error = err as { error?: string; status?: number; name?: string };
      const level = (error.status ?? 500) >= 500 ? 'error' : 'info';
      log[level](
        {
          route: ctx.oidc?.route,
          error: error.error ?? error.name,
          ...(level === 'error' ? { err: { name: error.name, stack: (err as Error).stack } } : {}),
        },
        what,
      );
    };
    provider.on('server_error', note('OAuth server error'));
    provider.on('grant.error', note('OAuth token request refused'));
    provider.on('authorization.error', note('OAuth authorization refused'));
    provider.on('introspection.error', note('OAuth introspection refused'));
    provider.on('revocation.error', note('OAuth revocation refused'));
    provider.on('userinfo.error', note('OAuth userinfo refused'));
    provider.on('grant.revoked', (_ctx: KoaContextWithOIDC, grantId: string) =>
      log.info({ grantId }, 'OAuth grant revoked'),
    );
  }

  private configuration(keys: SigningKeys, scopes: ReadonlySet<string>): Configuration {
    const { orm, env } = this.options;
    const audience = this.audience;
    const em = (): EntityManager => orm.em.fork();
    const cookieKeys = keys.privateJwks.map((jwk) =>
      hash('sha256', `oauth-cookies:${String(jwk.d)}`, 'base64url'),
    );
    const recordJwt = async (
      token: AccessToken | ClientCredentials,
      payload: Record<string, unknown>,
    ) => {
      const jti = String(payload.jti);
      const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
      const stored = {
        kind: token.kind,
        jti,
        iat: payload.iat,
        exp,
        clientId: token.clientId,
        accountId: 'accountId' in token ? token.accountId : undefined,
        grantId: 'grantId' in token ? token.grantId : undefined,
        scope: token.scope,
        aud: payload.aud,
        gty: 'gty' in token ? token.gty : undefined,
        sid: 'sid' in token ? token.sid : undefined,
      };
      const record = new OAuthRecord(
        token.kind,
        jti,
        JSON.parse(JSON.stringify(stored)) as Record<string, unknown>,
      );
      record.grantId = stored.grantId ?? null;
      record.expiresAt = exp ? new Date(exp * 1000) : null;
      await em().persist(record).flush();
      if (stored.grantId && stored.accountId) {
        await em().nativeUpdate(
          OAuthAuthorization,
          { grantId: stored.grantId, revokedAt: null },
          { lastUsedAt: new Date() },
        );
      }
    };
    /** Whether the app behind a token may still use it as the app is now. */
    const stillAllowed = async (token: AccessToken | ClientCredentials | RefreshToken) => {
      const app = token.clientId ? await findClientApp(em(), token.clientId) : null;
      if (!app) return false;
      return (
        tokenRefusal(app, {
          onBehalfOfUser: 'accountId' in token && !!token.accountId,
          scopes: splitScopes(token.scope),
        }) === null
      );
    };

    return {
      adapter: (name: string) => new PostgresOAuthAdapter(orm, name, scopes),
      clients: [
        {
          client_id: GATEWAY_CLIENT_ID,
          client_secret: sha256(this.gatewayClientSecret),
          grant_types: [],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      clientDefaults: {
        id_token_signed_response_alg: SIGNING_ALG,
        token_endpoint_auth_method: 'client_secret_basic',
      },
      clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      extraClientMetadata: { properties: ['portico_app_id', 'portico_organization_id'] },
      jwks: {
        keys: keys.privateJwks as Configuration['jwks'] extends { keys: infer K } ? K : never,
      },
      cookies: { keys: cookieKeys, long: { signed: true }, short: { signed: true } },
      scopes: [...scopes],
      claims: {
        openid: ['sub'],
        profile: ['name'],
        email: ['email', 'email_verified'],
      },
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      rotateRefreshToken: true,
      issueRefreshToken: async (_ctx, client, code) =>
        client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
      routes: OAUTH_ROUTES,
      ttl: {
        AccessToken: env.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
        ClientCredentials: env.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
        AuthorizationCode: 60,
        IdToken: 300,
        Interaction: 600,
        Session: 24 * 60 * 60,
        Grant: GRANT_TTL_SECONDS,
        RefreshToken: REFRESH_TOKEN_TTL_SECONDS,
      },
      interactions: {
        url: (_ctx, interaction) => `${CONSENT_PATH}/${interaction.uid}`,
      },
      findAccount: async (_ctx, sub): Promise<Account | undefined> => {
        const user = await em().findOne(User, { id: sub });
        if (!user) return undefined;
        return {
          accountId: user.id,
          claims: () => ({
            sub: user.id,
            name: user.name,
            email: user.email,
            email_verified: user.emailVerifiedAt !== null,
          }),
        };
      },
      formats: {
        customizers: {
          // Each JWT access token is recorded by its jti: revoked, it is refused everywhere.
          jwt: async (_ctx, token, parts) => {
            await recordJwt(token, parts.payload);
          },
        },
      },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        introspection: {
          enabled: true,
          // Gateways see every token; an app only its own. Either way, a token the app may no
          // longer use (OAuth off, a lower level, a lost product, not ACTIVE) is inactive.
          allowedPolicy: async (_ctx, client, token) => {
            if (client.clientId !== GATEWAY_CLIENT_ID && client.clientId !== token.clientId) {
              return false;
            }
            return stillAllowed(token);
          },
        },
        revocation: {
          enabled: true,
          allowedPolicy: async (_ctx, client, token) => client.clientId === token.clientId,
        },
        userinfo: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          // Tokens for the APIs (an API scope, or an app-only token) are JWTs for the API;
          // a sign-in alone gets a token for the userinfo endpoint.
          defaultResource: (ctx) => {
            const params = ctx.oidc.params as { grant_type?: string; scope?: string } | undefined;
            if (params?.grant_type === 'client_credentials') return audience;
            const source =
              ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken ?? null;
            const scopes = source ? [...source.scopes] : splitScopes(params?.scope);
            return scopes.some(isApiScope) ? audience : undefined;
          },
          useGrantedResource: () => true,
          getResourceServerInfo: async (_ctx, resource, client) => {
            if (resource !== audience) throw new oauthErrors.InvalidTarget();
            const allowed = splitScopes(client.scope).filter(isApiScope);
            return {
              scope: allowed.join(' '),
              audience,
              accessTokenTTL: env.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: SIGNING_ALG, kid: keys.current } },
            };
          },
        },
      },
      renderError: (ctx, out) => {
        ctx.type = 'html';
        const text = (value: unknown): string =>
          String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
        ctx.body = `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in error</title></head><body style="font-family:sans-serif;max-width:36rem;margin:4rem auto"><h1>This sign-in cannot go on</h1><p><code>${text(out.error)}</code></p><p>${text(out.error_description)}</p><p><a href="/">Back to Portico</a></p></body></html>`;
      },
    };
  }

  /** The credentials of the gateways' client, for a request a gateway token authenticated. */
  gatewayAuthorization(): string {
    return `Basic ${Buffer.from(`${GATEWAY_CLIENT_ID}:${this.gatewayClientSecret}`).toString('base64')}`;
  }

  /** The jti of a JWT access token this server signed (expired or not), or null. */
  async jtiOf(token: string): Promise<string | null> {
    if (!this.keys) return null;
    const keys = this.keys.privateJwks.map(
      ({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }) => pub as JWK,
    );
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet({ keys }), {
        issuer: this.issuer,
        algorithms: [SIGNING_ALG],
        // An expired token is still found (and reported inactive by the provider).
        currentDate: new Date(0),
      });
      return typeof payload.jti === 'string' ? payload.jti : null;
    } catch {
      return null;
    }
  }

  /**
   * Answers a request for the authorization server. Introspection and revocation also take a
   * JWT access token (the library takes only its stored tokens: the JWT is swapped for its
   * jti), and introspection a gateway token as the caller's credential.
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    // Every URL the provider writes (discovery, redirects, cookies' security) is the issuer's,
    // whatever name or proxy the request came through.
    const issuer = new URL(this.issuer);
    req.headers.host = issuer.host;
    req.headers['x-forwarded-host'] = issuer.host;
    req.headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
    if (
      req.method === 'POST' &&
      (path === OAUTH_ROUTES.introspection || path === OAUTH_ROUTES.revocation)
    ) {
      const body = await readForm(req);
      if (body === null) {
        sendOAuthError(res, 400, 'invalid_request', 'The request body could not be read.');
        return;
      }
      const token = typeof body.token === 'string' ? body.token : undefined;
      if (token && looksLikeJwt(token)) {
        const jti = await this.jtiOf(token);
        // A JWT we did not sign: the provider's lookup of a bogus value finds nothing.
        body.token = jti ?? `unknown-${randomBytes(8).toString('hex')}`;
      }
      if (path === OAUTH_ROUTES.introspection) {
        const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        if (bearer) {
          if (!(await this.isGatewayToken(bearer))) {
            sendOAuthError(res, 401, 'invalid_client', 'This gateway token is unknown or revoked.');
            return;
          }
          req.headers.authorization = this.gatewayAuthorization();
        }
      }
      (req as IncomingMessage & { body?: unknown }).body = stringifyQuery(body);
    }
    this.current.callback()(req, res);
  }

  private async isGatewayToken(token: string): Promise<boolean> {
    const row = await this.options.orm.em
      .fork()
      .findOne(GatewayToken, { tokenHash: sha256(token), revokedAt: null });
    return row !== null;
  }
}

const FORM_LIMIT = 56 * 1024;

/** The urlencoded body of a request, or null when it is too large or not a form. */
async function readForm(req: IncomingMessage): Promise<Record<string, string | string[]> | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT) return null;
    chunks.push(chunk);
  }
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded/i.test(type)) return {};
  const parsed = parseQuery(Buffer.concat(chunks).toString('utf8'));
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined) out[key] = value;
  return out;
}

function sendOAuthError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
): void {
  const text = JSON.stringify({ error, error_description: description });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
