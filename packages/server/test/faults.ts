/**
 * Support for the fault tests (`src/faults/*.test.ts`): a PostgreSQL of their own that they may
 * kill, load that records how every request ended, and a live-events subscriber that
 * reconnects with the last event id it saw.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
  type Supervision,
} from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { initOrm } from '../src/database.js';
import type { TestClient } from './harness.js';
import { keepProcessOutput } from './log-capture.js';
import { freePort } from './nginx.js';
import { spawnServer, startScriptOnSources } from './server-process.js';
import { redisReachable } from './redis.js';

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A PostgreSQL for one test file, on a port and data directory of its own, migrated. */
export interface DedicatedPostgres {
  /** The migrated `portico` database. */
  readonly url: string;
  readonly dataDir: string;
  /** The running server (a new one after `start()`). */
  readonly database: EmbeddedDatabase;
  /** SIGKILLs the postmaster (as `kill -9` would) and waits until it is gone; returns its pid. */
  kill(): Promise<number>;
  /** Starts PostgreSQL again on the same data directory and port (as an operator would). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startDedicatedPostgres(
  supervision: Supervision | null = null,
): Promise<DedicatedPostgres> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'portico-faults-'));
  const dataDir = path.join(scratch, 'pg');
  const port = await freePort();
  let database = await startEmbeddedPostgres(dataDir, port, 'portico', supervision);
  const orm = await initOrm({ clientUrl: database.url });
  await migrate(orm);
  await orm.close(true);
  return {
    url: database.url,
    dataDir,
    get database() {
      return database;
    },
    async kill() {
      const pid = database.pid;
      if (pid === null) throw new Error('PostgreSQL is not running');
      process.kill(pid, 'SIGKILL');
      await until(`PostgreSQL (pid ${pid}) to die`, () => !isAlive(pid) || database.pid !== pid);
      return pid;
    },
    async start() {
      // Backends of the killed server may still hold its shared memory for a moment.
      for (let attempt = 1; ; attempt++) {
        try {
          database = await startEmbeddedPostgres(dataDir, port, 'portico');
          return;
        } catch (error) {
          if (attempt >= 10) throw error;
          await sleep(200);
        }
      }
    },
    async close() {
      await database.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** How long any one request of the load may take before it counts as hung. */
export const REQUEST_TIMEOUT_MS = 15_000;

/**
 * How one request ended: `ok`; `unavailable`, the typed, retryable refusal of a server whose
 * database is out of reach (503 with a code); or `bad`, anything else (a 500, an untyped
 * error, a reset connection, a hang), which no fault may cause.
 */
export interface Outcome {
  kind: 'ok' | 'unavailable' | 'bad';
  /** What was asked (e.g. the value a mutation wrote) or what went wrong. */
  detail: string;
  at: number;
}

async function timedFetch(url: string, init: RequestInit): Promise<Response | Outcome> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    return { kind: 'bad', detail: `request failed: ${name} ${cause}`, at: Date.now() };
  }
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Runs a GraphQL operation as `client` (its session cookie) and classifies the answer: `ok`
 * when it has data and no error, `unavailable` for a 503 whose every error is
 * SERVICE_UNAVAILABLE (with Retry-After), `bad` for anything else.
 */
export async function graphqlOutcome(
  baseUrl: string,
  client: TestClient,
  query: string,
  variables: Record<string, unknown>,
  detail: string,
): Promise<Outcome> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'apollo-require-preflight': 'true',
  };
  const cookie = client.cookieHeader;
  if (cookie) headers.cookie = cookie;
  const response = await timedFetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  if (!(response instanceof Response)) return response;
  const at = Date.now();
  const text = await response.text();
  let body: GraphQLBody;
  try {
    body = JSON.parse(text) as GraphQLBody;
  } catch {
    return { kind: 'bad', detail: `${response.status} not JSON: ${text.slice(0, 200)}`, at };
  }
  const codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE');
  if (response.status === 200 && codes.length === 0 && body.data) return { kind: 'ok', detail, at };
  if (
    response.status === 503 &&
    codes.length > 0 &&
    codes.every((code) => code === 'SERVICE_UNAVAILABLE') &&
    response.headers.get('retry-after') !== null
  ) {
    return { kind: 'unavailable', detail, at };
  }
  return { kind: 'bad', detail: `${response.status} ${detail}: ${text.slice(0, 300)}`, at };
}

/**
 * Calls `GET /v1/verify` and classifies the answer: `ok` when allowed, `unavailable` for the
 * gateway's typed 503 (`{"code": "unavailable"}`), `bad` for anything else.
 */
export async function verifyOutcome(baseUrl: string, token: string, uri: string): Promise<Outcome> {
  const response = await timedFetch(`${baseUrl}/v1/verify`, {
    headers: {
      authorization: `Bearer ${token}`,
      'x-original-uri': uri,
      'x-original-method': 'GET',
    },
  });
  if (!(response instanceof Response)) return response;
  const at = Date.now();
  const text = await response.text();
  let body: { allowed?: unknown; code?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { kind: 'bad', detail: `${response.status} not JSON: ${text.slice(0, 200)}`, at };
  }
  if (response.status === 200 && body.allowed === true) return { kind: 'ok', detail: uri, at };
  if (response.status === 503 && body.code === 'unavailable') {
    return { kind: 'unavailable', detail: uri, at };
  }
  return { kind: 'bad', detail: `${response.status} ${text.slice(0, 200)}`, at };
}

