// Live events benchmark: commit → graphql-ws subscriber latency with 5,000 subscribers, on one
// server instance and across two (2,500 each), and the memory an instance holds per open
// subscription (heap and RSS after a full collection, before and after they open). First, the
// same subscribers on a bare WebSocket broadcast server (bare.ts: LISTEN, one loop of sends, no
// GraphQL, no Portico), the floor this machine allows, which Portico's figures are compared to.
// Everything on loopback; stops by itself after about 50 s per scenario (2.5 min for the three).
//
//   cd packages/server && pnpm bench:events [--events 150] [--rate 5] [--subscribers 5000]
//                                           [--scenarios bare,one,two]
//
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; a scratch database is created and dropped),
// else an embedded PostgreSQL in a temporary folder. BENCH_PROFILE=<dir> profiles the servers.
//
// Processes: this one publishes (one transaction per event, as a mutation would: an event row
// for Portico, a bare NOTIFY carrying the event for the bare server); each server runs in a
// child process; the subscribers (graphql-ws clients, one WebSocket each) in another. Latency =
// the subscriber's receive time − the moment COMMIT was sent, both on the machine's monotonic
// clock.
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openBenchDatabase } from '../shared/database.js';
import {
  killChildren,
  nextMessage,
  percentile,
  PROFILE_FLAGS,
  SERVER_FLAGS,
  spawnChild,
  startWatchdog,
} from '../shared/processes.js';
import { initOrm } from '../../packages/server/src/database.js';
import { appendEvent } from '../../packages/server/src/events/events.service.js';
import { PlatformRole } from '../../packages/server/src/auth/roles.js';
import { User } from '../../packages/server/src/modules/accounts/accounts.entity.js';
import {
  BARE_CHANNEL,
  now,
  type BareEvent,
  type InstanceReply,
  type InstanceRequest,
  type SubscribersReply,
  type SubscribersRequest,
} from './protocol.js';
import { signUpAndSignIn } from '../shared/accounts.js';
import { printSummary, type SummaryRow } from '../shared/summary.js';

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '150' },
    rate: { type: 'string', default: '5' },
    subscribers: { type: 'string', default: '5000' },
    scenarios: { type: 'string', default: 'bare,one,two' },
    warmup: { type: 'string', default: '20' },
    'timeout-seconds': { type: 'string', default: '240' },
  },
});
const EVENTS = Number(flags.events);
const RATE = Number(flags.rate);
const SUBSCRIBERS = Number(flags.subscribers);
const WARMUP = Number(flags.warmup);
const TIMEOUT_MS = Number(flags['timeout-seconds']) * 1000;

const here = path.dirname(fileURLToPath(import.meta.url));
const QUERY = 'subscription { reviewQueueEvents { id kind subjectId createdAt } }';

const watchdog = startWatchdog(TIMEOUT_MS);

// Servers (Portico's and the bare one) may run a full garbage collection when asked their memory.
const spawn = (file: string, args: string[] = []): ChildProcess =>
  spawnChild(
    here,
    file,
    args,
    file === 'subscribers.ts' ? [] : [...SERVER_FLAGS, '--expose-gc', ...PROFILE_FLAGS],
  );

const BARE = 'bare broadcast';
const ONE = 'one instance';

/** Target memory per open subscription (DESIGN: ≤ 16 KB). */
const TARGET_BYTES_PER_SUBSCRIPTION = 16 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ScenarioResult {
  scenario: string;
  /** Server processes (for the bare scenario, its one). */
  instances: number;
  subscribers: number;
  events: number;
  deliveries: number;
  missing: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** null for the bare server, the baseline, which has none (its events must all arrive). */
  targetP99: number | null;
  pass: boolean;
  /** Per open subscription (socket included), bytes: V8 heap and RSS growth over them. */
  heapPerSubscription: number;
  rssPerSubscription: number;
  /**
   * CPU used while events flowed: the servers together (Portico's instances, or the bare server),
   * the subscribers' process, the publisher.
   */
  cpuMs: { instances: number; subscribers: number; publisher: number };
  /** The same per delivery (warm-up included, as in the CPU figures), µs. */
  cpuUsPerDelivery: { instances: number; subscribers: number };
  seconds: number;
}

type Orm = Awaited<ReturnType<typeof initOrm>>;

/** An event published: its id, and the moment COMMIT was sent (`now()`). */
interface Committed {
  id: string;
  at: number;
}

/** What a scenario runs: its servers, how it readies them, how it publishes an event to them. */
interface Servers {
  /** The file each server runs, in a process of its own. */
  file: 'instance.ts' | 'bare.ts';
  count: number;
  /** Once they are up: the subscribers' cookie, after whatever warms the first one up. */
  prepare(url: string): Promise<string>;
  /** Publishes event `i`. */
  publish(i: number): Promise<Committed>;
}

