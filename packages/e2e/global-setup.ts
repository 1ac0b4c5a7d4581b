import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

const SERVER_DIR = fileURLToPath(new URL('../server/', import.meta.url));
const SERVER_LOG = fileURLToPath(new URL('./server.log', import.meta.url));
const WEB_DIST = process.env.WEB_DIST ?? fileURLToPath(new URL('../web/dist/', import.meta.url));
const START_TIMEOUT_MS = 120_000;

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A real SMTP server that writes each message it receives as a JSON file into `dir`. */
async function startMailCatcher(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  let counter = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const name = `${Date.now()}-${String(++counter).padStart(4, '0')}`;
        const message = {
          receivedAt: new Date().toISOString(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        // Write then rename, so a reader never sees half a file.
        const tmp = path.join(dir, `.${name}.tmp`);
        writeFile(tmp, JSON.stringify(message, null, 2))
          .then(() => rename(tmp, path.join(dir, `${name}.json`)))
          .then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?tls.rejectUnauthorized=false&ignoreTLS=true`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitForReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The Portico server exited (${child.exitCode ?? child.signalCode}) before it was ready; see ${SERVER_LOG}`,
      );
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `The Portico server was not ready within ${START_TIMEOUT_MS} ms; see ${SERVER_LOG}`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a real SMTP catcher and the real Portico server (embedded PostgreSQL in a fresh
 * folder, demo data seeded) serving the already built web app. Tests find the server at
 * PORTICO_E2E_URL and received mail in PORTICO_E2E_MAIL_DIR. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    throw new Error(
      `The browser tests need Chromium at ${chromium}: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error(
      `No web app build in ${WEB_DIST}: run \`pnpm --filter @portico/web build\` first (the root \`pnpm test\` does).`,
    );
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'portico-e2e-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its folder.
  await chmod(scratch, 0o755);
  const mailDir = path.join(scratch, 'mail');
  await mkdir(mailDir);
  const mail = await startMailCatcher(mailDir);

  const port = await freePort();
  const pgPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(SERVER_LOG);
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '--import', '@swc-node/register/esm-register', 'src/main.ts'],
    {
      cwd: SERVER_DIR,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        EMBEDDED_PG_DIR: path.join(scratch, 'pg'),
        EMBEDDED_PG_PORT: String(pgPort),
        SMTP_URL: mail.url,
        SEED_DEMO: 'true',
        LOG_LEVEL: 'info',
        WEB_DIST,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const teardown = async (): Promise<void> => {
    await stopChild(child);
    await mail.stop();
    log.end();
    if (!process.env.PORTICO_E2E_KEEP) await rm(scratch, { recursive: true, force: true });
  };

  try {
    await waitForReady(url, child);
  } catch (error) {
    await teardown();
    throw error;
  }
  process.env.PORTICO_E2E_URL = url;
  process.env.PORTICO_E2E_MAIL_DIR = mailDir;
  console.log(`Portico e2e server at ${url} (log: ${SERVER_LOG})`);
  return teardown;
}
