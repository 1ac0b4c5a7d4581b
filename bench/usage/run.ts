// Usage benchmark: ingestion through the gateway's HTTP endpoints while the rollups run, then
// the usage queries of an organization with 1,000 apps and 120 days of usage. Stops by itself.
//
//   cd packages/server && pnpm bench:usage [--seconds 20] [--batch 1000] [--connections 16]
//     [--apps 1000] [--days 120] [--runs 30] [--verify-rate 2000] [--rollup-pause 1000]
//
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; a scratch database is created and dropped),
// else an embedded PostgreSQL in a temporary folder; migrated as main.ts does.
//
// 1. Ingestion. Portico (the production build, in a process of its own) takes `POST /v1/usage`
//    batches of --batch events (credentials of --apps apps, statuses, response times, units,
//    times over the 10 s before the run) from wrk (C, --threads threads, --connections
//    connections, rotating through 8 bodies), and `/v1/verify` calls of a granted key at a
//    fixed --verify-rate from autocannon (each one counts a request), while the usage rollup
//    (rollUpUsage, what the `usage-rollup` job runs every minute) runs back to back with a
//    --rollup-pause pause. Portico's figure is the events COMMITTED during its slices (read
//    from the database before and after each one; what is still in flight is written before
//    the next slice). Baseline: a bare node:http server that reads the same bodies, parses them
//    as JSON and answers 202 (bare.ts), loaded by the same wrk, in alternating --slice second
//    slices. Printed: events/s, CPU of the server, of wrk, of this process (autocannon and the
//    rollup driver), of the embedded PostgreSQL and of everything else on the machine. Every
//    accepted event must be stored, per app and per organization alike. A report is answered
//    once its statement commits, so wrk holds at most --connections reports in flight: with
//    too few, the generator's concurrency, not the server, sets the rate (the server's CPU
//    then stays well below a core, and the run says so). 16 connections keep the server busy
//    on 2 cores; fewer show the rate at a lower load.
// 2. Queries, of the same organization with --apps apps: --days - 1 past days as day rows,
//    today's earlier hours as hour rows, and the last hour as minute rows (its hours and today
//    dirty, as when the gateway is writing), each per app and per organization. Timed --runs
//    times: the 120-day chart (series and totals, readUsage as the resolver runs it), this
//    month's totals, and the same two over GraphQL (`usage` on HTTP, signed in), plus the
//    whole organization usage page (breakdowns and caps). Baseline: the same statements read
//    from the per-app rows (what they read without the organization rollups).
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openBenchDatabase } from '../shared/database.js';
import { catalogRows, consumer, PRODUCT_PREFIX, type Consumer } from '../shared/gateway-fixture.js';
import {
  killChildren,
  nextMessage as nextMessageOf,
  percentile,
  PROFILE_FLAGS,
  SERVER_FLAGS,
  spawnChild,
  startWatchdog,
} from '../shared/processes.js';
import { printSummary, type SummaryRow } from '../shared/summary.js';
import { runWrk, wrkSeconds } from '../shared/wrk.js';
import { autocannon, type CannonResult } from '../verify/deps.js';
import type { ServerReply, ServerRequest } from '../verify/protocol.js';
import type { Context } from '../../packages/server/src/context.js';
import { initOrm } from '../../packages/server/src/database.js';
import { migrate } from '../../packages/server/src/db/migrate.js';
import { maintainUsagePartitions } from '../../packages/server/src/modules/usage/usage.partitions.js';
import { usageWindow } from '../../packages/server/src/modules/usage/usage.periods.js';
import {
  knexParams,
  STATS_SQL,
  usageRowsSql,
} from '../../packages/server/src/modules/usage/usage.read.js';
import {
  rollUpUsage,
  summarizeOrganizations,
} from '../../packages/server/src/modules/usage/usage.rollup.js';
import { readUsage } from '../../packages/server/src/modules/usage/usage.service.js';
import {
  UsagePeriod,
  type UsageScope,
} from '../../packages/server/src/modules/usage/usage.types.js';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    slice: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    apps: { type: 'string', default: '1000' },
    days: { type: 'string', default: '120' },
    batch: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '16' },
    threads: { type: 'string', default: '2' },
    'verify-rate': { type: 'string', default: '2000' },
    'rollup-pause': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '30' },
    'timeout-seconds': { type: 'string', default: '600' },
  },
});
const SECONDS = Number(flags.seconds);
const SLICE = wrkSeconds('slice', flags.slice);
const WARMUP = wrkSeconds('warmup', flags.warmup);
const APPS = Number(flags.apps);
const DAYS = Number(flags.days);
const BATCH = Number(flags.batch);
const CONNECTIONS = Number(flags.connections);
const THREADS = Number(flags.threads);
const VERIFY_RATE = Number(flags['verify-rate']);
const ROLLUP_PAUSE_MS = Number(flags['rollup-pause']);
const RUNS = Number(flags.runs);
const TIMEOUT_MS = Number(flags['timeout-seconds']) * 1000;

