import { pino } from 'pino';
import { createApp } from './app.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { migrate } from './db/migrate.js';
import { initOrm } from './database.js';
import { seedDemoData } from './seed/seed.js';
import { parseEnv } from './env.js';

const env = parseEnv();
const log = pino({ level: env.LOG_LEVEL });

let embedded: EmbeddedDatabase | null = null;
if (!env.DATABASE_URL) {
  log.info({ dir: env.EMBEDDED_PG_DIR }, 'no DATABASE_URL: starting the embedded PostgreSQL');
  embedded = await startEmbeddedPostgres(env.EMBEDDED_PG_DIR, env.EMBEDDED_PG_PORT);
}
const orm = await initOrm({ clientUrl: env.DATABASE_URL ?? embedded!.url });
await migrate(orm);
const seeded = (env.SEED_DEMO ?? !env.DATABASE_URL) ? await seedDemoData(orm) : null;
const app = await createApp({ env, orm, log, jobs: true });

const publicUrl = env.PUBLIC_URL ?? app.url;
const lines = [``, `  Portico is running at ${publicUrl}`, `  GraphQL API: ${app.url}/graphql`];
if (seeded) {
  lines.push(``, `  Demo sign-ins (password: ${seeded.password}):`);
  for (const account of seeded.accounts)
    lines.push(`    ${account.email.padEnd(28)} ${account.label}`);
}
console.log(lines.join('\n') + '\n');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await app.close();
  await orm.close();
  await embedded?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
