// Gateway benchmark: /v1/verify on cache hits, on a Portico server (createApp: the portal, its
// API and the gateway endpoints) and on a gateway instance (INSTANCE_ROLE=gateway: the gateway
// endpoints only), against two baselines in the same run — a bare
// node:http server answering the same 200, and one that also hashes the credential (SHA-256)
// and looks it up in a Map — (req/s and the ratios, with wrk as the load generator and its CPU
// printed), /v1/verify latency at a fixed 2,000 req/s (evenly paced, see shared/paced.ts:
// Debian's wrk has no fixed rate, and autocannon's sends each second's requests in one burst),
// the gateway's database statements during those runs, and /v1/usage ingestion in batches of
// 1,000 events. Everything on loopback; stops by itself (in about 2.5 minutes).
//
//   cd packages/server && pnpm bench:verify [--seconds 10] [--connections 50] [--rate 2000]
//
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; a scratch database is created and dropped),
// else an embedded PostgreSQL in a temporary folder; migrated as main.ts does.
//
// Processes: Portico (createApp), the gateway instance and the baselines each run in a child
// process of their own, started the same way; wrk (closed loop) runs in a process of its own,
// the paced generator (fixed rate) and autocannon (usage) in this one, so none shares an event
// loop with the server it measures. Only one server is loaded at a time.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openBenchDatabase } from '../shared/database.js';
import {
  killChildren,
  nextMessage as nextMessageOf,
  percentile,
  PROFILE_FLAGS,
  SERVER_FLAGS,
  spawnChild,
  startWatchdog,
} from '../shared/processes.js';
import { migrate } from '../../packages/server/src/db/migrate.js';
import { initOrm } from '../../packages/server/src/database.js';
import { autocannon, type CannonOptions, type CannonResult } from './deps.js';
import type { ServerReply, ServerRequest, ServerStats } from './protocol.js';
import { catalogRows, consumer, PRODUCT_PREFIX } from '../shared/gateway-fixture.js';
import { printSummary } from '../shared/summary.js';
import { runWrk, wrkSeconds } from '../shared/wrk.js';
import { runPaced } from '../shared/paced.js';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    slice: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    threads: { type: 'string', default: '1' },
    rate: { type: 'string', default: '2000' },
    'rate-connections': { type: 'string', default: '10' },
    'usage-connections': { type: 'string', default: '4' },
    batch: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '3' },
    'timeout-seconds': { type: 'string', default: '240' },
  },
});
const SECONDS = Number(flags.seconds);
const SLICE = wrkSeconds('slice', flags.slice);
const CONNECTIONS = Number(flags.connections);
const THREADS = Number(flags.threads);
const RATE = Number(flags.rate);
const RATE_CONNECTIONS = Number(flags['rate-connections']);
const USAGE_CONNECTIONS = Number(flags['usage-connections']);
const BATCH = Number(flags.batch);
const WARMUP = wrkSeconds('warmup', flags.warmup);
const TIMEOUT_MS = Number(flags['timeout-seconds']) * 1000;

// The design's targets (shared/DESIGN.md, "Targets").
const TARGET_RATIO = 0.8;
const TARGET_P99_MS = 2;
const TARGET_EVENTS_PER_SECOND = 20_000;
/** Other work on the machine (in cores) above which the figures are flagged as noisy. */
const NOISY = 0.25;

const here = path.dirname(fileURLToPath(import.meta.url));
const ORIGINAL_URI = `${PRODUCT_PREFIX}/items?page=1`;

const watchdog = startWatchdog(TIMEOUT_MS);

// Every server starts the same way.
const spawn = (file: string, args: string[] = []): ChildProcess =>
  spawnChild(here, file, args, [...SERVER_FLAGS, ...PROFILE_FLAGS]);

const nextMessage = <T extends ServerReply['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs?: number,
): Promise<Extract<ServerReply, { type: T }>> =>
  nextMessageOf<ServerReply, T>(child, type, timeoutMs);