// The design's targets (shared/DESIGN.md, "Targets").
const TARGET_EVENTS_PER_SECOND = 200_000;
const TARGET_P95_MS = 50;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const BODIES = 8;

const here = path.dirname(fileURLToPath(import.meta.url));
const verifyDir = path.join(here, '../verify');
const watchdog = startWatchdog(TIMEOUT_MS);

type Orm = Awaited<ReturnType<typeof initOrm>>;

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
}

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

async function startServer(name: string, dir: string, file: string, args: string[] = []) {
  const child = spawnChild(dir, file, args, [...SERVER_FLAGS, ...PROFILE_FLAGS]);
  const { url } = await nextMessage(child, 'ready');
  return { name, child, url };
}

async function stopServer(server: Server): Promise<void> {
  const stopped = nextMessage(server.child, 'stopped', 10_000).catch(() => undefined);
  server.child.send({ type: 'stop' } satisfies ServerRequest);
  await stopped;
}

const cpuOf = async (server: Server): Promise<number> =>
  (await ask(server.child, { type: 'stats' }, 'stats')).cpuMs;

/** CPU time (ms) all the machine's CPUs spent busy since boot. */
function machineBusyMs(): number {
  // cpu  user nice system idle iowait irq softirq steal …, in USER_HZ (1/100 s) ticks.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] =
    readFileSync('/proc/stat', 'utf8')
      .split('\n', 1)[0]
      ?.trim()
      .split(/\s+/)
      .slice(1)
      .map(Number) ?? [];
  return (user + nice + system + irq + softirq + steal) * 10;
}

/** Fields 3… of /proc/<pid>/stat (after the command in parentheses), or null. */
function statOf(pid: string | number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) of the embedded PostgreSQL so far: its postmaster (with the backends it has
 * reaped) and its live children. Null with BENCH_DATABASE_URL (not ours to watch).
 */
function postgresCpuMs(pid: number | null): number | null {
  if (pid === null) return null;
  const own = statOf(pid);
  if (!own) return null;
  // utime, stime, cutime, cstime are fields 14 to 17, in clock ticks (1/100 s).
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(entry);
    if (stat && Number(stat[1]) === pid) ticks += Number(stat[11]) + Number(stat[12]);
  }
  return ticks * 10;
}

const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const num = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const cores = (ms: number, wallMs: number): string => `${((ms / wallMs) * 100).toFixed(0)}%`;

/** Problems that make the run fail (missed targets do not). */
const problems: string[] = [];

// ---- fixture ----

/** APPS more apps of the consumer's organization, each with a credential (copies of its own). */
async function benchApps(orm: Orm, who: Consumer): Promise<string[]> {
  const em = orm.em.fork();
  await em.execute(
    `insert into app
     select (jsonb_populate_record(null::app, to_jsonb(a) || jsonb_build_object(
       'id', 'app_bench' || i, 'name', 'Bench app ' || i))).*
     from app a, generate_series(1, ?) i where a.id = ?`,
    [APPS, who.appId],
  );
  await em.execute(
    `insert into credential
     select (jsonb_populate_record(null::credential, to_jsonb(c) || jsonb_build_object(
       'id', 'crd_bench' || i, 'app_id', 'app_bench' || i,
       'secret_hash', md5(c.secret_hash || i), 'public_id', c.public_id || i))).*
     from credential c, generate_series(1, ?) i where c.id = ?`,
    [APPS, who.credentialId],
  );
  return Array.from({ length: APPS }, (_, i) => `crd_bench${i + 1}`);
}

