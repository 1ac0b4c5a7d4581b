// The closed-loop load generator of the benchmarks: wrk (Debian's `wrk`, C, epoll), so that the
// generator is not what limits the figures as autocannon (one Node event loop) does on 2 cores.
// A Lua script sets the method, headers and body and prints wrk's summary as one JSON line; the
// CPU wrk used is read from the shell that waited for it (its children's user + system time).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const WRK = process.env.BENCH_WRK ?? '/usr/bin/wrk';

/**
 * A duration flag of a benchmark that wrk runs for: wrk takes whole seconds, at least one. A
 * value it cannot take ends the run before anything starts, saying which flag it was.
 */
export function wrkSeconds(flag: string, value: string | undefined): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) {
    console.error(`--${flag} must be a whole number of seconds, at least 1 (got ${value}).`);
    process.exit(2);
  }
  return seconds;
}

export interface WrkOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Bodies sent in turn (each thread goes through them from the first), in place of `body`. */
  bodies?: string[];
  connections: number;
  threads?: number;
  seconds: number;
}

export interface WrkResult {
  /** Responses with a 2xx or 3xx status. */
  ok: number;
  /** Responses with another status (wrk's "non-2xx or 3xx"). */
  badStatus: number;
  /** Connect, read and write errors and timeouts. */
  errors: number;
  seconds: number;
  /** Latency percentiles of the closed loop, ms. */
  p50: number;
  p99: number;
  /** CPU (user + system) wrk used, ms. */
  cpuMs: number;
}

const lua = (value: string): string => JSON.stringify(value);

/** A `request` function that sends the bodies in turn. */
function rotation(bodies: string[]): string {
  return `
local bodies = { ${bodies.map(lua).join(',\n')} }
local next_body = 0
function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
`;
}

function script(options: WrkOptions): string {
  const headers = Object.entries(options.headers ?? {})
    .map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`)
    .join('\n');
  return `
wrk.method = ${lua(options.method ?? 'GET')}
${options.body !== undefined ? `wrk.body = ${lua(options.body)}` : ''}
${headers}
${options.bodies?.length ? rotation(options.bodies) : ''}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"status":%d,"errors":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;
}

/** One wrk run; rejects if wrk fails or prints no summary. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'portico-wrk-'));
  try {
    const file = path.join(dir, 'request.lua');
    await writeFile(file, script(options));
    const threads = Math.min(options.threads ?? 1, options.connections);
    const args = [
      `-t${threads}`,
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      '--timeout',
      '10s',
      '-s',
      file,
      options.url,
    ];
    // The shell's cutime/cstime (fields 16 and 17 of /proc/<pid>/stat, in clock ticks) are the
    // CPU of the children it waited for: wrk alone, since `cat` is not yet waited for.
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        'sh',
        ['-c', `"$0" "$@"; echo; echo STAT $(cat /proc/$$/stat)`, WRK, ...args],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}: ${err}${out}`)),
      );
    });
    const json = /WRK_JSON (\{.*\})/.exec(output)?.[1];
    if (!json) throw new Error(`wrk printed no summary:\n${output}`);
    const summary = JSON.parse(json) as {
      requests: number;
      duration_us: number;
      status: number;
      errors: number;
      p50_us: number;
      p99_us: number;
    };
    // /proc/<pid>/stat: the command is in parentheses; the fields after it start at field 3.
    const stat = /STAT .*\) (.*)$/m.exec(output)?.[1]?.split(' ') ?? [];
    const ticks = Number(stat[13] ?? 0) + Number(stat[14] ?? 0);
    return {
      ok: summary.requests - summary.status,
      badStatus: summary.status,
      errors: summary.errors,
      seconds: summary.duration_us / 1e6,
      p50: summary.p50_us / 1000,
      p99: summary.p99_us / 1000,
      cpuMs: ticks * 10,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
