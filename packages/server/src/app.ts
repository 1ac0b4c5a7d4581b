import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { MikroORM } from '@mikro-orm/postgresql';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import express, { type Request, type Response } from 'express';
import proxyAddr from 'proxy-addr';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { existsSync } from 'node:fs';
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { isAllowedOrigin } from './auth/origins.js';
import {
  BackgroundWork,
  createContext,
  createLazyContext,
  NO_COOKIES,
  requestFork,
  type Context,
  type CookieJar,
  type RequestMeta,
  type Services,
  type Viewer,
} from './context.js';
import {
  databaseAnswers,
  describeConnectionFailure,
  isDatabaseUnavailable,
} from './db/availability.js';
import type { Env } from './env.js';
import { ErrorCode, PorticoError, serviceUnavailable, untrustedDocument } from './errors.js';
import { EventBus } from './events/event-bus.js';
import { deliverOwnCommits } from './events/events.service.js';
import { markReadOnly } from './db/rows.js';
import { Gateway } from './gateway/gateway.js';
import { createGatewayHandler } from './gateway/http.js';
import { MockUpstream } from './gateway/mock-upstream.js';
import { HttpDrain, listen } from './http-drain.js';
import { startJobs } from './jobs/jobs.js';
import { lateEventWindowMs, usageRetention } from './modules/usage/usage.settings.js';
import { apiRateLimitPlugin, limitWebSocketOperations } from './limits/api-limits.js';
import { queryBudgetPlugin } from './limits/query-budget.js';
import { createRateLimits } from './limits/limits.js';
import {
  subscribeWithContextPerEvent,
  type DirectSender,
  type PerEventOptions,
} from './events/per-event-context.js';
import { sharedDocumentParser } from './graphql/shared-documents.js';
import {
  resolveSignIn,
  resolveViewer,
  SESSION_COOKIE,
  type SignIn,
  type SignInCredentials,
} from './modules/accounts/accounts.service.js';
import { SessionCache } from './modules/accounts/session-cache.js';
import { detachedViewer, LiveConnections } from './modules/live/index.js';
import { isExportName, streamExport } from './modules/staff/index.js';
import { AuthorizationServer, consentRouter, isOAuthPath } from './modules/oauth/index.js';
import { MailDelivery } from './modules/mail/mail.delivery.js';
import { MAIL_CHANNEL, publicBaseUrl } from './modules/mail/mail.service.js';
import { WebhookDeliveries, WEBHOOKS_CHANNEL } from './modules/webhooks/index.js';
import { graphqlOverHttpStatus } from './graphql/http-status.js';
import { requestErrorHandler } from './graphql/request-errors.js';
import {
  GRAPHQL_BODY_LIMIT,
  graphqlHttpHandler,
  isPlainGraphqlPost,
} from './graphql/http-handler.js';
import {
  needsTrustedDocument,
  TrustedDocuments,
  trustedDocumentsPlugin,
  trustedDocumentsStore,
} from './graphql/trusted-documents.js';
import { buildSchema } from './schema.js';
import { changelogFeed } from './modules/catalogue/index.js';

export interface PorticoApp {
  server: Server;
  url: string;
  services: Services;
  /** This instance's sender of the mail outbox (mail itself is enqueued with `enqueueMail`). */
  mailDelivery: MailDelivery;
  /** This instance's sender of the webhook outbox (deliveries are written with each event). */
  webhookDeliveries: WebhookDeliveries;
  schema: GraphQLSchema;
  /** Credential verification and usage counting (`/v1/*`). */
  gateway: Gateway;
  /** Signed-in sessions this instance has seen, kept true by the access events. */
  sessions: SessionCache;
  /** The OAuth 2.0 / OpenID Connect authorization server (`/oauth/*`). */
  oauth: AuthorizationServer;
  /** The web app's documents, the only ones a session may run (TRUSTED_DOCUMENTS). */
  trustedDocuments: TrustedDocuments;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  env: Env;
  orm: MikroORM;
  log?: Logger;
  /** Run scheduled jobs (pg-boss) in this instance; main.ts does, tests opt in. */
  jobs?: boolean;
  /** Answer the live products' paths with their OpenAPI examples (default: MOCK_UPSTREAM). */
  mockUpstream?: boolean;
}

/** The proxies whose X-Forwarded-For is believed: those on loopback (Express's `trust proxy`). */
const TRUST_PROXY = 'loopback';
const trustedProxy = proxyAddr.compile(TRUST_PROXY);