/**
 * BODIES `POST /v1/usage` bodies of BATCH events each, over the credentials, timed over the last
 * 10 seconds (a gateway that reports every few seconds).
 */
function usageBodies(credentials: string[], product: string): string[] {
  const now = Date.now();
  return Array.from({ length: BODIES }, (_, b) => {
    const events = Array.from({ length: BATCH }, (_, j) => {
      const n = b * BATCH + j;
      return {
        credentialId: credentials[n % credentials.length],
        product,
        status: n % 50 === 0 ? 503 : n % 20 === 0 ? 404 : 200,
        responseTimeMs: 2 + ((n * 7919) % 400) / 2,
        units: n % 3,
        time: new Date(now - ((n * 31) % 10_000)).toISOString(),
      };
    });
    return JSON.stringify({ events });
  });
}

// ---- ingestion ----

interface Slice {
  /** Committed (Portico) or answered (baseline) events, and verified requests committed. */
  events: number;
  verified: number;
  /** Events answered 202 and verifications answered 200. */
  answered: number;
  answeredVerifications: number;
  seconds: number;
  wallMs: number;
  serverCpuMs: number;
  wrkCpuMs: number;
  ownCpuMs: number;
  machineMs: number;
  /** The embedded PostgreSQL's CPU (NaN when it is not the embedded one). */
  postgresMs: number;
  rollups: number;
  rollupMs: number;
  /** wrk's latency percentiles of the slice (added up over slices; divided when printed). */
  p50: number;
  p99: number;
}

const EMPTY: Slice = {
  events: 0,
  verified: 0,
  answered: 0,
  answeredVerifications: 0,
  seconds: 0,
  wallMs: 0,
  serverCpuMs: 0,
  wrkCpuMs: 0,
  ownCpuMs: 0,
  machineMs: 0,
  postgresMs: 0,
  rollups: 0,
  rollupMs: 0,
  p50: 0,
  p99: 0,
};

function add(a: Slice, b: Slice): Slice {
  const sum = { ...a };
  for (const key of Object.keys(b) as (keyof Slice)[]) sum[key] = a[key] + b[key];
  return sum;
}

interface Loads {
  /** The embedded PostgreSQL's postmaster, to read its CPU. */
  postgresPid: number | null;
  bodies: string[];
  gatewayToken: string;
  verifyHeaders: Record<string, string>;
}

/** Rollups back to back (with a pause) until `stop` resolves. */
function rollupLoop(orm: Orm): { stop(): Promise<{ runs: number; ms: number }> } {
  let running = true;
  let runs = 0;
  let ms = 0;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await rollUpUsage(orm.em.fork());
      ms += performance.now() - started;
      runs += 1;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, ROLLUP_PAUSE_MS);
      });
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
      return { runs, ms };
    },
  };
}

async function fixedRateVerify(url: string, headers: Record<string, string>, seconds: number) {
  if (VERIFY_RATE <= 0) return 0;
  const result = await new Promise<CannonResult>((resolve, reject) => {
    autocannon(
      {
        url: `${url}/v1/verify`,
        headers,
        connections: 10,
        overallRate: VERIFY_RATE,
        duration: seconds,
      },
      (err: unknown, done: CannonResult) => (err ? reject(err) : resolve(done)),
    );
  });
  const other = Object.entries(result.statusCodeStats ?? {}).filter(([code]) => code !== '200');
  if (result.errors || other.length) {
    problems.push(`verify: ${result.errors} errors, statuses ${JSON.stringify(other)}`);
  }
  return result.statusCodeStats?.['200']?.count ?? 0;
}

