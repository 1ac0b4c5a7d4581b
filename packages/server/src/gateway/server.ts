import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { databaseAnswers } from '../db/availability.js';
import type { Env } from '../env.js';
import { EventBus } from '../events/event-bus.js';
import { HttpDrain, listen } from '../http-drain.js';
import { lateEventWindowMs, usageRetention } from '../modules/usage/usage.settings.js';
import { Gateway } from './gateway.js';
import { createGatewayHandler, sendJson } from './http.js';

/** A gateway instance (INSTANCE_ROLE=gateway), listening. */
export interface GatewayServer {
  server: Server;
  url: string;
  gateway: Gateway;
  close(): Promise<void>;
}

/**
 * An instance that serves the gateway endpoints only: `/v1/verify`, `/v1/keys/verify` and
 * `/v1/usage`, with `/healthz` and `/readyz`. It loads neither the portal's API nor its web
 * app, runs no jobs and sends no mail; its caches are kept true by the same events as every
 * instance's (LISTEN/NOTIFY), so a change made on a portal instance reaches it within a second.
 * Its process does nothing else between verifications, which keeps the hot path's code as
 * fast as it gets.
 */
export async function createGatewayServer(env: Env, log: Logger): Promise<GatewayServer> {
  const databaseUrl = env.DATABASE_URL;
  const publicUrl = env.PUBLIC_URL;
  if (databaseUrl === undefined || publicUrl === undefined) {
    throw new Error('A gateway instance needs DATABASE_URL and PUBLIC_URL.');
  }
  const events = new EventBus({
    connectionString: env.EVENTS_DATABASE_URL ?? databaseUrl,
    log: log.child({ component: 'events' }),
  });
  const gateway = new Gateway({
    connectionString: databaseUrl,
    events,
    log: log.child({ component: 'gateway' }),
    redisUrl: env.REDIS_URL,
    lateEventWindowMs: lateEventWindowMs(usageRetention(env)),
  });
  // The portal's origin issues the OAuth access tokens that /v1/verify accepts.
  gateway.oauth.issuer = new URL(publicUrl).origin;
  const handle = createGatewayHandler(gateway, log.child({ component: 'gateway' }));
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/v1/')) handle(req, res);
    else answerOther(req, res, gateway);
  });
  const drain = new HttpDrain(server);

  await events.start();
  let url: string;
  try {
    await gateway.start();
    url = await listen(server, env.PORT, env.HOST);
  } catch (err) {
    await gateway.stop().catch(() => undefined);
    await events.stop();
    throw err;
  }
  return {
    server,
    url,
    gateway,
    async close() {
      await drain.drain();
      // Writes the usage counted so far before the connections go.
      await gateway.stop();
      await events.stop();
    },
  };
}

/** The health checks; anything else is not served here. */
function answerOther(req: IncomingMessage, res: ServerResponse, gateway: Gateway): void {
  req.resume();
  const path = req.method === 'GET' || req.method === 'HEAD' ? req.url?.split('?', 1)[0] : null;
  if (path === '/healthz') {
    sendJson(res, 200, { status: 'ok' });
  } else if (path === '/readyz') {
    void databaseAnswers(() => gateway.db.query('select 1', [], true)).then((ready) => {
      if (ready) sendJson(res, 200, { status: 'ready' });
      else sendJson(res, 503, { status: 'unavailable', reason: 'database' }, { 'retry-after': 1 });
    });
  } else {
    sendJson(res, 404, notServed());
  }
}

function notServed(): { code: string; message: string } {
  return {
    code: 'not_found',
    message:
      'This instance serves the gateway endpoints only (/v1/verify, /v1/keys/verify, /v1/usage).',
  };
}
