/**
 * Every log line the servers of a test run write goes to a file of the run's log folder
 * (`PORTICO_TEST_LOG_DIR`, made by global-setup.ts), and every password and secret the tests
 * hand to a server or get from one is written beside them. At the end of the run,
 * global-setup.ts fails the run if any of those appears in any log (`findLeaks`).
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { destination, pino, type Logger } from 'pino';

export const LOG_DIR_VARIABLE = 'PORTICO_TEST_LOG_DIR';

/**
 * Secrets as Portico hands them out: session tokens (pts), personal access tokens (ptc), mail
 * links (pte, pti), gateway tokens (pgw), credential secrets (pcs, pbt, pas, pos), sandbox
 * tokens (psb) and webhook signing secrets (whsec_ and the base64 of 32 bytes). The
 * public identifiers (pck, pac, poi) are not secret.
 */
export const SECRET_TOKEN =
  /\b(?:(?:pts|ptc|ptf|pte|pti|pgw|pcs|pbt|pas|pos|psb)_[0-9A-Za-z]{38}\b|whsec_[A-Za-z0-9+/]{43}=)/g;
/** A variable or field holding a password, whatever its casing (`password`, `newPassword` …). */
const PASSWORD_KEY = /password/i;

function logDir(): string {
  const dir = process.env[LOG_DIR_VARIABLE];
  if (!dir) throw new Error(`${LOG_DIR_VARIABLE} is not set: run the tests with vitest`);
  return dir;
}

/** A logger writing every line (trace and up) to this process's file of the run's log folder. */
export function capturedLogger(name = 'server'): Logger {
  const dir = logDir();
  mkdirSync(dir, { recursive: true });
  return pino(
    { level: 'trace' },
    destination({ dest: path.join(dir, `${name}-${process.pid}.log`), sync: true }),
  );
}

/** Keeps output a test collected from a server process of its own, for the end-of-run check. */
export function keepProcessOutput(name: string, output: string): void {
  appendFileSync(path.join(logDir(), `${name}-${process.pid}.log`), output);
}

const remembered = new Set<string>();

/** Remembers a password or secret that must never appear in a log. */
export function rememberSecret(secret: string): void {
  if (secret.length < 8 || remembered.has(secret) || secret.includes('\n')) return;
  remembered.add(secret);
  appendFileSync(path.join(logDir(), `secrets-${process.pid}.txt`), `${secret}\n`);
}

/**
 * Remembers the secrets in a value sent to or received from a server: any string under a
 * password key, and any string shaped like a Portico secret.
 */
export function rememberSecretsIn(value: unknown, key = ''): void {
  if (typeof value === 'string') {
    if (PASSWORD_KEY.test(key)) rememberSecret(value);
    for (const token of value.match(SECRET_TOKEN) ?? []) rememberSecret(token);
  } else if (Array.isArray(value)) {
    for (const item of value) rememberSecretsIn(item, key);
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, item] of Object.entries(value)) rememberSecretsIn(item, name);
  }
}

export interface Leak {
  file: string;
  line: number;
  what: string;
}

/**
 * The remembered secrets, and any string shaped like a Portico secret, found in the log files
 * of `dir`; the secret itself is not repeated, only its first characters.
 */
export function findLeaks(dir: string): Leak[] {
  const files = readdirSync(dir);
  const secrets = new Set<string>();
  for (const file of files.filter((name) => name.startsWith('secrets-'))) {
    for (const secret of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (secret) secrets.add(secret);
    }
  }
  // Tokens are found by their shape; the rest (passwords) are looked for one by one.
  const others = [...secrets].filter(
    (secret) => !new RegExp(`^${SECRET_TOKEN.source}$`).test(secret),
  );
  const leaks: Leak[] = [];
  for (const file of files.filter((name) => name.endsWith('.log'))) {
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      const found = [
        ...(text.match(SECRET_TOKEN) ?? []),
        ...others.filter((s) => text.includes(s)),
      ];
      for (const secret of found) {
        leaks.push({
          file,
          line: index + 1,
          what: `${secret.slice(0, 6)}… (${secret.length} characters)`,
        });
      }
    });
  }
  return leaks;
}

/** The lines this process's servers logged so far (see `capturedLogger`). */
export function capturedLines(name = 'server'): string[] {
  const file = path.join(logDir(), `${name}-${process.pid}.log`);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}