/** Events (responses) and verified requests committed so far for the organization. */
async function committed(orm: Orm, organizationId: string) {
  const [row] = await orm.em.fork().execute<{ events: string; requests: string }[]>(
    `select coalesce(sum(responses), 0)::text as events, coalesce(sum(requests), 0)::text as requests
     from usage_org_minute where organization_id = ?`,
    [organizationId],
  );
  return { events: Number(row?.events ?? 0), requests: Number(row?.requests ?? 0) };
}

/** Waits until what is committed stops growing (the answers still in flight are written). */
async function settled(orm: Orm, organizationId: string) {
  let last = await committed(orm, organizationId);
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await committed(orm, organizationId);
    if (now.events === last.events && now.requests === last.requests) return now;
    last = now;
  }
  return last;
}

/**
 * One slice: wrk posting the bodies (and, against Portico, autocannon verifying at a fixed
 * rate and the rollups running). Portico's events are those COMMITTED during the slice, read
 * from the database before and right after it (not wrk's answers: a request answered after
 * wrk stops would count nowhere); the bare server's are its answers.
 */
async function ingestSlice(
  server: Server,
  portico: boolean,
  orm: Orm,
  loads: Loads,
  who: Consumer,
  seconds: number,
): Promise<Slice> {
  const before = portico ? await committed(orm, who.organizationId) : null;
  const serverBefore = await cpuOf(server);
  const ownBefore = ownCpuMs();
  const machineBefore = machineBusyMs();
  const postgresBefore = postgresCpuMs(loads.postgresPid);
  const started = performance.now();
  const rollups = portico ? rollupLoop(orm) : null;
  const [wrk, verified] = await Promise.all([
    runWrk({
      url: `${server.url}/v1/usage`,
      method: 'POST',
      headers: {
        authorization: `Bearer ${loads.gatewayToken}`,
        'content-type': 'application/json',
      },
      bodies: loads.bodies,
      connections: CONNECTIONS,
      threads: THREADS,
      seconds,
    }),
    portico ? fixedRateVerify(server.url, loads.verifyHeaders, seconds) : Promise.resolve(0),
  ]);
  const after = portico ? await committed(orm, who.organizationId) : null;
  const wallMs = performance.now() - started;
  const rolled = (await rollups?.stop()) ?? { runs: 0, ms: 0 };
  const slice: Slice = {
    events: before && after ? after.events - before.events : wrk.ok * BATCH,
    verified: before && after ? after.requests - before.requests : 0,
    answered: wrk.ok * BATCH,
    answeredVerifications: verified,
    seconds: wallMs / 1000,
    wallMs,
    serverCpuMs: (await cpuOf(server)) - serverBefore,
    wrkCpuMs: wrk.cpuMs,
    ownCpuMs: ownCpuMs() - ownBefore,
    machineMs: machineBusyMs() - machineBefore,
    postgresMs: (postgresCpuMs(loads.postgresPid) ?? Number.NaN) - (postgresBefore ?? Number.NaN),
    rollups: rolled.runs,
    rollupMs: rolled.ms,
    p50: wrk.p50,
    p99: wrk.p99,
  };
  if (wrk.badStatus || wrk.errors) {
    problems.push(`${server.name}: ${wrk.badStatus} answers other than 2xx, ${wrk.errors} errors`);
  }
  // What is still in flight is written before the next slice starts.
  if (portico) await settled(orm, who.organizationId);
  return slice;
}

