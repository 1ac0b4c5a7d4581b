import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Settings of the test run that must not reach a server process started on its own. */
const NOT_INHERITED = [
  'DATABASE_URL',
  'EVENTS_DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'PORT',
  'LOG_LEVEL',
  'NODE_ENV',
  'PUBLIC_URL',
  'INSTANCE_ROLE',
];

export interface ServerProcess {
  /** The server's own URL, once it printed it (rejects if it exits first). */
  url: Promise<string>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` to its whole process group, as a terminal's Ctrl-C does. */
  signalGroup(signal: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A script of a package.json (`package`: `.` for the root, else `packages/server`). */
export function packageScript(pkg: '.' | 'packages/server', name: string): string {
  const file = new URL(pkg === '.' ? '../../../package.json' : '../package.json', import.meta.url);
  const { scripts } = JSON.parse(readFileSync(file, 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = scripts[name];
  if (!script) throw new Error(`${pkg}/package.json has no ${name} script`);
  return script;
}

/**
 * The Node.js flags the server's `start` script runs it with (what stands between `node` and
 * `dist/main.js`): the Dockerfile and every test or benchmark that starts the build use them.
 */
export function startNodeFlags(): string[] {
  const match = /\bnode\s+(.*?)\s*dist\/main\.js/.exec(packageScript('packages/server', 'start'));
  if (!match) throw new Error('the start script runs no node … dist/main.js');
  return match[1]!.split(/\s+/).filter(Boolean);
}

/**
 * The server's `start` script, running the sources instead of the build in dist/ (which other
 * tests may be rebuilding meanwhile): the same shell command, node flags and process.
 */
export function startScriptOnSources(): string {
  const script = packageScript('packages/server', 'start');
  const compiled = 'dist/main.js';
  if (!script.includes(compiled))
    throw new Error(`the start script runs no ${compiled}: ${script}`);
  return script.replace(compiled, '--import @swc-node/register/esm-register src/main.ts');
}

/**
 * Starts the server as pnpm runs a script, `sh -c <command>`, in packages/server and in a
 * process group of its own (as a terminal's foreground job).
 */
export function spawnServer(options: {
  command: string;
  env: Record<string, string>;
}): ServerProcess {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !NOT_INHERITED.includes(name)) env[name] = value;
  }
  Object.assign(env, options.env);
  const child = spawn('sh', ['-c', options.command], {
    cwd: SERVER_DIR,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let onOutput = (): void => undefined;
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    onOutput();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = new Promise<string>((resolve, reject) => {
    onOutput = () => {
      // A portal's banner gives its GraphQL API; a gateway instance's (INSTANCE_ROLE=gateway) its URL.
      const found =
        /(?:GraphQL API: (http:\/\/\S+)\/graphql|gateway instance: (http:\/\/\S+))/.exec(output);
      const address = found?.[1] ?? found?.[2];
      if (address) resolve(address);
    };
    void exited.then((exit) =>
      reject(new Error(`the server exited (${JSON.stringify(exit)}):\n${output}`)),
    );
  });
  return {
    url,
    output: () => output,
    signalGroup(signal) {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    },
    exited,
  };
}
