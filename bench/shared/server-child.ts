// A Portico server in a benchmark's child process: createApp() as main.ts runs it (production
// mode, no web app) on the database whose URL is the first argument, and a typed `send`.
import { createApp, type PorticoApp } from '../../packages/server/src/app.js';
import { initOrm } from '../../packages/server/src/database.js';
import { parseEnv } from '../../packages/server/src/env.js';

export interface BenchServer {
  app: PorticoApp;
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
