import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { keepProcessOutput, rememberSecret } from '../test/log-capture.js';
import { freePort } from '../test/nginx.js';
import {
  packageScript,
  spawnServer,
  startScriptOnSources,
  type ServerProcess,
} from '../test/server-process.js';

const PASSWORD = 'a password no log may hold';

/**
 * oidc-provider 9 prints this once on import on any Node.js older than 22 LTS ("Jod"); the
 * portal supports Node.js 20.19 and up (`engines`), where its authorization server is tested.
 */
const OLDER_NODE_NOTICE = 'oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS';
const olderNode = (process.release.lts ?? 'Jod') < 'Jod';

/** What a process printed that is not an info (or lower) log line or the start-up banner. */
function complaints(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => !(olderNode && line.startsWith(OLDER_NODE_NOTICE)))
    .filter((line) => {
      if (!line.startsWith('{')) return /error|fail|ERR_|warn/i.test(line);
      const entry = JSON.parse(line) as { level?: number };
      return (entry.level ?? 60) > 30;
    });
}

/** Requests that once made the server log a body, a password or an error. */
async function hostileRequests(url: string): Promise<void> {
  const graphql = (body: string, accept = 'application/json'): Promise<Response> =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'x', accept },
      body,
    });
  // Malformed JSON holding a password: Express's own handler printed it to stderr.
  const malformed = await graphql(
    `{"query":"mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }","variables":{"input":{"email":"a@b.c","password":"${PASSWORD}"}}`,
  );
  expect(malformed.status).toBe(400);
  expect(await malformed.text()).not.toContain(PASSWORD);
  // A syntax error and a token-limit refusal were 500s, logged as errors.
  const syntax = await graphql(
    JSON.stringify({ query: '{ me ' }),
    'application/graphql-response+json',
  );
  expect(syntax.status).toBe(400);
  const tokens = await graphql(JSON.stringify({ query: `{ ${'__typename '.repeat(6000)} }` }));
  expect(tokens.status).toBe(200);
  const keys = await fetch(`${url}/v1/keys/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"key": "${PASSWORD}", "path": `,
  });
  expect(keys.status).toBe(400);
}

/** Stops it with `signal` to its process group; checks a clean exit and a clean output. */
async function stopCleanly(server: ServerProcess, signal: NodeJS.Signals): Promise<string> {
  server.signalGroup(signal);
  const exit = await server.exited;
  const output = server.output();
  keepProcessOutput('server-process', output);
  expect(exit, output).toEqual({ code: 0, signal: null });
  expect(complaints(output), output).toEqual([]);
  expect(output).toContain('"msg":"shutting down"');
  expect(output).toContain('"msg":"stopped"');
  expect(output).not.toContain(PASSWORD);
  return output;
}

/** A whole server started from its sources (compiled on the fly) with its own PostgreSQL. */
const SERVER_PROCESS_TIMEOUT = 120_000;

describe('the server process', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  // Each starts a server process of its own: they run side by side.
  it.concurrent(
    'the start command with the embedded PostgreSQL: Ctrl-C stops it with 0, at info level only',
    async () => {
      rememberSecret(PASSWORD);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'portico-start-'));
      scratch.push(dir);
      const server = spawnServer({
        command: startScriptOnSources(),
        env: {
          NODE_ENV: 'development',
          PORT: '0',
          EMBEDDED_PG_DIR: path.join(dir, 'pg'),
          EMBEDDED_PG_PORT: String(await freePort()),
          WEB_DIST: path.join(dir, 'no-web-app'),
          // The demo data takes seconds to write and has nothing to do with stopping.
          SEED_DEMO: 'false',
        },
      });
      await hostileRequests(await server.url);
      // Ctrl-C reaches the terminal's whole foreground group: the shell, the server and (until
      // it ran in a group of its own) the embedded PostgreSQL.
      await stopCleanly(server, 'SIGINT');
      // The embedded PostgreSQL was stopped, not left behind.
      expect(existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
    },
    SERVER_PROCESS_TIMEOUT,
  );

  it.concurrent(
    'in production on an external PostgreSQL: SIGTERM stops it with 0, at info level only',
    async () => {
      rememberSecret(PASSWORD);
      const server = spawnServer({
        command: startScriptOnSources(),
        env: {
          NODE_ENV: 'production',
          PORT: '0',
          DATABASE_URL: await createTestDatabase(),
          PUBLIC_URL: 'http://portico.test',
        },
      });
      await hostileRequests(await server.url);
      await stopCleanly(server, 'SIGTERM');
    },
    SERVER_PROCESS_TIMEOUT,
  );

  it.concurrent(
    'a gateway instance (INSTANCE_ROLE=gateway): the gateway endpoints and health checks only; SIGTERM stops it with 0',
    async () => {
      const server = spawnServer({
        command: startScriptOnSources(),
        env: {
          NODE_ENV: 'production',
          PORT: '0',
          INSTANCE_ROLE: 'gateway',
          DATABASE_URL: await createTestDatabase(),
          PUBLIC_URL: 'http://portico.test',
        },
      });
      const url = await server.url;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${url}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
      const verify = await fetch(`${url}/v1/verify`, {
        headers: { 'x-original-uri': '/anything', authorization: `Bearer ${PASSWORD}` },
      });
      expect([verify.status, verify.headers.get('x-portico-reason')]).toEqual([
        401,
        'malformed_credential',
      ]);
      // Not the portal: no GraphQL API, no web app.
      for (const [method, path] of [
        ['POST', '/graphql'],
        ['GET', '/'],
        ['GET', '/healthz/x'],
      ] as const) {
        const other = await fetch(`${url}${path}`, { method });
        expect([path, other.status, ((await other.json()) as { code: string }).code]).toEqual([
          path,
          404,
          'not_found',
        ]);
      }
      const output = await stopCleanly(server, 'SIGTERM');
      expect(output).toContain('Portico gateway instance: http://');
    },
    SERVER_PROCESS_TIMEOUT,
  );

  it(
    'a gateway instance without the portal’s database and URL does not start, and says why',
    async () => {
      const server = spawnServer({
        command: startScriptOnSources(),
        env: { NODE_ENV: 'production', PORT: '0', INSTANCE_ROLE: 'gateway' },
      });
      const exit = await server.exited;
      expect(exit.code).toBe(1);
      expect(server.output()).toContain(
        "DATABASE_URL: A gateway instance (INSTANCE_ROLE=gateway) needs DATABASE_URL, the portal's.",
      );
      expect(server.output()).toContain(
        "PUBLIC_URL: A gateway instance (INSTANCE_ROLE=gateway) needs PUBLIC_URL, the portal's.",
      );
      await expect(server.url).rejects.toThrow(/exited/);
    },
    SERVER_PROCESS_TIMEOUT,
  );

  // pnpm runs a script as `sh -c <script>` and passes Ctrl-C on to that shell: a shell that
  // waits for the server dies of the signal, and pnpm reports 'Command failed with signal
  // "SIGINT"' (exit 130) however cleanly the server stopped. With exec, the server is pnpm's
  // child itself, and its exit code is pnpm's.
  it('the start scripts exec the server, so that pnpm gets its exit code', () => {
    expect(packageScript('packages/server', 'start')).toMatch(/^exec node /);
    expect(packageScript('.', 'start')).toMatch(/&& exec pnpm --filter @portico\/server start$/);
  });
});