/** Runs `write` (which returns the event's id) in a transaction of its own, as a mutation does. */
async function commit(orm: Orm, write: (em: EntityManager) => Promise<string>): Promise<Committed> {
  let at = 0;
  const id = await orm.em.fork().transactional(async (em) => {
    const written = await write(em);
    // The clock starts as COMMIT is sent.
    at = now();
    return written;
  });
  return { id, at };
}

/** Portico's events: a row on the review queue's topic, whose NOTIFY carries its id. */
const publishToPortico = (orm: Orm) => (i: number) =>
  commit(orm, async (em) => {
    const event = await appendEvent(em, {
      topic: 'review_queue',
      kind: 'bench.ping',
      subjectId: `grt_bench${i}`,
      data: { sentAt: now(), sequence: i },
    });
    return event.id;
  });

/** The bare server's: a NOTIFY carrying the event itself, on its channel. */
const publishToBare = (orm: Orm) => (i: number) =>
  commit(orm, async (em) => {
    const event: BareEvent = {
      id: `evt_bare_${i}`,
      kind: 'bench.ping',
      subjectId: `grt_bench${i}`,
      createdAt: new Date().toISOString(),
    };
    await em.execute('select pg_notify(?, ?)', [BARE_CHANNEL, JSON.stringify(event)]);
    return event.id;
  });

async function signUpStaff(url: string, orm: Orm): Promise<string> {
  const { id, cookie } = await signUpAndSignIn(url, orm, {
    email: `bench-${process.pid}@example.com`,
    name: 'Bench Staff',
    password: 'correct horse battery staple',
  });
  await orm.em.fork().nativeUpdate(User, { id }, { platformRole: PlatformRole.STAFF });
  return cookie;
}

async function runScenario(
  name: string,
  servers: Servers,
  targetP99: number | null,
  databaseUrl: string,
): Promise<ScenarioResult> {
  console.log(`\n▶ ${name}: ${SUBSCRIBERS} subscribers on ${servers.count} × ${servers.file}`);
  const processes = Array.from({ length: servers.count }, () => spawn(servers.file, [databaseUrl]));
  const urls = (
    await Promise.all(processes.map((child) => nextMessage<InstanceReply, 'ready'>(child, 'ready')))
  ).map((ready) => ready.url);
  const cookie = await servers.prepare(urls[0] ?? '');
  const memoryOf = async (child: ChildProcess) => {
    const reply = nextMessage<InstanceReply, 'memory'>(child, 'memory');
    child.send({ type: 'memory' } satisfies InstanceRequest);
    return reply;
  };
  const memoryBefore = await Promise.all(processes.map(memoryOf));

  const subscribers = spawn('subscribers.ts');
  const start: SubscribersRequest = {
    type: 'start',
    config: { urls, count: SUBSCRIBERS, cookie, query: QUERY },
  };
  subscribers.send(start);
  const connected = await nextMessage<SubscribersReply, 'connected'>(subscribers, 'connected');
  if (connected.failed) throw new Error(`${connected.failed} subscribers could not connect`);

  // Wait until every subscription is registered on the servers (Portico's: on their event buses).
  const statsOf = async (child: ChildProcess) => {
    const reply = nextMessage<InstanceReply, 'stats'>(child, 'stats');
    child.send({ type: 'stats' } satisfies InstanceRequest);
    return reply;
  };
  const deadline = Date.now() + 30_000;
  let cpuBefore = 0;
  for (;;) {
    const stats = await Promise.all(processes.map(statsOf));
    const total = stats.reduce((sum, s) => sum + s.subscribers, 0);
    cpuBefore = stats.reduce((sum, s) => sum + s.cpuMs, 0);
    if (total >= SUBSCRIBERS) break;
    if (Date.now() > deadline) throw new Error(`only ${total} subscriptions registered`);
    await sleep(100);
  }
  console.log(`  ${SUBSCRIBERS} subscriptions live on ${urls.join(', ')}`);
  const memoryAfter = await Promise.all(processes.map(memoryOf));
  const grew = (field: 'heapUsed' | 'rss') =>
    memoryAfter.reduce((sum, m, i) => sum + m[field] - (memoryBefore[i]?.[field] ?? 0), 0) /
    SUBSCRIBERS;
  const heapPerSubscription = grew('heapUsed');
  const rssPerSubscription = grew('rss');

  subscribers.send({ type: 'mark' } satisfies SubscribersRequest);
  const publisherCpu = process.cpuUsage();
  const committedAt = new Map<string, number>();
  const measured: string[] = [];
  const interval = 1000 / RATE;
  const begin = now();
  for (let i = 0; i < WARMUP + EVENTS; i++) {
    const due = begin + i * interval;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    const event = await servers.publish(i);
    committedAt.set(event.id, event.at);
    if (i >= WARMUP) measured.push(event.id);
  }
  await sleep(1_500);
  const serverCpuMs =
    (await Promise.all(processes.map(statsOf))).reduce((sum, s) => sum + s.cpuMs, 0) - cpuBefore;
  const publisherUsage = process.cpuUsage(publisherCpu);

  const report = nextMessage<SubscribersReply, 'report'>(subscribers, 'report');
  subscribers.send({ type: 'report' } satisfies SubscribersRequest);
  const { received, errors, cpuMs: subscribersCpuMs } = await report;

  const latencies: number[] = [];
  let missing = 0;
  for (const id of measured) {
    const times = received[id] ?? [];
    missing += SUBSCRIBERS - times.length;
    const committed = committedAt.get(id) ?? Number.NaN;
    for (const at of times) latencies.push(at - committed);
  }
  latencies.sort((x, y) => x - y);
  // Every delivery while the CPU was counted, warm-up included.
  const flowed = Object.values(received).reduce((sum, times) => sum + times.length, 0);

  await Promise.all(
    processes.map(async (child) => {
      const stopped = nextMessage<InstanceReply, 'stopped'>(child, 'stopped', 10_000).catch(
        () => undefined,
      );
      child.send({ type: 'stop' } satisfies InstanceRequest);
      await stopped;
    }),
  );

  const p99 = percentile(latencies, 99);
  const complete = missing === 0 && errors === 0;
  return {
    scenario: name,
    instances: servers.count,
    subscribers: SUBSCRIBERS,
    events: measured.length,
    deliveries: latencies.length,
    missing,
    errors,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99,
    max: latencies[latencies.length - 1] ?? Number.NaN,
    targetP99,
    pass: (targetP99 === null || p99 <= targetP99) && complete,
    heapPerSubscription,
    rssPerSubscription,
    cpuMs: {
      instances: Math.round(serverCpuMs),
      subscribers: Math.round(subscribersCpuMs),
      publisher: Math.round((publisherUsage.user + publisherUsage.system) / 1000),
    },
    cpuUsPerDelivery: {
      instances: (serverCpuMs * 1000) / flowed,
      subscribers: (subscribersCpuMs * 1000) / flowed,
    },
    seconds: Math.round((now() - begin) / 100) / 10,
  };
}