async function ingestion(
  orm: Orm,
  portico: Server,
  bare: Server,
  loads: Loads,
  who: Consumer,
): Promise<{ rows: SummaryRow[]; eventsPerSecond: number }> {
  console.log('\n▶ warm-up');
  await ingestSlice(portico, true, orm, loads, who, WARMUP);
  await ingestSlice(bare, false, orm, loads, who, WARMUP);
  const storedBefore = await committed(orm, who.organizationId);

  console.log(`▶ ingestion: ${SECONDS} s per server in alternating ${SLICE} s slices`);
  let mine = EMPTY;
  let theirs = EMPTY;
  const rounds = Math.max(1, Math.round(SECONDS / SLICE));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [true, false] : [false, true];
    for (const isPortico of order) {
      const slice = await ingestSlice(
        isPortico ? portico : bare,
        isPortico,
        orm,
        loads,
        who,
        SLICE,
      );
      if (isPortico) mine = add(mine, slice);
      else theirs = add(theirs, slice);
    }
  }
  // Every accepted event is stored, per app and per organization alike.
  const stored = await storedEvents(orm, who.organizationId);
  const added = (await committed(orm, who.organizationId)).events - storedBefore.events;
  if (added < mine.answered) {
    problems.push(`ingestion: ${mine.answered} events accepted, ${added} stored`);
  }
  if (stored.organization !== stored.app) {
    problems.push(
      `ingestion: ${stored.app} events per app, ${stored.organization} per organization`,
    );
  }

  const eventsPerSecond = mine.events / mine.seconds;
  const verifiedPerSecond = mine.verified / mine.seconds;
  const bareEventsPerSecond = theirs.events / theirs.seconds;
  const total = eventsPerSecond + verifiedPerSecond;
  const postgres = (s: Slice) =>
    Number.isNaN(s.postgresMs) ? '' : `, PostgreSQL ${cores(s.postgresMs, s.wallMs)}`;
  const rest = (s: Slice) =>
    s.machineMs -
    s.serverCpuMs -
    s.wrkCpuMs -
    s.ownCpuMs -
    (Number.isNaN(s.postgresMs) ? 0 : s.postgresMs);
  const restName = Number.isNaN(mine.postgresMs)
    ? 'PostgreSQL and everything else'
    : 'everything else';
  console.log(
    `\ningestion: POST /v1/usage with ${num(BATCH)} events per batch (${num(APPS)} apps), wrk with` +
      ` ${CONNECTIONS} connections on ${THREADS} threads; /v1/verify at ${num(VERIFY_RATE)}/s;` +
      ` rollups back to back (${ROLLUP_PAUSE_MS} ms pause)`,
  );
  console.log(
    `  Portico: ${num(eventsPerSecond)} reported events/s + ${num(verifiedPerSecond)} verified` +
      ` requests/s = ${num(total)} events/s committed (target ≥ ${num(TARGET_EVENTS_PER_SECOND)});` +
      ` answers: p50 ${num(mine.p50 / Math.max(1, rounds), 0)} ms, p99 ${num(mine.p99 / Math.max(1, rounds), 0)} ms;` +
      ` ${mine.rollups} rollup runs beside it (${num(mine.rollupMs / Math.max(1, mine.rollups))} ms each)`,
  );
  console.log(
    `  baseline, a bare node:http server parsing the same bodies as JSON: ${num(bareEventsPerSecond)} events/s` +
      ` (Portico / baseline ${(eventsPerSecond / bareEventsPerSecond).toFixed(2)})`,
  );
  console.log(
    `  CPU (one core = 100%) during Portico's slices: server ${cores(mine.serverCpuMs, mine.wallMs)},` +
      ` wrk ${cores(mine.wrkCpuMs, mine.wallMs)}, autocannon + rollup driver ${cores(mine.ownCpuMs, mine.wallMs)}` +
      `${postgres(mine)}, ${restName} on the machine ${cores(rest(mine), mine.wallMs)}`,
  );
  if (mine.serverCpuMs < 0.9 * mine.wallMs) {
    console.log(
      `  the server used less than 90% of a core: ${CONNECTIONS} connections of reports waiting` +
        ' for their commit set this rate, not the server (raise --connections to find its capacity)',
    );
  }
  console.log(
    `  CPU during the baseline's slices: server ${cores(theirs.serverCpuMs, theirs.wallMs)},` +
      ` wrk ${cores(theirs.wrkCpuMs, theirs.wallMs)}${postgres(theirs)}, ${restName}` +
      ` ${cores(rest(theirs), theirs.wallMs)}`,
  );
  console.log(
    `  events stored: ${num(added)} (answered 202: ${num(mine.answered)}); verifications answered` +
      ` ${num(mine.answeredVerifications)}`,
  );
  return {
    eventsPerSecond: total,
    rows: [
      {
        measure: `ingestion (/v1/usage ${num(BATCH)}/batch + /v1/verify, rollups running)`,
        value: `${num(total)} events/s (bare JSON server ${num(bareEventsPerSecond)})`,
        target: `≥ ${num(TARGET_EVENTS_PER_SECOND)}`,
        met: total >= TARGET_EVENTS_PER_SECOND,
      },
    ],
  };
}