async function ask<T extends ServerReply['type']>(
  child: ChildProcess,
  request: ServerRequest,
  reply: T,
): Promise<Extract<ServerReply, { type: T }>> {
  const answer = nextMessage(child, reply);
  child.send(request);
  return answer;
}

const statsOf = (child: ChildProcess): Promise<ServerStats> =>
  ask(child, { type: 'stats' }, 'stats');

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
}

async function startServer(name: string, file: string, args: string[] = []): Promise<Server> {
  const child = spawn(file, args);
  const { url } = await nextMessage(child, 'ready');
  return { name, child, url };
}

async function stopServer(server: Server): Promise<void> {
  const stopped = nextMessage(server.child, 'stopped', 10_000).catch(() => undefined);
  server.child.send({ type: 'stop' } satisfies ServerRequest);
  await stopped;
}

/** Problems that make the run fail (missed targets do not). */
const problems: string[] = [];

interface Run {
  /** Responses with the expected status, and the seconds autocannon ran for. */
  ok: number;
  seconds: number;
  /** Every response's latency in ms (sub-ms precision), when asked for. */
  latencies: number[];
  /** CPU used meanwhile by the server and by this process (the load generator), and wall time. */
  serverCpuMs: number;
  loadCpuMs: number;
  wallMs: number;
  /** The gateway's statements meanwhile, by kind, and verifications that waited on them. */
  queries: number;
  byKind: Record<string, number>;
  waited: number;
}

const NO_RUN: Run = {
  ok: 0,
  seconds: 0,
  latencies: [],
  serverCpuMs: 0,
  loadCpuMs: 0,
  wallMs: 0,
  queries: 0,
  byKind: {},
  waited: 0,
};

function merge(a: Run, b: Run): Run {
  const byKind = { ...a.byKind };
  for (const [kind, count] of Object.entries(b.byKind)) byKind[kind] = (byKind[kind] ?? 0) + count;
  return {
    ok: a.ok + b.ok,
    seconds: a.seconds + b.seconds,
    latencies: a.latencies.concat(b.latencies),
    serverCpuMs: a.serverCpuMs + b.serverCpuMs,
    loadCpuMs: a.loadCpuMs + b.loadCpuMs,
    wallMs: a.wallMs + b.wallMs,
    queries: a.queries + b.queries,
    byKind,
    waited: a.waited + b.waited,
  };
}

/** A run's figures: what the load generator saw, and what the server did meanwhile. */
function runOf(
  before: ServerStats,
  after: ServerStats,
  seen: Pick<Run, 'ok' | 'seconds' | 'latencies' | 'loadCpuMs' | 'wallMs'>,
): Run {
  const byKind: Record<string, number> = {};
  for (const [kind, count] of Object.entries(after.byKind)) {
    const delta = count - (before.byKind[kind] ?? 0);
    if (delta) byKind[kind] = delta;
  }
  return {
    ...seen,
    serverCpuMs: after.cpuMs - before.cpuMs,
    queries: after.queries - before.queries,
    byKind,
    waited: after.waited - before.waited,
  };
}

type LoadOptions = Omit<CannonOptions, 'url'> & { path: string };

/** One autocannon run against `server`; responses other than `status` are problems. */
async function load(
  server: Server,
  label: string,
  options: LoadOptions,
  status: number,
  keepLatencies = false,
): Promise<Run> {
  const before = await statsOf(server.child);
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const latencies: number[] = [];
  const { path: requestPath, ...rest } = options;
  const result = await new Promise<CannonResult>((resolve, reject) => {
    const instance = autocannon(
      { ...rest, url: `${server.url}${requestPath}` },
      (err: unknown, done: CannonResult) => (err ? reject(err) : resolve(done)),
    );
    if (keepLatencies) {
      instance.on('response', (_client, _status, _bytes, ms) => {
        latencies.push(ms);
      });
    }
  });
  const wallMs = performance.now() - started;
  const own = process.cpuUsage(ownBefore);
  const after = await statsOf(server.child);

  const statuses = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => Number(code) !== status)
    .map(([code, { count }]) => `${count ?? 0} × ${code}`);
  if (result.errors || result.timeouts || statuses.length) {
    problems.push(
      `${label} (${server.name}): ${result.errors} errors, ${result.timeouts} timeouts${statuses.length ? `, ${statuses.join(', ')}` : ''}`,
    );
  }
  return runOf(before, after, {
    ok: result.statusCodeStats?.[`${status}`]?.count ?? 0,
    seconds: result.duration,
    latencies,
    loadCpuMs: (own.user + own.system) / 1000,
    wallMs,
  });
}

