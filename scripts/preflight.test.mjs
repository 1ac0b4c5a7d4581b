// scripts/preflight.mjs run as `pnpm test` runs it, on a PATH and with tool locations where
// the tools are absent (or are stand-ins), so that nothing has to be uninstalled.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { nodeIsRecentEnough } from './preflight.mjs';

const PREFLIGHT = fileURLToPath(new URL('./preflight.mjs', import.meta.url));
const SUDO = process.getuid?.() === 0 ? '' : 'sudo ';

/** Runs the preflight with exactly `env` (no inherited variables). */
function preflight(env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [PREFLIGHT], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/** A TCP server that answers every PING like Redis does. */
async function fakeRedis() {
  const server = createServer((socket) => {
    socket.on('data', () => socket.write('+PONG\r\n'));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `redis://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** A loopback port nobody listens on. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function standIn(file) {
  await writeFile(file, '#!/bin/sh\nexit 0\n');
  await chmod(file, 0o755);
}

describe('preflight', () => {
  let dir;
  let emptyBin;
  let redis;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'portico-preflight-'));
    emptyBin = path.join(dir, 'empty-bin');
    await mkdir(emptyBin);
    redis = await fakeRedis();
  });

  after(async () => {
    redis.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops with one line naming every missing tool and the command installing them', async () => {
    const { code, stdout, stderr } = await preflight({
      PATH: emptyBin,
      CHROMIUM_PATH: path.join(dir, 'absent', 'chromium'),
      NGINX_BIN: path.join(dir, 'absent', 'nginx'),
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    });
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      `Missing: chromium (CHROMIUM_PATH=${dir}/absent/chromium), nginx (NGINX_BIN=${dir}/absent/nginx), redis-server — install with: ${SUDO}apt-get install -y chromium nginx redis-server\n`,
    );
  });

  it('names only what is missing', async () => {
    const chromium = path.join(dir, 'chromium');
    await standIn(chromium);
    const { code, stderr } = await preflight({
      PATH: emptyBin,
      CHROMIUM_PATH: chromium,
      NGINX_BIN: path.join(dir, 'absent', 'nginx'),
      REDIS_URL: redis.url,
    });
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `Missing: nginx (NGINX_BIN=${dir}/absent/nginx) — install with: ${SUDO}apt-get install -y nginx\n`,
    );
  });

  it('finds nginx on the PATH and passes when everything answers', async () => {
    const bin = path.join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    await standIn(path.join(bin, 'nginx'));
    const chromium = path.join(dir, 'chromium');
    await standIn(chromium);
    const { code, stdout, stderr } = await preflight({
      PATH: bin,
      CHROMIUM_PATH: chromium,
      REDIS_URL: redis.url,
    });
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, /^preflight: Node\.js .*, chromium, nginx and Redis are there/);
  });

  it('says which Redis does not answer when REDIS_URL names another host', async () => {
    const chromium = path.join(dir, 'chromium');
    await standIn(chromium);
    const { code, stderr } = await preflight({
      PATH: path.join(dir, 'bin'),
      CHROMIUM_PATH: chromium,
      // TEST-NET-1: reserved, never reachable.
      REDIS_URL: 'redis://192.0.2.1:6379',
    });
    assert.equal(code, 1);
    assert.equal(
      stderr,
      'Missing: a Redis at REDIS_URL (192.0.2.1:6379) — start that Redis, or unset REDIS_URL to use one on 127.0.0.1:6379\n',
    );
  });

  it('asks for Node.js 20.19 or later', () => {
    assert.equal(nodeIsRecentEnough('18.20.4'), false);
    assert.equal(nodeIsRecentEnough('20.18.3'), false);
    assert.equal(nodeIsRecentEnough('20.19.0'), true);
    assert.equal(nodeIsRecentEnough('v20.20.2'), true);
    assert.equal(nodeIsRecentEnough('22.1.0'), true);
  });
});
