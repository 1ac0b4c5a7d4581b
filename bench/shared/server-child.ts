// A Portico server in a benchmark's child process: createApp() as main.ts runs it (production
// mode, no web app) on the database whose URL is the first argument, and a typed `send`.
// The server is the production build, packages/server/dist (the bench:* scripts build it when
// its sources changed), with the types of the sources it was compiled from.
import type * as AppModule from '../../packages/server/src/app.js';
import type * as DatabaseModule from '../../packages/server/src/database.js';
import type * as EnvModule from '../../packages/server/src/env.js';

const dist = new URL('../../packages/server/dist/', import.meta.url);
const { createApp } = (await import(new URL('app.js', dist).href)) as typeof AppModule;
const { initOrm } = (await import(new URL('database.js', dist).href)) as typeof DatabaseModule;
const { parseEnv } = (await import(new URL('env.js', dist).href)) as typeof EnvModule;

export interface BenchServer {
  app: AppModule.PorticoApp;
  orm: Awaited<ReturnType<typeof initOrm>>;
}

export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const databaseUrl = process.argv[2];
  if (!databaseUrl || !process.send) throw new Error('usage: forked with the database URL');
  const orm = await initOrm({ clientUrl: databaseUrl });
  const app = await createApp({
    orm,
    env: parseEnv({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      WEB_DIST: '/nonexistent',
      // The benchmarks measure throughput from one signed-in client and address: the API's
      // per-caller limits would measure themselves instead.
      RATE_LIMIT_PER_SESSION: '1000000000',
      RATE_LIMIT_PER_TOKEN: '1000000000',
      RATE_LIMIT_PER_ADDRESS: '1000000000',
      COST_BUDGET_PER_SESSION: '1000000000',
      COST_BUDGET_PER_TOKEN: '1000000000',
      COST_BUDGET_PER_ADDRESS: '1000000000',
      // The benchmarks send documents of their own with the session cookie, which production
      // refuses (only the web app's trusted documents run there).
      TRUSTED_DOCUMENTS: 'off',
      ...env,
    }),
  });
  return { app, orm };
}

/** Sends a message to the parent benchmark. */
export function sender<M>(): (message: M) => void {
  return (message) => {
    process.send?.(message);
  };
}