/**
 * One run at `RATE` requests per second, evenly paced (shared/paced.ts), against `server`,
 * every latency kept; responses other than `status` are problems.
 */
async function loadPaced(
  server: Server,
  label: string,
  options: LoadOptions,
  status: number,
): Promise<Run> {
  const before = await statsOf(server.child);
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const result = await runPaced({
    url: `${server.url}${options.path}`,
    headers: options.headers as Record<string, string>,
    rate: RATE,
    connections: options.connections ?? RATE_CONNECTIONS,
    seconds: Number(options.duration ?? SLICE),
  });
  const wallMs = performance.now() - started;
  const own = process.cpuUsage(ownBefore);
  const after = await statsOf(server.child);
  const statuses = [...result.statuses]
    .filter(([code]) => code !== status)
    .map(([code, count]) => `${count} × ${code}`);
  if (result.errors || statuses.length) {
    problems.push(
      `${label} (${server.name}): ${result.errors} errors${statuses.length ? `, ${statuses.join(', ')}` : ''}`,
    );
  }
  return runOf(before, after, {
    ok: result.statuses.get(status) ?? 0,
    seconds: result.seconds,
    latencies: result.latencies,
    loadCpuMs: (own.user + own.system) / 1000,
    wallMs,
  });
}

/** One closed-loop wrk run against `server`; responses other than 200 are problems. */
async function loadWrk(server: Server, label: string, options: LoadOptions): Promise<Run> {
  const before = await statsOf(server.child);
  const started = performance.now();
  const result = await runWrk({
    url: `${server.url}${options.path}`,
    headers: options.headers as Record<string, string>,
    connections: options.connections ?? CONNECTIONS,
    threads: THREADS,
    seconds: Number(options.duration ?? SLICE),
  });
  const wallMs = performance.now() - started;
  const after = await statsOf(server.child);
  if (result.badStatus || result.errors) {
    problems.push(
      `${label} (${server.name}): ${result.errors} errors, ${result.badStatus} non-200 answers`,
    );
  }
  return runOf(before, after, {
    ok: result.ok,
    seconds: result.seconds,
    latencies: [],
    loadCpuMs: result.cpuMs,
    wallMs,
  });
}

/**
 * Loads the servers in turn, in slices of SLICE seconds (SECONDS in all for each; the order
 * flips every round), so that whatever else the machine does weighs on both alike.
 */
async function alternate(
  servers: Server[],
  label: string,
  options: LoadOptions,
  status: number,
  keepLatencies = false,
  generator: 'wrk' | 'autocannon' | 'paced' = 'autocannon',
): Promise<Run[]> {
  const runs = servers.map(() => NO_RUN);
  const rounds = Math.max(1, Math.round(SECONDS / SLICE));
  for (let round = 0; round < rounds; round++) {
    const order = servers.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const server = servers[i];
      if (!server) continue;
      const sliced = { ...options, duration: SLICE };
      const run =
        generator === 'wrk'
          ? await loadWrk(server, label, sliced)
          : generator === 'paced'
            ? await loadPaced(server, label, sliced, status)
            : await load(server, label, sliced, status, keepLatencies);
      runs[i] = merge(runs[i] ?? NO_RUN, run);
    }
  }
  return runs;
}

const perSecond = (run: Run): number => run.ok / run.seconds;
const cpuShare = (run: Run, ms: number): number => ms / run.wallMs;