function requestMeta(req: IncomingMessage): RequestMeta {
  const ua = req.headers['user-agent'];
  return {
    // As Express's req.ip: behind a proxy on loopback, the client's address it forwards.
    ip: req.socket.remoteAddress ? proxyAddr(req, trustedProxy) : null,
    userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null,
  };
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function cookieJar(res: ServerResponse, secure: boolean): CookieJar {
  return {
    set(name, value, maxAgeSeconds) {
      res.appendHeader(
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
      res.appendHeader(
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
    address: requestMeta(req).ip,
  };
}

/** The request's context; SERVICE_UNAVAILABLE when the viewer cannot be read from the database. */
async function contextFor(
  services: Services,
  sessions: SessionCache,
  req: IncomingMessage,
  cookies: CookieJar,
): Promise<Context> {
  const em = requestFork(services.orm);
  try {
    const viewer = await resolveViewer(em, credentialsOf(req), sessions);
    return createContext(services, viewer, requestMeta(req), cookies, em);
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw serviceUnavailable();
    throw err;
  }
}

/** HTTP statuses of the typed errors an export answers with. */
const EXPORT_ERROR_STATUS: Record<string, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/** A refused credential (a malformed, unknown, revoked or expired token). */
const isUnauthenticated = (err: unknown): boolean =>
  err instanceof PorticoError && err.extensions.code === ErrorCode.UNAUTHENTICATED;

function isServiceUnavailable(error: unknown): error is PorticoError {
  return error instanceof PorticoError && error.extensions.code === ErrorCode.SERVICE_UNAVAILABLE;
}

/** How long to wait before retrying an operation answered with SERVICE_UNAVAILABLE. */
const RETRY_AFTER_SECONDS = '1';

/**
 * The close code of a WebSocket that could not be signed in because the database is out of
 * reach: 1013 (Try Again Later), which graphql-ws clients retry (4500 they never do).
 */
const TRY_AGAIN_LATER_CLOSE_CODE = 1013;

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

/** What a live subscription keeps to make each event's context: who it is for, from where. */
interface KeptForEvents {
  viewer: Viewer | null;
  request: RequestMeta;
}

/**
 * An error that is not an expected failure: SERVICE_UNAVAILABLE when the database was out of
 * reach (logged as a warning, by name and code only: the message may quote a statement), else
 * null (the caller logs it and masks it).
 */
function unavailableError(
  error: GraphQLError | GraphQLFormattedError,
  original: unknown,
  log: Logger,
): GraphQLFormattedError | null {
  if (!isDatabaseUnavailable(original)) return null;
  log.warn({ error: describeConnectionFailure(original) }, 'database unavailable for an operation');
  return {
    message: serviceUnavailable().message,
    ...(error.path ? { path: error.path } : {}),
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
  };
}

/**
 * Errors of WebSocket operations as Apollo formats those of HTTP ones: expected failures
 * (PorticoError, validation) as they are, anything unexpected logged and masked.
 */
function formatWsError(error: GraphQLError, log: Logger): GraphQLFormattedError {
  const original = error.originalError;
  if (!original || original instanceof GraphQLError) return error.toJSON();
  const unavailable = unavailableError(error, original, log);
  if (unavailable) return unavailable;
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

/**
 * Formatted results by result: subscribers that share an event's execution (see
 * per-event-context.ts) share its formatted result too, and its errors are logged once.
 */
const formattedWsResults = new WeakMap<ExecutionResult, FormattedExecutionResult>();

function formatWsResult(result: ExecutionResult, log: Logger): FormattedExecutionResult {
  let formatted = formattedWsResults.get(result);
  if (!formatted) {
    formatted = {
      ...(result.data !== undefined ? { data: result.data } : {}),
      ...(result.errors ? { errors: result.errors.map((e) => formatWsError(e, log)) } : {}),
    };
    formattedWsResults.set(result, formatted);
  }
  return formatted;
}

/**
 * Past this many bytes waiting in a WebSocket's buffer, its subscriptions' results go through
 * graphql-ws one at a time again, each waiting for the one before to be written: a client that
 * keeps falling behind then fills its stream's queue and is told to resubscribe.
 */
const DIRECT_SEND_BUFFER_LIMIT = 64 * 1024;

/**
 * Sends a subscription's results to its WebSocket as graphql-ws's `next` message, with the
 * operation's id, without graphql-ws's per-result promises (see per-event-context.ts).
 */
function webSocketSender(socket: WebSocket, id: string): DirectSender {
  const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return {
    ready: () =>
      socket.readyState === socket.OPEN && socket.bufferedAmount < DIRECT_SEND_BUFFER_LIMIT,
    send: (serialized) => socket.send(`${prefix}${serialized}}`),
  };
}

const WEB_DIST_DEFAULT = fileURLToPath(new URL('../../web/dist', import.meta.url));
const TRUSTED_DOCUMENTS_DEFAULT = fileURLToPath(
  new URL('../../../trusted-documents.json', import.meta.url),
);

/**
 * The trusted documents of TRUSTED_DOCUMENTS_FILE. Enforced, they must be there; switched
 * off, a missing file leaves none (hashes are then unknown, documents still run).
 */
async function loadTrustedDocuments(env: Env, log: Logger): Promise<TrustedDocuments> {
  const file = env.TRUSTED_DOCUMENTS_FILE ?? TRUSTED_DOCUMENTS_DEFAULT;
  const reload = env.NODE_ENV !== 'production';
  if (env.TRUSTED_DOCUMENTS === 'enforce') return TrustedDocuments.load(file, { reload });
  try {
    return await TrustedDocuments.load(file, { reload });
  } catch (err) {
    log.warn({ err }, 'no trusted documents (TRUSTED_DOCUMENTS=off)');
    return TrustedDocuments.of({});
  }
}

/** Everything the server runs, ready to listen: HTTP, GraphQL, WebSocket subscriptions. */
export async function createApp(options: CreateAppOptions): Promise<PorticoApp> {
  const { env, orm } = options;
  const log =
    options.log ??
    pino({ level: env.LOG_LEVEL, redact: ['req.headers.cookie', 'req.headers.authorization'] });
  // First: a server that cannot know the web app's documents starts nothing.
  const trustedDocuments = await loadTrustedDocuments(env, log);
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
  // Sessions seen before, by token hash: a request with a session cookie asks no database.
  const sessions = new SessionCache(events);
  const services: Services = {
    orm,
    env,
    log,
    events,
    limits: createRateLimits(env, log),
    background: new BackgroundWork(),
  };
  const webhookDeliveries = new WebhookDeliveries({
    services: { ...services, log: log.child({ component: 'webhooks' }) },
  });
  // A commit that enqueued deliveries wakes every instance (the first to claim one sends it).
  events.listen(WEBHOOKS_CHANNEL, () => webhookDeliveries.wake());
  const schema = await buildSchema();
  const production = env.NODE_ENV === 'production';

  const gateway = new Gateway({
    connectionString: orm.config.getClientUrl(),
    events,
    log: log.child({ component: 'gateway' }),
    redisUrl: env.REDIS_URL,
    lateEventWindowMs: lateEventWindowMs(usageRetention(env)),
  });

  const app = express();
  let oauthRouter: ReturnType<typeof consentRouter> | null = null;
  app.disable('x-powered-by');
  app.set('trust proxy', TRUST_PROXY);
  // The gateway endpoints are answered straight from node:http; everything else by Express.
  const gatewayHandler = createGatewayHandler(gateway, log.child({ component: 'gateway' }));
  const mockUpstream =
    (options.mockUpstream ?? env.MOCK_UPSTREAM)
      ? new MockUpstream(gateway, orm, log.child({ component: 'mock-upstream' }))
      : null;
  // The authorization server's issuer is the portal's origin: known once the server listens.
  let oauth: AuthorizationServer | null = null;
  const oauthLog = log.child({ component: 'oauth' });
  // Set once Apollo Server has started (below).
  let graphqlHandler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const httpServer = createServer((req, res) => {
    if (req.url?.startsWith('/v1/')) gatewayHandler(req, res);
    else if (mockUpstream?.handles((req.url ?? '').split('?')[0] ?? '')) {
      mockUpstream.handle(req, res);
    } else if (oauth && isOAuthPath((req.url ?? '').split('?')[0] ?? '')) {
      oauth.handle(req, res).catch((err: unknown) => {
        oauthLog.error({ err }, 'OAuth request failed');
        if (!res.headersSent) res.writeHead(503, { 'retry-after': '1' });
        res.end();
      });
    } else if (graphqlHandler && isPlainGraphqlPost(req)) graphqlHandler(req, res);
    else app(req, res);
  });

  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    maxAliases: { n: 30 },
    // The size of an operation is limited by its cost (limits/query-cost.ts: objects counted
    // from the page sizes asked for, at most MAX_NODES), not by armor's depth-weighted estimate,
    // which grows with every level of a connection however small its pages.
    costLimit: { enabled: false },
    // The token limit is the parser's own (parseOptions below): armor's re-parses the document
    // in a plugin hook, where a syntax error becomes a 500.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();

  // The WebSocket upgrade at /graphql, from pages of the portal's own origin (or of
  // ALLOWED_ORIGINS) or from clients that are no browser; any other page gets a 403.
  const wsServer = new WebSocketServer({ noServer: true });
  const httpDrain = new HttpDrain(httpServer);
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
    httpDrain.trackUpgraded(socket);
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
  });
  // Each signed-in connection lives as long as its session or token (4401 when it ends).
  const liveConnections = new LiveConnections(events, log.child({ component: 'live' }));
  /**
   * Each WebSocket operation's context, made in `onSubscribe` and taken by `context`: there a
   * database out of reach fails that operation alone with SERVICE_UNAVAILABLE, where a throw
   * from `context` would close the socket with 4500, which graphql-ws clients never retry.
   */
  const wsContexts = new WeakMap<object, Map<string, Context>>();
  /** Each subscription's direct sender, by the context its operation was given. */
  const wsSenders = new WeakMap<object, DirectSender>();
  const limitOperation = limitWebSocketOperations(services, (req) =>
    contextFor(services, sessions, req, NO_COOKIES),
  );
  const wsValidate: typeof validate = (wsSchema, document, rules = specifiedRules, ...rest) =>
    validate(wsSchema, document, [...rules, ...protection.validationRules], ...rest);
  // How each subscription runs its events (one set of functions for all of them).
  const perEvent: PerEventOptions = {
    keepForEvents: (subscription): KeptForEvents => {
      const { viewer, request } = subscription as Context;
      return { viewer: viewer && detachedViewer(viewer), request };
    },
    contextForEvent: (kept) => {
      const { viewer, request } = kept as KeptForEvents;
      return createLazyContext(services, viewer, request);
    },
    viewerKey: (subscription) => {
      const { viewer } = subscription as Context;
      // A fine-grained token's own permissions and binding shape what its results hold.
      if (!viewer) return '';
      const what = viewer.grant ? (viewer.tokenId ?? '') : viewer.scopes.join(',');
      return `${viewer.user.id} ${viewer.via} ${what}`;
    },
    onStreamError: (err) => log.error({ err }, 'an event stream failed'),
    directSender: (subscription) => wsSenders.get(subscription as object) ?? null,
    serializeResult: (result) => JSON.stringify(formatWsResult(result, log)),
  };
  const wsCleanup = useServer(
    {
      schema,
      parse: sharedDocumentParser(),
      validate: wsValidate,
      // The connection is signed in by the upgrade request's session cookie or bearer token;
      // a refused token closes it as unauthorized (4401).
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        let signIn: SignIn | null;
        try {
          signIn = await resolveSignIn(orm.em.fork(), credentialsOf(request), sessions);
        } catch (err) {
          if (isDatabaseUnavailable(err)) {
            socket.close(TRY_AGAIN_LATER_CLOSE_CODE, 'Database unavailable; try again shortly');
            return false;
          }
          if (!isUnauthenticated(err)) throw err;
          liveConnections.unauthorized(socket);
          return false;
        }
        if (socket.readyState !== socket.OPEN) return false;
        if (signIn) liveConnections.open(socket, signIn);
        return true;
      },
      onClose: (ctx) => liveConnections.closed(ctx.extra.socket),
      // Each operation counts against its caller's API limit; then the viewer is resolved
      // again, and a subscription runs each event with a fresh context of its own. If what
      // signed the connection in is gone (its notice may still be on its way), the connection
      // is closed as unauthorized.
      onSubscribe: async (ctx, id, payload) => {
        const refused = await limitOperation(ctx);
        if (refused) return refused;
        const { socket, request } = ctx.extra;
        const em = requestFork(services.orm);
        let viewer: Viewer | null = null;
        try {
          viewer = await resolveViewer(em, credentialsOf(request), sessions);
        } catch (err) {
          if (isDatabaseUnavailable(err)) return [serviceUnavailable()];
          if (!isUnauthenticated(err)) throw err;
        }
        if (!viewer && liveConnections.isSignedIn(socket)) liveConnections.unauthorized(socket);
        // Signed in by the session cookie, only the web app's own documents run.
        if (needsTrustedDocument(env.TRUSTED_DOCUMENTS, viewer)) {
          let trusted = false;
          try {
            trusted = await trustedDocuments.trusts(
              parse(payload.query, { maxTokens: MAX_TOKENS }),
            );
          } catch {
            // A document that does not parse is no trusted document.
          }
          if (!trusted) return [untrustedDocument()];
        }
        let byId = wsContexts.get(ctx);
        if (!byId) wsContexts.set(ctx, (byId = new Map()));
        const context = createContext(services, viewer, requestMeta(request), NO_COOKIES, em);
        wsSenders.set(context, webSocketSender(socket, id));
        byId.set(id, context);
        return undefined;
      },
      context: (ctx, id) => {
        const byId = wsContexts.get(ctx);
        const context = byId?.get(id);
        if (!context) throw new Error(`No context was made for operation ${id}.`);
        byId?.delete(id);
        return context;
      },
      subscribe: (args) => subscribeWithContextPerEvent(args, perEvent),
      onNext: (_ctx, _id, _payload, _args, result) => formatWsResult(result, log),
      onError: (ctx, id, _payload, errors) => {
        wsContexts.get(ctx)?.delete(id);
        return errors.map((e) => formatWsError(e, log));
      },
    },
    wsServer,
  );
  // graphql-armor is typed against Apollo's CommonJS build; the plugins are the same objects.
  const armorPlugins = protection.plugins as unknown as ApolloServerPlugin<Context>[];
  const apollo = new ApolloServer<Context>({
    schema,
    // The portal's NODE_ENV, not the process's; and no signal handlers of Apollo's own: the
    // process's shutdown (main.ts) stops Apollo once, with everything else, in its order.
    nodeEnv: env.NODE_ENV,
    stopOnTerminationSignals: false,
    introspection: env.GRAPHQL_INTROSPECTION ?? !production,
    csrfPrevention: true,
    // `extensions.persistedQuery` names a trusted document by its hash; nothing else is stored.
    persistedQueries: { cache: trustedDocumentsStore(trustedDocuments), ttl: null },
    parseOptions: { maxTokens: MAX_TOKENS },
    plugins: [
      ...armorPlugins,
      trustedDocumentsPlugin(trustedDocuments, env.TRUSTED_DOCUMENTS),
      apiRateLimitPlugin(),
      queryBudgetPlugin(),
      graphqlOverHttpStatus(),
      {
        // Apollo's own drain plugin counts every request of every socket; this one asks Node.
        async serverWillStart() {
          return { drainServer: () => httpDrain.drain() };
        },
      },
      // No field sets a cache hint: without this, Apollo's cache-control plugin wraps every
      // field's resolver to read hints that never come.
      ApolloServerPluginCacheControlDisabled(),
      {
        // A query changes nothing: the lists it reads become views, not managed entities.
        async requestDidStart() {
          return {
            async didResolveOperation({ operation, contextValue }) {
              if (operation?.operation === 'query') markReadOnly(contextValue.em);
            },
          };
        },
      },
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
        // The database was out of reach: answer 503 with Retry-After, as /readyz does, so
        // that clients and proxies know to retry (the body still carries the typed errors).
        async requestDidStart() {
          return {
            async willSendResponse({ response }) {
              if (response.body.kind !== 'single') return;
              const errors = response.body.singleResult.errors ?? [];
              if (errors.some((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) {
                response.http.status = 503;
                response.http.headers.set('retry-after', RETRY_AFTER_SECONDS);
              }
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
      const unavailable = unavailableError(formatted, original ?? error, log);
      if (unavailable) return unavailable;
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
    if (await databaseAnswers(() => orm.em.getConnection().execute('select 1'))) {
      res.json({ status: 'ready' });
    } else {
      res
        .status(503)
        .set('retry-after', RETRY_AFTER_SECONDS)
        .json({ status: 'unavailable', reason: 'database' });
    }
  });

  // The changelog of each product with public docs, for feed readers (Atom and RSS 2.0).
  for (const format of ['atom', 'rss'] as const) {
    app.get(`/feeds/products/:slug/changelog.${format}`, async (req, res, next) => {
      try {
        const feed = await changelogFeed(
          orm.em.fork(),
          publicBaseUrl(env),
          String(req.params.slug),
          format,
        );
        if (!feed) {
          res.status(404).json({ error: 'not_found', message: 'No such public changelog.' });
          return;
        }
        res.set('content-type', feed.contentType).set('cache-control', 'public, max-age=300');
        res.send(feed.body);
      } catch (err) {
        next(err);
      }
    });
  }

  const graphqlContext = async (req: IncomingMessage, res: ServerResponse): Promise<Context> => {
    try {
      return await contextFor(services, sessions, req, cookieJar(res, production));
    } catch (err) {
      // A context that cannot be made is answered by Apollo with the status it carries.
      if (isServiceUnavailable(err)) {
        err.extensions.http = {
          status: 503,
          headers: new Map([['retry-after', RETRY_AFTER_SECONDS]]),
        };
      }
      throw err;
    }
  };
  // A POST of JSON is answered straight from node:http; any other request by Express.
  graphqlHandler = graphqlHttpHandler(apollo, graphqlContext, log);
  app.use(
    '/graphql',
    express.json({ limit: GRAPHQL_BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: ({ req, res }: { req: Request; res: Response }) => graphqlContext(req, res),
    }),
  );

  // Staff exports, streamed: /api/staff/exports/<name>.<csv|json>?criteria=<JSON>.
  app.get('/api/staff/exports/:file', async (req: Request, res: Response) => {
    const match = /^([a-z-]+)\.(csv|json)$/.exec(String(req.params.file));
    const name = match?.[1];
    const format = match?.[2] === 'json' ? 'json' : 'csv';
    if (!name || !isExportName(name)) {
      res.status(404).json({ error: { code: ErrorCode.NOT_FOUND, message: 'No such export.' } });
      return;
    }
    try {
      const ctx = await contextFor(services, sessions, req, cookieJar(res, production));
      await streamExport(ctx, name, format, req.query as Record<string, unknown>, res);
    } catch (err) {
      if (res.headersSent) {
        log.error({ err, export: name }, 'export failed while streaming');
        res.destroy();
        return;
      }
      if (err instanceof PorticoError) {
        const code = String(err.extensions.code);
        const status = EXPORT_ERROR_STATUS[code] ?? 400;
        res.status(status).json({
          error: { code, message: err.message, field: err.extensions.field ?? null },
        });
        return;
      }
      log.error({ err, export: name }, 'export failed');
      res.status(500).json({
        error: { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side.' },
      });
    }
  });

  // The consent page's endpoints (the page itself is the web app's).
  app.use((req, res, next) => {
    if (!oauth) {
      next();
      return;
    }
    oauthRouter ??= consentRouter(services, oauth);
    oauthRouter(req, res, next);
  });

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
  webhookDeliveries.start();
  const jobs = options.jobs ? await startJobs(services, mailDelivery, {}, webhookDeliveries) : null;
  let url: string;
  try {
    url = await listen(httpServer, env.PORT, env.HOST);
  } catch (err) {
    await jobs?.stop();
    await webhookDeliveries.stop();
    await mailDelivery.stop();
    await gateway.stop();
    await events.stop();
    await apollo.stop();
    await services.limits.close();
    throw err;
  }
  allowedOrigins = websocketOrigins(env, url);
  const authorizationServer = new AuthorizationServer({
    orm,
    env,
    log: oauthLog,
    events,
    issuer: new URL(env.PUBLIC_URL ?? url).origin,
  });
  await authorizationServer.start();
  oauth = authorizationServer;
  gateway.oauth.issuer = authorizationServer.issuer;
  await gateway.oauth.reloadKeys();

  return {
    server: httpServer,
    url,
    services,
    mailDelivery,
    webhookDeliveries,
    schema,
    gateway,
    sessions,
    oauth: authorizationServer,
    trustedDocuments,
    async close() {
      authorizationServer.stop();
      await jobs?.stop();
      await apollo.stop();
      wsServer.close();
      liveConnections.stop();
      sessions.close();
      // Sign-ups finish what they began after answering before their mail and database go.
      await services.background.settled();
      await webhookDeliveries.stop();
      await mailDelivery.stop();
      await gateway.stop();
      await events.stop();
      await services.limits.close();
    },
  };
}
