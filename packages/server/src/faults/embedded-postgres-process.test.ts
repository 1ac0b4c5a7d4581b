/**
 * Portico as it runs without DATABASE_URL (src/main.ts and its embedded PostgreSQL, in a
 * process of its own): it starts PostgreSQL again when PostgreSQL is killed, and exits
 * non-zero when it cannot, so that a process supervisor restarts all of it.
 */
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uniqueEmail } from '../../test/builders.js';
import { startPorticoProcess, until, type PorticoProcess } from '../../test/faults.js';
import { freePort } from '../../test/nginx.js';

let scratch: string;
let dataDir: string;
let portico: PorticoProcess | null = null;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'portico-main-'));
  dataDir = path.join(scratch, 'pg');
});

afterAll(async () => {
  await portico?.kill();
  // Killed half-way, it leaves its PostgreSQL (in a process group of its own) running.
  for (const dir of [dataDir, `${dataDir}-moved`]) {
    const pid = await postmasterPid(dir);
    if (pid !== null) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  await rm(scratch, { recursive: true, force: true });
});

/** The postmaster's pid, from the lock file PostgreSQL keeps in its data directory. */
async function postmasterPid(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

interface GraphQLAnswer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { extensions?: { code?: string } }[];
  };
}

async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLAnswer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json()) as GraphQLAnswer['body'] };
}

/** The id of the account with `email`, read straight from the embedded PostgreSQL. */
async function accountId(databaseUrl: string, email: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('select id from users where email = $1', [
      email,
    ]);
    return rows[0]?.id ?? null;
  } finally {
    await client.end();
  }
}

async function ready(url: string): Promise<boolean> {
  const response = await fetch(`${url}/readyz`).catch(() => null);
  return response?.status === 200;
}

it('starts its embedded PostgreSQL again after kill -9, and exits with 1 when it cannot', async () => {
  const pgPort = await freePort();
  const running = await startPorticoProcess({
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    SEED_DEMO: 'false',
  });
  portico = running;
  const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/portico`;

  // A sign-up commits an account (just after it answers).
  const email = uniqueEmail('main');
  const signedUp = await graphql(
    running.url,
    'mutation ($input: SignUpInput!) { signUp(input: $input) { sent } }',
    { input: { email, name: 'Main', password: 'correct horse battery staple' } },
  );
  expect(signedUp.body.data).toEqual({ signUp: { sent: true } });
  let userId: string | null = null;
  await until('the sign-up to commit its account', async () => {
    userId = await accountId(databaseUrl, email);
    return userId !== null;
  });

  // kill -9 of PostgreSQL: Portico starts it again on the same data directory and port.
  const first = await postmasterPid(dataDir);
  if (first === null) throw new Error(`no postmaster.pid in ${dataDir}`);
  process.kill(first, 'SIGKILL');
  await until(
    'a new PostgreSQL to run and Portico to be ready again',
    async () => {
      const pid = await postmasterPid(dataDir);
      return pid !== null && pid !== first && (await ready(running.url));
    },
    30_000,
  );
  expect(running.running).toBe(true);
  expect(running.output()).toContain('the embedded PostgreSQL is running again');
  // What was committed before is there, and Portico's pool reconnected: a sign-in with a
  // wrong password is answered after reading the account, not with SERVICE_UNAVAILABLE.
  expect(await accountId(databaseUrl, email)).toBe(userId);
  const signIn = await graphql(
    running.url,
    'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }',
    { input: { email, password: 'not the password at all' } },
  );
  expect(signIn.status).toBe(200);
  expect(signIn.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

  // Killed again with its data directory gone: it cannot start, and Portico exits with 1.
  const second = await postmasterPid(dataDir);
  if (second === null) throw new Error(`no postmaster.pid in ${dataDir}`);
  await rename(dataDir, `${dataDir}-moved`);
  process.kill(second, 'SIGKILL');
  const code = await Promise.race([
    running.exited,
    new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 30_000)),
  ]);
  expect(code, running.output()).toBe(1);
  expect(running.output()).toContain('cannot be started again');
}, 55_000);
