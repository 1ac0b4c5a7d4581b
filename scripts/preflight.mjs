// The first step of `pnpm test`: checks in a second or two that this machine has what the
// tests need, so that a missing tool stops the run at once, in one line naming what to
// install, instead of failing the browser tests minutes later.
//
//   - Node.js 20.19 or later;
//   - Chromium at CHROMIUM_PATH, else /usr/bin/chromium (the browser tests);
//   - nginx at NGINX_BIN, else on the PATH or in the usual sbin folders (the gateway's NGINX
//     tests, which fail without it);
//   - a Redis answering at REDIS_URL, else at 127.0.0.1:6379 (the shared rate-limit test).
//     When none answers at a loopback address and `redis-server` is installed, it starts one
//     there, as .ci/run does, and says so; it keeps running after the tests.
//
//   node scripts/preflight.mjs     exit code 0 when all is there, 1 when something is missing
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { connect as connectTls } from 'node:tls';
import { pathToFileURL } from 'node:url';

export const MIN_NODE = '20.19';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const NGINX_SBIN = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];

/** Whether Node.js `version` (`20.19.0`, `v22.1.0`) is at least MIN_NODE. */
export function nodeIsRecentEnough(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [minMajor, minMinor] = MIN_NODE.split('.').map(Number);
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` in `dirs`, or null. */
function findIn(dirs, name) {
  for (const dir of dirs) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (executable(file)) return file;
  }
  return null;
}

/** Whether a Redis answers PING at `url` (within `timeoutMs`), authenticating as the URL says. */
export function redisAnswers(url, timeoutMs = 1500) {
  const { hostname, port, username, password, protocol } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const options = { host, port: Number(port || 6379) };
  return new Promise((resolve) => {
    const socket =
      protocol === 'rediss:' ? connectTls({ ...options, servername: host }) : connect(options);
    let answer = '';
    const done = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once(protocol === 'rediss:' ? 'secureConnect' : 'connect', () => {
      const auth = password
        ? `AUTH ${[username, password].filter(Boolean).map(decodeURIComponent).join(' ')}\r\n`
        : '';
      socket.write(`${auth}PING\r\n`);
    });
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('+PONG')) done(true);
      else if (answer.startsWith('-') && answer.includes('\r\n')) done(false);
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

const isLoopback = (host) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** Starts a throw-away redis-server (no persistence) on the loopback `port`, in the background. */
async function startRedis(binary, host, port, url) {
  const child = spawn(
    binary,
    [
      '--bind',
      host === 'localhost' ? '127.0.0.1' : host,
      '--port',
      String(port),
      '--daemonize',
      'yes',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  await new Promise((resolve) => {
    child.once('error', resolve);
    child.once('exit', resolve);
  });
  for (let attempt = 0; attempt < 30; attempt++) {
    if (await redisAnswers(url, 500)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * What the tests need and this machine lacks. Resolves to `{ missing, packages, fixes, notes }`:
 * the missing things' names, the Debian packages that provide them, other ways to fix what
 * no package fixes, and lines worth printing even when nothing is missing.
 */
export async function checkMachine({
  env = process.env,
  nodeVersion = process.versions.node,
} = {}) {
  const missing = [];
  const packages = [];
  const fixes = [];
  const notes = [];
  const pathDirs = (env.PATH ?? '').split(path.delimiter);

  if (!nodeIsRecentEnough(nodeVersion)) {
    missing.push(`Node.js >= ${MIN_NODE} (this is ${nodeVersion})`);
    fixes.push(`install Node.js ${MIN_NODE} or later (https://nodejs.org)`);
  }

  const chromium = env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!executable(chromium)) {
    missing.push(env.CHROMIUM_PATH ? `chromium (CHROMIUM_PATH=${chromium})` : 'chromium');
    packages.push('chromium');
  }

  // As the NGINX tests look for it (packages/server/test/nginx.ts).
  const nginx = env.NGINX_BIN
    ? executable(env.NGINX_BIN)
    : findIn([...pathDirs, ...NGINX_SBIN], 'nginx') !== null;
  if (!nginx) {
    missing.push(env.NGINX_BIN ? `nginx (NGINX_BIN=${env.NGINX_BIN})` : 'nginx');
    packages.push('nginx');
  }

  const redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL;
  const redis = new URL(redisUrl);
  const redisHost = redis.hostname.replace(/^\[|\]$/g, '');
  const redisPort = Number(redis.port || 6379);
  const redisAddress = `${redisHost}:${redisPort}`;
  if (!(await redisAnswers(redisUrl))) {
    const server = findIn(pathDirs, 'redis-server');
    if (!isLoopback(redisHost)) {
      missing.push(`a Redis at REDIS_URL (${redisAddress})`);
      fixes.push('start that Redis, or unset REDIS_URL to use one on 127.0.0.1:6379');
    } else if (!server) {
      missing.push('redis-server');
      packages.push('redis-server');
    } else if (redis.password) {
      missing.push(`a Redis at REDIS_URL (${redisAddress})`);
      fixes.push('start that Redis (with its password), or unset REDIS_URL');
    } else if (await startRedis(server, redisHost, redisPort, redisUrl)) {
      notes.push(
        `started redis-server on ${redisAddress} for the Redis tests; it keeps running (stop it with: redis-cli -p ${redisPort} shutdown)`,
      );
    } else {
      missing.push(`a running Redis (${server} did not start on ${redisAddress})`);
      fixes.push(`start it: ${server} --port ${redisPort} --daemonize yes`);
    }
  }

  return { missing, packages, fixes, notes };
}

/** The one line that says what is missing and how to install it. */
export function missingLine(
  { missing, packages, fixes },
  { root = process.getuid?.() === 0 } = {},
) {
  const remedies = [...fixes];
  if (packages.length) {
    remedies.push(`install with: ${root ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`);
  }
  return `Missing: ${missing.join(', ')} — ${remedies.join('; ')}`;
}

async function main() {
  const result = await checkMachine();
  for (const note of result.notes) console.log(`preflight: ${note}`);
  if (result.missing.length) {
    console.error(missingLine(result));
    process.exit(1);
  }
  console.log(
    `preflight: Node.js ${process.versions.node}, chromium, nginx and Redis are there; running the tests`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
