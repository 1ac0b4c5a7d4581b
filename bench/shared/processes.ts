// What every benchmark's parent process does with its children: fork them with the server's
// TypeScript hook (optionally profiled), wait for a message of a given type, kill them all
// when the run must end. Also the percentile both benchmarks report. The hook runs the
// benchmarks' own files; the Portico servers they start are the compiled packages/server/dist.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNodeFlags } from '../../packages/server/test/server-process.js';

const serverDir = fileURLToPath(new URL('../../packages/server', import.meta.url));
const children = new Set<ChildProcess>();

/**
 * The Node flags of the servers under study: BENCH_PROFILE=<dir> writes a CPU profile of each
 * there; BENCH_NODE_FLAGS adds flags of its own (e.g. `--trace-gc-nvp` for each collection's
 * pause and survivors, `--perf-prof` for `perf`, or a V8 flag to compare).
 */
export const PROFILE_FLAGS = [
  ...(process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : []),
  ...(process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
];

/**
 * The Node.js flags of the server's start script (and the Dockerfile): every server a benchmark
 * starts, Portico's and the baselines', runs with them, as production runs Portico.
 */
export const SERVER_FLAGS = startNodeFlags();

/** Forks `dir/file` from the server package, which has the TypeScript hook. */
export function spawnChild(
  dir: string,
  file: string,
  args: string[] = [],
  flags: string[] = [],
): ChildProcess {
  const child = fork(path.join(dir, file), args, {
    execArgv: ['--import', '@swc-node/register/esm-register', ...flags],
    cwd: serverDir,
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Bounds the whole run: whatever happens, it ends. Clear the timer when done. */
export function startWatchdog(timeoutMs: number): NodeJS.Timeout {
  return setTimeout(() => {
    console.error(`\nBenchmark exceeded ${timeoutMs / 1000}s; stopping.`);
    killChildren();
    process.exit(2);
  }, timeoutMs);
}

/** The child's next message of `type` (rejects if it exits first or none comes in time). */
export function nextMessage<M extends { type: string }, T extends M['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs = 60_000,
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} message in time`)), timeoutMs);
    const onMessage = (message: M) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<M, { type: T }>);
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before ${type}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** The p-th percentile of ascending `sorted` values (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}