async function storedEvents(orm: Orm, organizationId: string) {
  const [row] = await orm.em.fork().execute<{ app: string; organization: string }[]>(
    `select (select coalesce(sum(responses), 0) from usage_minute where organization_id = ?)::text as app,
       (select coalesce(sum(responses), 0) from usage_org_minute where organization_id = ?)::text
         as organization`,
    [organizationId, organizationId],
  );
  return { app: Number(row?.app ?? 0), organization: Number(row?.organization ?? 0) };
}

// ---- queries ----

/** The organization's data set; returns the sizes. */
async function queryData(orm: Orm, who: Consumer): Promise<Record<string, number>> {
  const em = orm.em.fork();
  const [product] = await em.execute<{ id: string }[]>(
    `select id from api_product where slug = 'bench-api'`,
  );
  const now = Date.now();
  const lastMinute = now - (now % MINUTE_MS);
  const firstMinute = lastMinute - HOUR_MS + MINUTE_MS;
  const firstHour = firstMinute - (firstMinute % HOUR_MS);
  const lastHour = lastMinute - (lastMinute % HOUR_MS);
  const today = now - (now % DAY_MS);
  const from = today - (DAYS - 1) * DAY_MS;
  const insert = (table: string, first: number, last: number, step: string) =>
    em.execute(
      `insert into ${table} (bucket, organization_id, app_id, product_id, credential_id,
         environment_id, requests, responses, errors, units, response_time_min,
         response_time_max, response_time_sum, latency_histogram)
       select t, ?, 'app_bench' || a, ?, 'crd_bench' || a, '', 1000 + a, 1000, 10, 50,
         3, 900, 60000, '{0,10,20,40,80,160,200,200,120,80,40,20,10,5,5,5,5,0,0,0,0,0,0,0}'
       from generate_series(?::timestamptz, ?::timestamptz, interval '${step}') t,
         generate_series(1, ${APPS}) a
       on conflict do nothing`,
      [
        who.organizationId,
        product?.id,
        new Date(first).toISOString(),
        new Date(last).toISOString(),
      ],
    );
  // Past days as days, today's earlier hours as hours, the last 60 minutes as minutes.
  await insert('usage_day', from, today - DAY_MS, '1 day');
  if (firstHour > today) await insert('usage_hour', today, firstHour - HOUR_MS, '1 hour');
  await insert('usage_minute', firstMinute, lastMinute, '1 minute');
  await summarizeOrganizations(em, 'day', new Date(from), new Date(today));
  await summarizeOrganizations(em, 'hour', new Date(today), new Date(firstHour));
  await summarizeOrganizations(em, 'minute', new Date(firstHour), new Date(now + HOUR_MS));
  // What the gateway leaves while it writes: the hours of the last minutes dirty, today too.
  await em.execute(
    `insert into usage_dirty (level, bucket, version)
     select distinct level, bucket::timestamptz, pg_current_xact_id()::text::bigint
     from (values ('hour', ?), ('hour', ?), ('day', ?)) v(level, bucket)
     on conflict (level, bucket) do update set version = excluded.version`,
    [
      new Date(firstHour).toISOString(),
      new Date(lastHour).toISOString(),
      new Date(today).toISOString(),
    ],
  );
  await maintainUsagePartitions(em, new Date(), { minuteDays: 3, hourDays: 90, dayDays: null });
  for (const table of ['usage_day', 'usage_hour', 'usage_minute']) {
    await em.execute(`analyze ${table}`);
    await em.execute(`analyze ${table.replace('usage_', 'usage_org_')}`);
  }
  const sizes: Record<string, number> = {};
  for (const table of [
    'usage_day',
    'usage_hour',
    'usage_minute',
    'usage_org_day',
    'usage_org_hour',
    'usage_org_minute',
  ]) {
    const [row] = await em.execute<{ count: string }[]>(
      `select count(*)::text as count from ${table} where organization_id = ?`,
      [who.organizationId],
    );
    sizes[table] = Number(row?.count ?? 0);
  }
  return sizes;
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const USAGE_FIELDS = `requests responses units errors errorRate responseTimeMin responseTimeAvg
  responseTimeMax responseTimeP50 responseTimeP95 responseTimeP99`;
const CHART_QUERY = `query Chart($of: ID, $period: UsagePeriod!) {
  usage(of: $of, period: $period) { totals { ${USAGE_FIELDS} } series { at ${USAGE_FIELDS} } }
}`;
const TOTALS_QUERY = `query Totals($of: ID, $period: UsagePeriod!) {
  usage(of: $of, period: $period) { totals { ${USAGE_FIELDS} } }
}`;
const PAGE_QUERY = `query Page($of: ID, $period: UsagePeriod!) {
  usage(of: $of, period: $period) {
    totals { ${USAGE_FIELDS} } series { at ${USAGE_FIELDS} }
    byApp { id label deleted ${USAGE_FIELDS} } byProduct { id label deleted ${USAGE_FIELDS} }
    byEnvironment { id label deleted ${USAGE_FIELDS} }
    caps { metric month used cap percentage projectedTotal capReachedAt product { id name } plan { id name } }
  }
}`;

async function graphql(url: string, cookie: string, query: string, variables: object) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', cookie },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (!body.data || body.errors?.length)
    throw new Error(`usage query failed: ${JSON.stringify(body)}`);
  return body.data;
}