/** Portico's p99 and server CPU per delivery beside the bare server's, and their ratios. */
function versusBare(portico: ScenarioResult, bare: ScenarioResult): string {
  const beside = (ours: number, theirs: number, unit: string) =>
    `${ours.toFixed(1)} / ${theirs.toFixed(1)} ${unit} (${(ours / theirs).toFixed(2)}×)`;
  const cpu = (r: ScenarioResult) => r.cpuUsPerDelivery.instances;
  return (
    `p99 ${beside(portico.p99, bare.p99, 'ms')},` +
    ` server CPU per delivery ${beside(cpu(portico), cpu(bare), 'µs')}`
  );
}

async function main(): Promise<number> {
  const scratchDatabase = await openBenchDatabase();
  const databaseUrl = scratchDatabase.url;
  const orm = await initOrm({ clientUrl: databaseUrl });
  const results: ScenarioResult[] = [];
  try {
    // The benchmark's scratch database follows the entities (no migration needed).
    await orm.schema.createSchema();
    let cookie: string | null = null;
    const portico = (count: number): Servers => ({
      file: 'instance.ts',
      count,
      async prepare(url) {
        cookie ??= await signUpStaff(url, orm);
        // One request first, so that what any first request loads is not counted per subscription.
        await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'apollo-require-preflight': 'true',
            cookie,
          },
          body: JSON.stringify({ query: '{ viewer { id } }' }),
        });
        return cookie;
      },
      publish: publishToPortico(orm),
    });
    const bare: Servers = {
      file: 'bare.ts',
      count: 1,
      prepare: async () => '',
      publish: publishToBare(orm),
    };
    console.log(
      `Live events benchmark: ${SUBSCRIBERS} graphql-ws subscribers, ${EVENTS} events at ${RATE}/s (+${WARMUP} warm-up), ${os.cpus().length} CPU(s), Node ${process.version}`,
    );
    const scenarios = flags.scenarios.split(',');
    if (scenarios.includes('bare')) {
      results.push(await runScenario(BARE, bare, null, databaseUrl));
    }
    if (scenarios.includes('one')) {
      results.push(await runScenario(ONE, portico(1), 100, databaseUrl));
    }
    if (scenarios.includes('two')) {
      results.push(await runScenario('two instances', portico(2), 250, databaseUrl));
    }
  } finally {
    await orm.close(true);
    await scratchDatabase.drop();
  }

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const us = (value: number) => `${value.toFixed(1)} µs`;
  const missing = (r: ScenarioResult) =>
    r.missing + r.errors ? ` (${r.missing + r.errors} missing)` : '';
  console.log(
    '\nCommit → subscriber latency (DESIGN: p99 ≤ 100 ms on one instance, ≤ 250 ms across two;' +
      ' the bare broadcast server is the baseline)',
  );
  const table = [
    ['scenario', 'deliveries', 'missing', 'p50', 'p90', 'p99', 'max', 'target p99', 'result'],
    ...results.map((r) => [
      r.scenario,
      String(r.deliveries),
      String(r.missing + r.errors),
      ms(r.p50),
      ms(r.p90),
      ms(r.p99),
      ms(r.max),
      r.targetP99 === null ? 'baseline' : `≤ ${r.targetP99} ms`,
      !r.pass ? 'FAIL' : r.targetP99 === null ? '—' : 'PASS',
    ]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  for (const row of table) {
    console.log(row.map((cell, i) => cell.padEnd((widths?.[i] ?? 0) + 2)).join(''));
  }
  const name = (r: ScenarioResult) => r.scenario.padEnd(widths?.[0] ?? 0);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `\nMemory per open subscription, its WebSocket included (DESIGN: ≤ ${kb(TARGET_BYTES_PER_SUBSCRIPTION)}; after a full collection):`,
  );
  for (const r of results) {
    const met = r.heapPerSubscription <= TARGET_BYTES_PER_SUBSCRIPTION ? 'met' : 'NOT met';
    console.log(
      `  ${name(r)} heap ${kb(r.heapPerSubscription)}, RSS ${kb(r.rssPerSubscription)}` +
        ` ${r.targetP99 === null ? '(baseline)' : met}`,
    );
  }
  console.log(
    '\nCPU used while events flowed (ms; 2 cores give 2,000 ms per second), and per delivery:',
  );
  for (const r of results) {
    console.log(
      `  ${name(r)} over ${r.seconds} s: server(s) ${r.cpuMs.instances} (${us(r.cpuUsPerDelivery.instances)}),` +
        ` subscribers' process ${r.cpuMs.subscribers} (${us(r.cpuUsPerDelivery.subscribers)}), publisher ${r.cpuMs.publisher}`,
    );
  }
  const bareResult = results.find((r) => r.scenario === BARE);
  const oneResult = results.find((r) => r.scenario === ONE);
  const versus = bareResult && oneResult ? versusBare(oneResult, bareResult) : null;
  if (versus) console.log(`\n${ONE} vs ${BARE}: ${versus}`);
  const resultsDir = path.join(here, '../results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(
    resultsDir,
    `events-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  await writeFile(
    file,
    JSON.stringify({ events: EVENTS, rate: RATE, subscribers: SUBSCRIBERS, results }, null, 2),
  );
  console.log(`\nResults written to ${path.relative(process.cwd(), file)}`);
  printSummary('events', [
    ...results.flatMap((r): SummaryRow[] =>
      r.targetP99 === null
        ? [
            {
              measure: `event → subscriber p99, ${r.subscribers} subscribers on a bare WebSocket broadcast server`,
              value: `${ms(r.p99)}${missing(r)}`,
              target: '',
              met: null,
            },
          ]
        : [
            {
              measure: `event → subscriber p99, ${r.subscribers} subscribers on ${r.instances} instance(s)`,
              value: `${ms(r.p99)}${missing(r)}`,
              target: `≤ ${r.targetP99} ms`,
              met: r.pass,
            },
            {
              measure: `memory per open subscription (${r.instances} instance(s))`,
              value: `heap ${kb(r.heapPerSubscription)}, RSS ${kb(r.rssPerSubscription)}`,
              target: `≤ ${kb(TARGET_BYTES_PER_SUBSCRIPTION)}`,
              met: r.heapPerSubscription <= TARGET_BYTES_PER_SUBSCRIPTION,
            },
          ],
    ),
    ...(versus ? [{ measure: `${ONE} vs ${BARE}`, value: versus, target: '', met: null }] : []),
  ]);
  // Latency and delivery fail the run (missed or late events are errors here, the baseline's
  // too); memory is a target.
  return results.every((r) => r.pass) ? 0 : 1;
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