/** CPU time (ms) all the machine's CPUs spent busy since boot (softirq, loopback's, included). */
function machineBusyMs(): number {
  try {
    // cpu  user nice system idle iowait irq softirq steal …, in USER_HZ (1/100 s) ticks.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] =
      readFileSync('/proc/stat', 'utf8')
        .split('\n', 1)[0]
        ?.trim()
        .split(/\s+/)
        .slice(1)
        .map(Number) ?? [];
    return (user + nice + system + irq + softirq + steal) * 10;
  } catch {
    return os
      .cpus()
      .reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
  }
}

interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  samples: number;
}

function latencyOf(run: Run): Latency {
  const sorted = Float64Array.from(run.latencies).sort();
  const values = Array.from(sorted);
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values[values.length - 1] ?? Number.NaN,
    samples: values.length,
  };
}

/** A /v1/usage body of BATCH events of the credential over the last ten minutes. */
function usageBody(credentialId: string, product: string): string {
  const now = Date.now();
  const events = Array.from({ length: BATCH }, (_, i) => ({
    credentialId,
    product,
    status: i % 25 === 0 ? 503 : i % 10 === 0 ? 404 : 200,
    responseTimeMs: 3 + (i % 97),
    units: i % 3,
    time: new Date(now - (i % 10) * 60_000 - (i % 1000)).toISOString(),
  }));
  return JSON.stringify({ events });
}

const num = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value: number): string => `${value.toFixed(2)} ms`;
const pct = (share: number): string => `${Math.round(share * 100)}%`;
const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');