async function queries(orm: Orm, portico: Server, who: Consumer): Promise<SummaryRow[]> {
  const sizes = await queryData(orm, who);
  const scopeOf = (period: UsagePeriod): UsageScope => ({
    period,
    ...usageWindow(period, null, new Date()),
    organizationId: who.organizationId,
  });
  const serviceRead = (period: UsagePeriod) => () =>
    readUsage({ em: orm.em.fork() } as unknown as Context, scopeOf(period));
  const perAppRead = (period: UsagePeriod) => () => {
    const scope = scopeOf(period);
    const { params, p } = knexParams();
    const rows = usageRowsSql(
      scope.granularity,
      scope.from,
      scope.to,
      { organizationId: who.organizationId },
      p,
      { perApp: true },
    );
    return orm.em.fork().execute(
      `select u.bucket, grouping(u.bucket) = 1 as total, ${STATS_SQL}
       from (${rows}) u group by grouping sets ((u.bucket), ())`,
      params,
    );
  };
  const overHttp = (query: string, period: UsagePeriod) => () =>
    graphql(portico.url, who.cookie, query, { of: who.organizationId, period });

  // Both reads agree (the organization rows are the per-app rows added up).
  const chart = await serviceRead(UsagePeriod.LAST_120_DAYS)();
  const perApp = (await perAppRead(UsagePeriod.LAST_120_DAYS)()) as {
    total: boolean;
    requests: number;
  }[];
  const perAppTotal = perApp.find((row) => row.total)?.requests;
  if (Number(perAppTotal) !== chart.totals.requests) {
    problems.push(
      `queries: ${chart.totals.requests} requests per organization, ${perAppTotal} per app`,
    );
  }

  const measures: [string, number[], boolean][] = [
    ['120-day chart (readUsage)', await time(serviceRead(UsagePeriod.LAST_120_DAYS)), true],
    ["this month's totals (readUsage)", await time(serviceRead(UsagePeriod.CURRENT_MONTH)), true],
    [
      '120-day chart over GraphQL (totals + 120 points)',
      await time(overHttp(CHART_QUERY, UsagePeriod.LAST_120_DAYS)),
      true,
    ],
    [
      "this month's totals over GraphQL",
      await time(overHttp(TOTALS_QUERY, UsagePeriod.CURRENT_MONTH)),
      true,
    ],
    [
      'whole usage page over GraphQL, 120 days (+ byApp, byProduct, byEnvironment, caps)',
      await time(overHttp(PAGE_QUERY, UsagePeriod.LAST_120_DAYS)),
      false,
    ],
    [
      'baseline: the 120-day chart statement on the per-app rows',
      await time(perAppRead(UsagePeriod.LAST_120_DAYS)),
      false,
    ],
    [
      "baseline: this month's totals statement on the per-app rows",
      await time(perAppRead(UsagePeriod.CURRENT_MONTH)),
      false,
    ],
  ];
  console.log(
    `\nqueries: ${num(APPS)} apps, ${DAYS} days; per app: ${num(sizes.usage_day ?? 0)} day rows,` +
      ` ${num(sizes.usage_hour ?? 0)} hour rows (today), ${num(sizes.usage_minute ?? 0)} minute rows` +
      ` (the last hour, dirty); per organization: ${num(sizes.usage_org_day ?? 0)} day,` +
      ` ${num(sizes.usage_org_hour ?? 0)} hour, ${num(sizes.usage_org_minute ?? 0)} minute rows;` +
      ` ${RUNS} runs each`,
  );
  const rows: SummaryRow[] = [];
  for (const [name, times, targeted] of measures) {
    const p95 = percentile(times, 95);
    console.log(
      `  ${name}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms` +
        (targeted ? ` (target p95 ≤ ${TARGET_P95_MS} ms)` : ''),
    );
    rows.push({
      measure: name,
      value: `p95 ${p95.toFixed(1)} ms`,
      target: targeted ? `≤ ${TARGET_P95_MS} ms` : '',
      met: targeted ? p95 <= TARGET_P95_MS : null,
    });
  }
  return rows;
}