/** One stream of requests, one after another, until stopped; every outcome is kept. */
export class RequestStream {
  readonly outcomes: Outcome[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    readonly name: string,
    next: (n: number) => Promise<Outcome>,
    pauseMs = 0,
  ) {
    this.done = (async () => {
      for (let n = 1; this.running; n++) {
        const outcome = await next(n).catch((error: unknown): Outcome => ({
          kind: 'bad',
          detail: String(error),
          at: Date.now(),
        }));
        this.outcomes.push(outcome);
        if (pauseMs > 0) await sleep(pauseMs);
      }
    })();
  }

  count(kind: Outcome['kind'], since = 0): number {
    return this.outcomes.filter((o) => o.kind === kind && o.at >= since).length;
  }

  /** How many requests ended which way, for failure messages. */
  get summary(): string {
    const counts = (['ok', 'unavailable', 'bad'] as const).map((k) => `${this.count(k)} ${k}`);
    return `${this.name}: ${counts.join(', ')}`;
  }

  /** What went wrong, for the failure message (empty when nothing did). */
  get bad(): string[] {
    return this.outcomes.filter((o) => o.kind === 'bad').map((o) => `${this.name}: ${o.detail}`);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

/** A WebSocket class that sends `user`'s session cookie with its upgrade request. */
function webSocketFor(user: TestClient): unknown {
  const headers: Record<string, string> = {};
  const cookie = user.cookieHeader;
  if (cookie) headers.cookie = cookie;
  return class AuthenticatedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };
}

/** A graphql-ws client of `user` (their session cookie), retrying nothing. */
export function liveClient(serverUrl: string, user: TestClient): WsClient {
  return createClient({
    url: `${serverUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: webSocketFor(user),
    retryAttempts: 0,
    lazy: true,
  });
}

/** Opens a socket for `user` now and keeps it open (no subscription needed); resolves once in. */
export async function connectedLiveClient(serverUrl: string, user: TestClient): Promise<WsClient> {
  const client = createClient({
    url: `${serverUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: webSocketFor(user),
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  await new Promise<void>((resolve) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
  });
  return client;
}

/**
 * Subscribes once with `client` and says what came first: `data`, `errors <codes>` (the
 * operation failed, the socket stayed open) or `closed <code>` (the server closed the socket).
 */
export async function firstSubscriptionAnswer(
  client: WsClient,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<string> {
  return new Promise<string>((resolve) => {
    const unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          const codes = result.errors?.map((e) => e.extensions?.code ?? e.message);
          resolve(codes?.length ? `errors ${codes.join(',')}` : 'data');
          unsubscribe();
        },
        error: (error: unknown) => {
          if (Array.isArray(error)) {
            const codes = (error as { extensions?: { code?: unknown } }[]).map((e) =>
              String(e.extensions?.code),
            );
            resolve(`errors ${codes.join(',')}`);
            return;
          }
          const code = (error as { code?: unknown }).code;
          resolve(typeof code === 'number' ? `closed ${code}` : `failed ${String(error)}`);
        },
        complete: () => resolve('complete'),
      },
    );
  });
}

const ORGANIZATION_EVENTS = `subscription ($organizationId: ID!, $after: ID) {
  organizationEvents(organizationId: $organizationId, after: $after) { id kind subjectId }
}`;

interface OrganizationEventData {
  organizationEvents: { id: string; kind: string; subjectId: string };
}

/**
 * A client of one organization's live events over graphql-ws that does what a browser tab
 * does: whenever its subscription ends (socket closed, stream failed, refused while the
 * database is down) it subscribes again, on a new socket, passing the last event id it saw.
 * It records every id received, and any id received twice.
 */
export class ReconnectingSubscriber {
  readonly ids: string[] = [];
  readonly duplicates: string[] = [];
  /** Why each subscription ended (close codes, error codes), for diagnosis. */
  readonly endings: string[] = [];
  private lastId: string;
  private client: WsClient | null = null;
  private generation = 0;
  private away = false;
  private closed = false;

  constructor(
    private readonly serverUrl: () => string,
    private readonly user: TestClient,
    private readonly organizationId: string,
    after: string,
  ) {
    this.lastId = after;
    this.connect();
  }

  get subscriptions(): number {
    return this.generation;
  }

  /** Closes the socket and stays away until `comeBack()`. */
  async goAway(): Promise<void> {
    this.away = true;
    this.generation += 1;
    const client = this.client;
    this.client = null;
    await client?.dispose();
  }

  /** Subscribes again after the last event id it saw. */
  comeBack(): void {
    this.away = false;
    this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.goAway();
  }

