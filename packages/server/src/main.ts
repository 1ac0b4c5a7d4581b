import type { MikroORM } from '@mikro-orm/postgresql';
import { pino } from 'pino';
import type { EmbeddedDatabase } from './db/embedded.js';
import { describeConnectionFailure, isDatabaseUnavailable } from './db/availability.js';
import { parseEnv } from './env.js';

const env = parseEnv();
const log = pino({ level: env.LOG_LEVEL });

/** What has been started so far, to be stopped in the reverse order. */
const running: {
  embedded: EmbeddedDatabase | null;
  orm: MikroORM | null;
  app: { close(): Promise<void> } | null;
} = { embedded: null, orm: null, app: null };

async function start(): Promise<void> {
  if (env.INSTANCE_ROLE === 'gateway') return startGateway();
  // Loaded here: a gateway instance loads none of the portal.
  const { createApp } = await import('./app.js');
  const { startEmbeddedPostgres } = await import('./db/embedded.js');
  const { migrate } = await import('./db/migrate.js');
  const { initOrm } = await import('./database.js');
  const { seedDemoData } = await import('./seed/seed.js');
  if (!env.DATABASE_URL) {
    log.info({ dir: env.EMBEDDED_PG_DIR }, 'no DATABASE_URL: starting the embedded PostgreSQL');
    running.embedded = await startEmbeddedPostgres(
      env.EMBEDDED_PG_DIR,
      env.EMBEDDED_PG_PORT,
      'portico',
      {
        log: log.child({ component: 'embedded-postgres' }),
        // It died and does not start again: exit, so that whatever runs Portico restarts it all.
        onGiveUp: () => process.exit(1),
      },
    );
  }
  const orm = await initOrm({
    clientUrl: env.DATABASE_URL ?? running.embedded!.url,
    preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
  });
  running.orm = orm;
  await migrate(orm);
  const demo = env.SEED_DEMO ?? !env.DATABASE_URL;
  // The demo APIs' OpenAPI servers: the portal itself, which mocks them (MOCK_UPSTREAM).
  const origin = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const seeded = demo ? await seedDemoData(orm, { apiOrigin: origin }) : null;
  const app = await createApp({
    env,
    orm,
    log,
    jobs: true,
    mockUpstream: env.MOCK_UPSTREAM ?? demo,
  });
  running.app = app;

  const publicUrl = env.PUBLIC_URL ?? app.url;
  const lines = [``, `  Portico is running at ${publicUrl}`, `  GraphQL API: ${app.url}/graphql`];
  if (seeded) {
    lines.push(``, `  Demo sign-ins (password: ${seeded.password}):`);
    for (const account of seeded.accounts)
      lines.push(`    ${account.email.padEnd(28)} ${account.label}`);
  }
  console.log(lines.join('\n') + '\n');
}

/**
 * A gateway instance (INSTANCE_ROLE=gateway): the gateway endpoints only, on the portal's
 * database, which portal instances migrate (it neither migrates nor seeds).
 */
async function startGateway(): Promise<void> {
  const { createGatewayServer } = await import('./gateway/server.js');
  const gateway = await createGatewayServer(env, log);
  running.app = gateway;
  console.log(
    [
      ``,
      `  Portico gateway instance: ${gateway.url}`,
      `  /v1/verify, /v1/keys/verify, /v1/usage`,
      ``,
    ].join('\n'),
  );
}

/** Stops the server, then the database connections, then the embedded PostgreSQL. */
async function stopAll(): Promise<void> {
  await running.app?.close();
  await running.orm?.close();
  await running.embedded?.stop();
}

let stopping = false;

/**
 * SIGINT (Ctrl-C) and SIGTERM stop the server cleanly and exit with 0. A start-up still under
 * way finishes first. A second signal during shutdown changes nothing.
 */
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    log.error('shutdown did not finish within 10 seconds: exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  await started.catch(() => undefined);
  try {
    await stopAll();
  } catch (err) {
    log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
  log.info('stopped');
  process.exit(0);
}
// A background task of a library that lost the database and did not catch it (pg-boss marking
// a job failed while PostgreSQL restarts) must not end the process: the pools reconnect and the
// job queue retries. Any other unhandled rejection still ends it, as Node.js would.
process.on('unhandledRejection', (reason) => {
  if (isDatabaseUnavailable(reason)) {
    log.warn({ error: describeConnectionFailure(reason) }, 'a background task lost the database');
    return;
  }
  log.fatal({ err: reason }, 'unhandled rejection');
  process.exit(1);
});
// Listening before anything starts: a Ctrl-C during start-up still stops the embedded
// PostgreSQL (which runs in a process group of its own, out of the terminal's reach).
process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));
const started = start();

try {
  await started;
} catch (err) {
  log.fatal({ err }, 'start-up failed');
  if (!stopping) {
    stopping = true;
    await stopAll().catch(() => undefined);
    process.exit(1);
  }
}