async function main(): Promise<number> {
  const scratch = await openBenchDatabase();
  const orm = await initOrm({ clientUrl: scratch.url });
  const servers: Server[] = [];
  try {
    await migrate(orm);
    await maintainUsagePartitions(orm.em.fork(), new Date(), {
      minuteDays: 3,
      hourDays: 90,
      dayDays: null,
    });
    const fixture = await catalogRows(orm);
    const [portico, bare] = await Promise.all([
      startServer('Portico', verifyDir, 'portico.ts', [scratch.url]),
      startServer('bare node:http', here, 'bare.ts'),
    ]);
    servers.push(portico, bare);
    const who = await consumer(orm, portico.url, fixture);
    const credentials = await benchApps(orm, who);
    await ask(portico.child, { type: 'reload' }, 'reloaded');
    const loads: Loads = {
      postgresPid: scratch.pid(),
      bodies: usageBodies(credentials, fixture.productSlug),
      gatewayToken: fixture.gatewayToken,
      verifyHeaders: {
        authorization: `Bearer ${who.secret}`,
        'x-original-uri': `${PRODUCT_PREFIX}/items?page=1`,
        'x-original-method': 'GET',
      },
    };
    const check = await fetch(`${portico.url}/v1/usage`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${loads.gatewayToken}`,
        'content-type': 'application/json',
      },
      body: loads.bodies[0],
    });
    if (check.status !== 202)
      throw new Error(`/v1/usage answers ${check.status}: ${await check.text()}`);
    console.log(
      `Usage benchmark: ${os.cpus().length} CPU(s), Node ${process.version};` +
        ` bodies of ${num((loads.bodies[0]?.length ?? 0) / 1024)} KiB`,
    );

    const ingested = await ingestion(orm, portico, bare, loads, who);
    const queried = await queries(orm, portico, who);
    printSummary('usage', [...ingested.rows, ...queried]);
  } finally {
    await Promise.all(servers.map(stopServer));
    await orm.close(true);
    await scratch.drop();
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