  private connect(): void {
    if (this.closed || this.away) return;
    const generation = ++this.generation;
    const client = createClient({
      url: `${this.serverUrl().replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: webSocketFor(this.user),
      retryAttempts: 0,
      lazy: true,
    });
    this.client = client;
    const ended = (why: string): void => {
      if (generation !== this.generation) return;
      this.endings.push(why);
      this.generation += 1;
      void client.dispose();
      if (this.client === client) this.client = null;
      // A moment's pause, as a client would back off, then resubscribe from the last id seen.
      setTimeout(() => this.connect(), 100);
    };
    client.subscribe<OrganizationEventData>(
      {
        query: ORGANIZATION_EVENTS,
        variables: { organizationId: this.organizationId, after: this.lastId },
      },
      {
        next: (result) => {
          if (generation !== this.generation) return;
          if (result.errors?.length) {
            ended(result.errors.map((e) => e.extensions?.code ?? e.message).join(','));
            return;
          }
          const id = result.data?.organizationEvents.id;
          if (!id) return;
          if (this.ids.includes(id)) this.duplicates.push(id);
          else this.ids.push(id);
          if (BigInt(id) > BigInt(this.lastId)) this.lastId = id;
        },
        error: (error: unknown) => {
          const code = (error as { code?: unknown }).code;
          ended(`error ${typeof code === 'number' ? code : String(error)}`);
        },
        complete: () => ended('complete'),
      },
    );
  }
}

/** Portico as a process of its own (`src/main.ts`), e.g. to SIGKILL it or to see it exit. */
export interface PorticoProcess {
  url: string;
  /** Everything it printed so far (its log), for failure messages. */
  output(): string;
  /** Whether it still runs. */
  readonly running: boolean;
  /** Resolves with its exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGKILLs it (its process group) if it still runs, and waits for it to be gone. */
  kill(): Promise<void>;
}

/**
 * Starts the server as its `start` script does, on the sources (test/server-process.ts), with
 * `env`, and waits until it prints its URL and `/readyz` answers. Its output joins the run's
 * logs, which are searched for leaked secrets at the end.
 */
export async function startPorticoProcess(env: Record<string, string>): Promise<PorticoProcess> {
  const server = spawnServer({
    command: startScriptOnSources(),
    env: {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      WEB_DIST: '/nonexistent',
      // Every request of a test comes from 127.0.0.1: the API limits are out of the way, as
      // in the in-process test servers (test/harness.ts).
      RATE_LIMIT_PER_SESSION: '1000000',
      RATE_LIMIT_PER_TOKEN: '1000000',
      RATE_LIMIT_PER_ADDRESS: '1000000',
      AUTH_RATE_LIMIT_PER_ADDRESS: '1000000',
      // The tests send documents of their own with the session cookie (test/harness.ts).
      TRUSTED_DOCUMENTS: 'off',
      ...env,
    },
  });
  let running = true;
  const exited = server.exited.then(({ code, signal }) => {
    running = false;
    keepProcessOutput('portico-process', server.output());
    return code ?? signal;
  });
  const handle: PorticoProcess = {
    url: '',
    output: () => server.output(),
    get running() {
      return running;
    },
    exited,
    async kill() {
      if (running) server.signalGroup('SIGKILL');
      await exited;
    },
  };
  try {
    handle.url = await Promise.race([
      server.url,
      sleep(45_000).then(() => {
        throw new Error(`Portico did not start within 45 s:\n${server.output()}`);
      }),
    ]);
    await until('Portico to be ready', async () => {
      const response = await fetch(`${handle.url}/readyz`).catch(() => null);
      return response?.status === 200;
    });
  } catch (error) {
    await handle.kill();
    throw error;
  }
  return handle;
}

/**
 * The `redis-server` binary on the PATH, or why there is none. The Redis fault tests skip
 * without it, except in CI (CI=true), where it must be installed (`.ci/run` does).
 */
export function findRedisServer(): { binary: string | null; missing: string | null } {
  const binary = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'redis-server'))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (binary) return { binary, missing: null };
  const missing = 'no redis-server on the PATH: install Redis (Debian: redis-server) to run them';
  if (process.env.CI === 'true') throw new Error(`CI must run the Redis fault tests: ${missing}`);
  return { binary: null, missing };
}

/** A redis-server of the test's own (no persistence), on a port that stays the same. */
export interface RedisProcess {
  url: string;
  /** SIGKILLs it and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: it keeps its connections open and answers nothing. */
  pause(): void;
  resume(): void;
  /** A client of its own, for the test to look inside. */
  client(): Redis;
}

export async function startRedisProcess(binary: string): Promise<RedisProcess> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const start = async (): Promise<void> => {
    const spawned = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    child = spawned;
    exited = new Promise((resolve) => spawned.once('exit', () => resolve()));
    await until('redis-server to answer', () => redisReachable(url, 500), 10_000);
  };
  await start();
  return {
    url,
    async kill() {
      child?.kill('SIGKILL');
      await exited;
    },
    start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    client: () => new Redis(url, { maxRetriesPerRequest: 1 }),
  };
}
