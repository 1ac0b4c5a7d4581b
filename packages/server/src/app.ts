import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { MikroORM } from '@mikro-orm/postgresql';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import express, { type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import {
  createContext,
  NO_COOKIES,
  type Context,
  type CookieJar,
  type RequestMeta,
  type Services,
} from './context.js';
import type { Env } from './env.js';
import { PorticoError } from './errors.js';
import { resolveViewer, SESSION_COOKIE } from './modules/accounts/accounts.service.js';
import { createMailer, type Mailer } from './modules/mail/mail.service.js';
import { buildSchema } from './schema.js';

export interface PorticoApp {
  server: Server;
  url: string;
  services: Services;
  schema: GraphQLSchema;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  env: Env;
  orm: MikroORM;
  log?: Logger;
  mailer?: Mailer;
}

function requestMeta(req: IncomingMessage): RequestMeta {
  const ua = req.headers['user-agent'];
  return {
    ip: req.socket.remoteAddress ?? null,
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

async function contextFor(
  services: Services,
  req: IncomingMessage,
  cookies: CookieJar,
): Promise<Context> {
  const em = services.orm.em.fork();
  const sessionToken = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
  const viewer = await resolveViewer(em, { sessionToken, bearerToken: bearerOf(req) });
  return createContext(services, viewer, requestMeta(req), cookies, em);
}

const WEB_DIST_DEFAULT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Everything the server runs, ready to listen: HTTP, GraphQL, WebSocket subscriptions. */
export async function createApp(options: CreateAppOptions): Promise<PorticoApp> {
  const { env, orm } = options;
  const log =
    options.log ??
    pino({ level: env.LOG_LEVEL, redact: ['req.headers.cookie', 'req.headers.authorization'] });
  const mailer =
    options.mailer ?? createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, log, em: orm.em });
  const services: Services = { orm, env, log, mailer };
  const schema = await buildSchema();
  const production = env.NODE_ENV === 'production';

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const httpServer = createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer(
    {
      schema,
      context: async (ctx) => contextFor(services, ctx.extra.request, NO_COOKIES),
    },
    wsServer,
  );

  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    maxAliases: { n: 30 },
    costLimit: { maxCost: 20_000 },
    maxTokens: { n: 5_000 },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();
  // graphql-armor is typed against Apollo's CommonJS build; the plugins are the same objects.
  const armorPlugins = protection.plugins as unknown as ApolloServerPlugin<Context>[];
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: env.GRAPHQL_INTROSPECTION ?? !production,
    csrfPrevention: true,
    plugins: [
      ...armorPlugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
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

  await new Promise<void>((resolve) => httpServer.listen(env.PORT, env.HOST, resolve));
  const address = httpServer.address() as AddressInfo;
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${address.port}`;

  return {
    server: httpServer,
    url,
    services,
    schema,
    async close() {
      await apollo.stop();
      wsServer.close();
    },
  };
}
