import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { parseEnv } from '../env.js';
import { isAllowedOrigin, parseOrigin } from './origins.js';

/*
 * A browser sends the portal's cookie with a WebSocket upgrade whatever page opens it: only
 * the portal's own pages (and ALLOWED_ORIGINS) may open the GraphQL WebSocket; other pages get
 * a 403 at the upgrade, before any GraphQL. Clients that are no browser send no Origin.
 */

describe('isAllowedOrigin', () => {
  const allowed = new Set(['https://portal.example.com', 'http://127.0.0.1:4000']);

  it.each([
    [undefined, 'portal.example.com', true],
    ['https://portal.example.com', 'internal:4000', true],
    ['https://PORTAL.example.com', 'internal:4000', true],
    ['http://127.0.0.1:4000', '127.0.0.1:4000', true],
    // The page came from the very host the upgrade was sent to.
    ['http://localhost:4000', 'localhost:4000', true],
    ['https://dev.example.com:8443', 'DEV.example.com:8443', true],
    ['https://evil.example', 'portal.example.com', false],
    ['https://portal.example.com.evil.example', 'portal.example.com', false],
    ['http://portal.example.com', 'internal:4000', false],
    ['http://localhost:5173', 'localhost:4000', false],
    ['null', 'portal.example.com', false],
    ['file://', 'portal.example.com', false],
    ['not an origin', 'portal.example.com', false],
    ['https://evil.example', undefined, false],
  ] as const)('%s to host %s: %s', (origin, host, expected) => {
    expect(isAllowedOrigin(origin, host, allowed)).toBe(expected);
  });
});

describe('ALLOWED_ORIGINS', () => {
  it('reads a comma-separated list of origins, normalised', () => {
    expect(parseEnv({}).ALLOWED_ORIGINS).toEqual([]);
    expect(
      parseEnv({ ALLOWED_ORIGINS: 'https://Docs.example.com, http://localhost:5173/ ,' })
        .ALLOWED_ORIGINS,
    ).toEqual(['https://docs.example.com', 'http://localhost:5173']);
  });

  it.each(['https://docs.example.com/app', '*', 'docs.example.com', 'ftp://docs.example.com'])(
    'refuses %j, naming the setting',
    (value) => {
      expect(parseOrigin(value)).toBeNull();
      expect(() => parseEnv({ ALLOWED_ORIGINS: value })).toThrow(/ALLOWED_ORIGINS/);
    },
  );
});

/** Opens a WebSocket to `/graphql` with these headers: `open`, or the HTTP status refusing it. */
function upgrade(
  server: TestServer,
  headers: Record<string, string>,
  path = '/graphql',
): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(
      `${server.url.replace(/^http/, 'ws')}${path}`,
      'graphql-transport-ws',
      { headers },
    );
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.once('error', (err) => reject(err));
  });
}

describe('the WebSocket upgrade', () => {
  let server: TestServer;
  let configured: TestServer;

  beforeAll(async () => {
    // PUBLIC_URL is http://portico.test (see the harness).
    [server, configured] = await Promise.all([
      startTestServer({ smtp: false }),
      startTestServer({
        smtp: false,
        env: { ALLOWED_ORIGINS: 'https://docs.example.com,http://localhost:5173' },
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([server?.close(), configured?.close()]);
  });

  it("accepts the portal's own pages and clients that send no Origin", async () => {
    expect(await upgrade(server, {})).toBe('open');
    expect(await upgrade(server, { origin: 'http://portico.test' })).toBe('open');
    expect(await upgrade(server, { origin: server.url })).toBe('open');
    const host = 'portal.internal:8080';
    expect(await upgrade(server, { host, origin: `https://${host}` })).toBe('open');
  });

  it('refuses pages of any other origin with 403', async () => {
    for (const origin of [
      'https://evil.example',
      'http://portico.test.evil.example',
      'https://docs.example.com',
      'null',
    ]) {
      expect(await upgrade(server, { origin }), origin).toBe(403);
    }
  });

  it('accepts the origins of ALLOWED_ORIGINS as well, and those only', async () => {
    expect(await upgrade(configured, { origin: 'https://docs.example.com' })).toBe('open');
    expect(await upgrade(configured, { origin: 'http://localhost:5173' })).toBe('open');
    expect(await upgrade(configured, { origin: 'http://portico.test' })).toBe('open');
    expect(await upgrade(configured, { origin: 'https://other.example.com' })).toBe(403);
  });

  it('refuses an upgrade on another path, as before', async () => {
    expect(await upgrade(server, {}, '/elsewhere')).toBe(400);
  });
});