async function main(): Promise<number> {
  const scratchDatabase = await openBenchDatabase();
  const databaseUrl = scratchDatabase.url;
  const orm = await initOrm({ clientUrl: databaseUrl });
  const servers: Server[] = [];
  try {
    await migrate(orm);
    const fixture = await catalogRows(orm);
    const [portico, gatewayInstance, bare, sha] = await Promise.all([
      startServer('Portico', 'portico.ts', [databaseUrl]),
      startServer('gateway instance', 'gateway-instance.ts', [databaseUrl]),
      startServer('bare node:http', 'bare.ts'),
      startServer('SHA-256 + Map', 'sha.ts'),
    ]);
    servers.push(portico, gatewayInstance, bare, sha);
    // Made through the portal's API: the gateway instance serves verifications only.
    const who = await consumer(orm, portico.url, fixture);
    await ask(portico.child, { type: 'reload' }, 'reloaded');
    await ask(gatewayInstance.child, { type: 'reload' }, 'reloaded');
    await ask(sha.child, { type: 'reload', secret: who.secret }, 'reloaded');

    const verifyHeaders = {
      authorization: `Bearer ${who.secret}`,
      'x-original-uri': ORIGINAL_URI,
      'x-original-method': 'GET',
    };
    const check = await fetch(`${portico.url}/v1/verify`, { headers: verifyHeaders });
    if (check.status !== 200) {
      throw new Error(`/v1/verify answers ${check.status}: ${await check.text()}`);
    }
    const checkInstance = await fetch(`${gatewayInstance.url}/v1/verify`, {
      headers: verifyHeaders,
    });
    if (checkInstance.status !== 200) {
      throw new Error(
        `the gateway instance's /v1/verify answers ${checkInstance.status}: ${await checkInstance.text()}`,
      );
    }
    console.log(
      `Gateway benchmark: ${os.cpus().length} CPU(s), Node ${process.version}; ${SECONDS} s per` +
        ` measure and server, in alternating ${SLICE} s slices, after ${WARMUP} s of warm-up;` +
        ` plan limit ${check.headers.get('x-ratelimit-limit')} per 60 s`,
    );

    const verifyRequest = { path: '/v1/verify', headers: verifyHeaders };
    const closedLoop = { ...verifyRequest, connections: CONNECTIONS };
    const fixedRate = { ...verifyRequest, connections: RATE_CONNECTIONS };

    console.log('\n▶ warm-up');
    const verifiers = [portico, gatewayInstance, bare, sha];
    for (const server of verifiers) {
      await loadWrk(server, 'warm-up', { ...closedLoop, duration: WARMUP });
    }

    const machineBefore = machineBusyMs();
    console.log(`▶ throughput: wrk, ${CONNECTIONS} connections`);
    const [verifyRun = NO_RUN, instanceRun = NO_RUN, bareRun = NO_RUN, shaRun = NO_RUN] =
      await alternate(verifiers, 'throughput', closedLoop, 200, false, 'wrk');

    console.log(
      `▶ latency at ${num(RATE)} req/s: evenly paced, at most ${RATE_CONNECTIONS} connections`,
    );
    const [verifyRated = NO_RUN, instanceRated = NO_RUN, bareRated = NO_RUN, shaRated = NO_RUN] =
      await alternate(verifiers, 'fixed rate', fixedRate, 200, true, 'paced');
    // CPU the machine spent during the verify runs beyond the loaded server and the load
    // generator (PostgreSQL's share included), in cores: other work makes the figures noisy.
    const verifyRuns = [
      verifyRun,
      instanceRun,
      bareRun,
      shaRun,
      verifyRated,
      instanceRated,
      bareRated,
      shaRated,
    ];
    const others =
      (machineBusyMs() -
        machineBefore -
        verifyRuns.reduce((sum, run) => sum + run.serverCpuMs + run.loadCpuMs, 0)) /
      verifyRuns.reduce((sum, run) => sum + run.wallMs, 0);

    console.log(`▶ usage ingestion: ${num(BATCH)}-event batches, ${USAGE_CONNECTIONS} connections`);
    const usageRequest = {
      path: '/v1/usage',
      method: 'POST' as const,
      headers: {
        authorization: `Bearer ${fixture.gatewayToken}`,
        'content-type': 'application/json',
      },
      body: usageBody(who.credentialId, fixture.productSlug),
      connections: USAGE_CONNECTIONS,
    };
    const usageWarmUp = await load(
      portico,
      'usage warm-up',
      { ...usageRequest, duration: Math.min(WARMUP, 2) },
      202,
    );
    const usageRun = await load(portico, 'usage', { ...usageRequest, duration: SECONDS }, 202);
    // Every accepted event is in usage_minute (verifications count requests, not responses).
    const [stored] = await orm.em
      .fork()
      .getConnection()
      .execute<{ responses: string }[]>(
        'select coalesce(sum(responses), 0)::text as responses from usage_minute where app_id = ?',
        [who.appId],
      );
    // autocannon does not count the requests still in flight when it stops (at most one per
    // connection and run), though the server goes on to record them.
    const accepted = (usageWarmUp.ok + usageRun.ok) * BATCH;
    const inFlight = 2 * USAGE_CONNECTIONS * BATCH;
    const storedEvents = Number(stored?.responses);
    if (!(storedEvents >= accepted && storedEvents <= accepted + inFlight)) {
      problems.push(`usage: ${accepted} events accepted, ${stored?.responses} stored`);
    }

    // ---- report ----
    const verifyRps = perSecond(verifyRun);
    const bareRps = perSecond(bareRun);
    const shaRps = perSecond(shaRun);
    const ratio = verifyRps / bareRps;
    const shaRatio = verifyRps / shaRps;
    const instanceRps = perSecond(instanceRun);
    const instanceRatio = instanceRps / bareRps;
    const instanceLatency = latencyOf(instanceRated);
    const verifyLatency = latencyOf(verifyRated);
    const bareLatency = latencyOf(bareRated);
    const shaLatency = latencyOf(shaRated);
    const latencyRow = (label: string, key: 'p50' | 'p90' | 'p99' | 'max'): string[] => [
      label,
      ...[verifyLatency, instanceLatency, bareLatency, shaLatency].map((l) => ms(l[key])),
      '',
      '',
    ];
    const hits = merge(verifyRun, verifyRated);
    const instanceHits = merge(instanceRun, instanceRated);
    const events = (usageRun.ok * BATCH) / usageRun.seconds;

    const rows: string[][] = [
      [
        'measure',
        'Portico',
        'gateway instance',
        'bare node:http',
        'SHA-256 + Map',
        'target',
        'result (Portico / gateway instance)',
      ],
      [
        `throughput (wrk, ${CONNECTIONS} connections)`,
        `${num(verifyRps)} req/s`,
        `${num(instanceRps)} req/s`,
        `${num(bareRps)} req/s`,
        `${num(shaRps)} req/s`,
        `ratio to bare ≥ ${TARGET_RATIO}`,
        `${ratio.toFixed(2)} ${verdict(ratio >= TARGET_RATIO)} / ` +
          `${instanceRatio.toFixed(2)} ${verdict(instanceRatio >= TARGET_RATIO)}`,
      ],
      [
        '  ratio to SHA-256 + Map',
        shaRatio.toFixed(2),
        (instanceRps / shaRps).toFixed(2),
        '',
        '',
        '',
        '',
      ],
      latencyRow(`latency at ${num(RATE)} req/s: p50`, 'p50'),
      latencyRow('  p90', 'p90'),
      [
        ...latencyRow('  p99', 'p99').slice(0, 5),
        `≤ ${TARGET_P99_MS} ms`,
        `${verdict(verifyLatency.p99 <= TARGET_P99_MS)} / ${verdict(instanceLatency.p99 <= TARGET_P99_MS)}`,
      ],
      latencyRow('  max', 'max'),
      [
        '  achieved rate',
        ...[verifyRated, instanceRated, bareRated, shaRated].map(
          (run) => `${num(perSecond(run))} req/s`,
        ),
        '',
        '',
      ],
      [
        'hits that waited on the DB',
        `${hits.waited} (DB statements: ${hits.queries})`,
        `${instanceHits.waited} (DB statements: ${instanceHits.queries})`,
        '',
        '',
        '0',
        `${verdict(hits.waited === 0)} / ${verdict(instanceHits.waited === 0)}`,
      ],
      [
        `usage ingestion (${num(BATCH)}/batch)`,
        `${num(events)} events/s`,
        '',
        '',
        '',
        `≥ ${num(TARGET_EVENTS_PER_SECOND)}`,
        verdict(events >= TARGET_EVENTS_PER_SECOND),
      ],
    ];
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
    console.log(
      '\n/v1/verify (cache hits) on Portico and on a gateway instance against a bare node:http server' +
        ' and a SHA-256 + Map one, and /v1/usage',
    );
    for (const row of rows) {
      console.log(row.map((cell, i) => cell.padEnd((widths?.[i] ?? 0) + 2)).join(''));
    }
    console.log(
      `\nGateway statements during the hit runs (${hits.queries} in all), from its` +
        ' timers (and none a verification waited for, unless counted above):',
    );
    for (const [kind, count] of Object.entries(hits.byKind).sort()) {
      console.log(`  ${String(count).padStart(5)}  ${kind}`);
    }
    const cpu = (run: Run) =>
      `server ${pct(cpuShare(run, run.serverCpuMs))}, load generator ${pct(cpuShare(run, run.loadCpuMs))}`;
    console.log(
      `CPU while loaded (one core = 100%): throughput (wrk) Portico ${cpu(verifyRun)}; gateway instance` +
        ` ${cpu(instanceRun)}; bare ${cpu(bareRun)}; SHA-256 + Map ${cpu(shaRun)}; at ${num(RATE)} req/s` +
        ` (paced) Portico ${cpu(verifyRated)}, gateway instance ${cpu(instanceRated)}, bare` +
        ` ${cpu(bareRated)}; usage (autocannon) ${cpu(usageRun)}`,
    );
    console.log(
      `Latency samples: ${num(verifyLatency.samples)} (Portico), ${num(instanceLatency.samples)}` +
        ` (gateway instance), ${num(bareLatency.samples)} (bare);` +
        ` usage events accepted: ${num(accepted)}, stored: ${num(storedEvents)}; other work on the machine during` +
        ` the verify runs: ${pct(others)} of a core`,
    );
    if (cpuShare(bareRun, bareRun.loadCpuMs) > 0.9) {
      console.log(
        'Note: wrk used a whole core against the bare server, so its figure is a floor' +
          ' (the bare server could answer more) and the ratio a ceiling.',
      );
    }
    if (others > NOISY) {
      console.log(
        `Note: the machine was busy with other work (over ${pct(NOISY)} of a core): the` +
          ' figures are low and noisy; run again on a quiet machine.',
      );
    }

    const resultsDir = path.join(here, '../results');
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(
      resultsDir,
      `verify-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    await writeFile(
      file,
      JSON.stringify(
        {
          cpus: os.cpus().length,
          node: process.version,
          otherWorkCores: others,
          options: {
            SECONDS,
            SLICE,
            CONNECTIONS,
            RATE,
            RATE_CONNECTIONS,
            USAGE_CONNECTIONS,
            BATCH,
          },
          throughput: {
            verifyRps,
            instanceRps,
            bareRps,
            shaRps,
            ratio,
            instanceRatio,
            shaRatio,
            targetRatio: TARGET_RATIO,
          },
          latency: {
            verify: verifyLatency,
            instance: instanceLatency,
            bare: bareLatency,
            sha: shaLatency,
            targetP99Ms: TARGET_P99_MS,
          },
          queries: { total: hits.queries, byKind: hits.byKind, waited: hits.waited },
          instanceQueries: {
            total: instanceHits.queries,
            byKind: instanceHits.byKind,
            waited: instanceHits.waited,
          },
          usage: { eventsPerSecond: events, target: TARGET_EVENTS_PER_SECOND },
          problems,
        },
        null,
        2,
      ),
    );
    console.log(`\nResults written to ${path.relative(process.cwd(), file)}`);
    printSummary('verify', [
      {
        measure: '/v1/verify hit vs bare node:http',
        value: `${ratio.toFixed(2)} (${num(verifyRps)} / ${num(bareRps)} req/s; vs SHA-256 + Map ${shaRatio.toFixed(2)})`,
        target: `≥ ${TARGET_RATIO}`,
        met: ratio >= TARGET_RATIO,
      },
      {
        measure: '/v1/verify hit on a gateway instance vs bare node:http',
        value: `${instanceRatio.toFixed(2)} (${num(instanceRps)} / ${num(bareRps)} req/s)`,
        target: `≥ ${TARGET_RATIO}`,
        met: instanceRatio >= TARGET_RATIO,
      },
      {
        measure: `/v1/verify p99 at ${num(RATE)} req/s`,
        value: `${ms(verifyLatency.p99)} (gateway instance ${ms(instanceLatency.p99)}, bare ${ms(bareLatency.p99)})`,
        target: `≤ ${TARGET_P99_MS} ms`,
        met: verifyLatency.p99 <= TARGET_P99_MS,
      },
      {
        measure: '/v1/verify hits that waited on the DB',
        value: `${hits.waited} (gateway instance ${instanceHits.waited})`,
        target: '0',
        met: hits.waited === 0 && instanceHits.waited === 0,
      },
      {
        measure: '/v1/usage ingestion',
        value: `${num(events)} events/s`,
        target: `≥ ${num(TARGET_EVENTS_PER_SECOND)}`,
        met: events >= TARGET_EVENTS_PER_SECOND,
      },
    ]);
  } finally {
    await Promise.all(servers.map(stopServer));
    await orm.close(true);
    await scratchDatabase.drop();
  }

  if (problems.length) {
    console.error(`\nErrors during the runs:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  return 0;
}

main()
  .then((code) => {
    clearTimeout(watchdog);
    process.exit(code);
  })
  .catch((err: unknown) => {
    console.error(err);
    killChildren();
    process.exit(1);
  });
