// Live events benchmark: commit → graphql-ws subscriber latency with 5,000 subscribers, on one
// server instance and across two (2,500 each), and the memory an instance holds per open
// subscription (heap and RSS after a full collection, before and after they open).
// Everything on loopback; stops by itself.
//
//   cd packages/server && pnpm bench:events [--events 150] [--rate 5] [--subscribers 5000]
//                                           [--scenarios one,two]
//
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; a scratch database is created and dropped),
// else an embedded PostgreSQL in a temporary folder. BENCH_PROFILE=<dir> profiles the instances.
//
// Processes: this one publishes (one transaction per event, as a mutation would); each server
// instance runs in a child process; the subscribers (graphql-ws clients, one WebSocket each)
// in another. Latency = the subscriber's receive time − the moment COMMIT was sent, both on
// the machine's monotonic clock.
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
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
  now,
  type InstanceReply,
  type InstanceRequest,
  type SubscribersReply,
  type SubscribersRequest,
} from './protocol.js';
import { signUpAndSignIn } from '../shared/accounts.js';
import { printSummary } from '../shared/summary.js';

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '150' },
    rate: { type: 'string', default: '5' },
    subscribers: { type: 'string', default: '5000' },
    scenarios: { type: 'string', default: 'one,two' },
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

// Instances may run a full garbage collection when asked their memory.
const spawn = (file: string, args: string[] = []): ChildProcess =>
  spawnChild(
    here,
    file,
    args,
    file === 'instance.ts' ? [...SERVER_FLAGS, '--expose-gc', ...PROFILE_FLAGS] : [],
  );

/** Target memory per open subscription (DESIGN: ≤ 16 KB). */
const TARGET_BYTES_PER_SUBSCRIPTION = 16 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ScenarioResult {
  scenario: string;
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
  targetP99: number;
  pass: boolean;
  /** Per open subscription (socket included), bytes: V8 heap and RSS growth over them. */
  heapPerSubscription: number;
  rssPerSubscription: number;
  /** CPU used while events flowed: the instances together, the subscribers' process, the publisher. */
  cpuMs: { instances: number; subscribers: number; publisher: number };
  seconds: number;
}

async function signUpStaff(url: string, orm: Awaited<ReturnType<typeof initOrm>>): Promise<string> {
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
  instanceCount: number,
  targetP99: number,
  databaseUrl: string,
  orm: Awaited<ReturnType<typeof initOrm>>,
  cookieFor: (url: string) => Promise<string>,
): Promise<ScenarioResult> {
  console.log(`\n▶ ${name}: ${SUBSCRIBERS} subscribers on ${instanceCount} instance(s)`);
  const instances = Array.from({ length: instanceCount }, () =>
    spawn('instance.ts', [databaseUrl]),
  );
  const urls = (
    await Promise.all(instances.map((child) => nextMessage<InstanceReply, 'ready'>(child, 'ready')))
  ).map((ready) => ready.url);
  const cookie = await cookieFor(urls[0] ?? '');
  const memoryOf = async (child: ChildProcess) => {
    const reply = nextMessage<InstanceReply, 'memory'>(child, 'memory');
    child.send({ type: 'memory' } satisfies InstanceRequest);
    return reply;
  };
  // One request first, so that what any first request loads is not counted per subscription.
  await fetch(`${urls[0]}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', cookie },
    body: JSON.stringify({ query: '{ viewer { id } }' }),
  });
  const memoryBefore = await Promise.all(instances.map(memoryOf));

  const subscribers = spawn('subscribers.ts');
  const start: SubscribersRequest = {
    type: 'start',
    config: { urls, count: SUBSCRIBERS, cookie, query: QUERY },
  };
  subscribers.send(start);
  const connected = await nextMessage<SubscribersReply, 'connected'>(subscribers, 'connected');
  if (connected.failed) throw new Error(`${connected.failed} subscribers could not connect`);

  // Wait until every subscription is registered on the instances' event buses.
  const statsOf = async (child: ChildProcess) => {
    const reply = nextMessage<InstanceReply, 'stats'>(child, 'stats');
    child.send({ type: 'stats' } satisfies InstanceRequest);
    return reply;
  };
  const deadline = Date.now() + 30_000;
  let cpuBefore = 0;
  for (;;) {
    const stats = await Promise.all(instances.map(statsOf));
    const total = stats.reduce((sum, s) => sum + s.subscribers, 0);
    cpuBefore = stats.reduce((sum, s) => sum + s.cpuMs, 0);
    if (total >= SUBSCRIBERS) break;
    if (Date.now() > deadline) throw new Error(`only ${total} subscriptions registered`);
    await sleep(100);
  }
  console.log(`  ${SUBSCRIBERS} subscriptions live on ${urls.join(', ')}`);
  const memoryAfter = await Promise.all(instances.map(memoryOf));
  const grew = (field: 'heapUsed' | 'rss') =>
    memoryAfter.reduce((sum, m, i) => sum + m[field] - (memoryBefore[i]?.[field] ?? 0), 0) /
    SUBSCRIBERS;
  const heapPerSubscription = grew('heapUsed');
  const rssPerSubscription = grew('rss');

  subscribers.send({ type: 'mark' } satisfies SubscribersRequest);
  const publisherCpu = process.cpuUsage();
  // Publish like a mutation does: one transaction per event; the clock stops at COMMIT.
  const committedAt = new Map<string, number>();
  const measured: string[] = [];
  const interval = 1000 / RATE;
  const begin = now();
  for (let i = 0; i < WARMUP + EVENTS; i++) {
    const due = begin + i * interval;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    let commitStart = 0;
    const event = await orm.em.fork().transactional(async (em) => {
      const published = await appendEvent(em, {
        topic: 'review_queue',
        kind: 'bench.ping',
        subjectId: `grt_bench${i}`,
        data: { sentAt: now(), sequence: i },
      });
      commitStart = now();
      return published;
    });
    committedAt.set(event.id, commitStart);
    if (i >= WARMUP) measured.push(event.id);
  }
  await sleep(1_500);
  const serverCpuMs =
    (await Promise.all(instances.map(statsOf))).reduce((sum, s) => sum + s.cpuMs, 0) - cpuBefore;
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

  await Promise.all(
    instances.map(async (child) => {
      const stopped = nextMessage<InstanceReply, 'stopped'>(child, 'stopped', 10_000).catch(
        () => undefined,
      );
      child.send({ type: 'stop' } satisfies InstanceRequest);
      await stopped;
    }),
  );

  const p99 = percentile(latencies, 99);
  return {
    scenario: name,
    instances: instanceCount,
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
    pass: p99 <= targetP99 && missing === 0 && errors === 0,
    heapPerSubscription,
    rssPerSubscription,
    cpuMs: {
      instances: Math.round(serverCpuMs),
      subscribers: Math.round(subscribersCpuMs),
      publisher: Math.round((publisherUsage.user + publisherUsage.system) / 1000),
    },
    seconds: Math.round((now() - begin) / 100) / 10,
  };
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
    const cookieFor = async (url: string) => (cookie ??= await signUpStaff(url, orm));
    console.log(
      `Live events benchmark: ${SUBSCRIBERS} graphql-ws subscribers, ${EVENTS} events at ${RATE}/s (+${WARMUP} warm-up), ${os.cpus().length} CPU(s), Node ${process.version}`,
    );
    const scenarios = flags.scenarios.split(',');
    if (scenarios.includes('one')) {
      results.push(await runScenario('one instance', 1, 100, databaseUrl, orm, cookieFor));
    }
    if (scenarios.includes('two')) {
      results.push(await runScenario('two instances', 2, 250, databaseUrl, orm, cookieFor));
    }
  } finally {
    await orm.close(true);
    await scratchDatabase.drop();
  }

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(
    '\nCommit → subscriber latency (DESIGN: p99 ≤ 100 ms on one instance, ≤ 250 ms across two)',
  );
  console.log(
    ['scenario', 'deliveries', 'missing', 'p50', 'p90', 'p99', 'max', 'target p99', 'result']
      .map((h) => h.padEnd(14))
      .join(''),
  );
  for (const r of results) {
    console.log(
      [
        r.scenario,
        String(r.deliveries),
        String(r.missing + r.errors),
        ms(r.p50),
        ms(r.p90),
        ms(r.p99),
        ms(r.max),
        `≤ ${r.targetP99} ms`,
        r.pass ? 'PASS' : 'FAIL',
      ]
        .map((c) => c.padEnd(14))
        .join(''),
    );
  }
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `\nMemory per open subscription, its WebSocket included (DESIGN: ≤ ${kb(TARGET_BYTES_PER_SUBSCRIPTION)}; after a full collection):`,
  );
  for (const r of results) {
    console.log(
      `  ${r.scenario.padEnd(14)} heap ${kb(r.heapPerSubscription)}, RSS ${kb(r.rssPerSubscription)}` +
        ` ${r.heapPerSubscription <= TARGET_BYTES_PER_SUBSCRIPTION ? 'met' : 'NOT met'}`,
    );
  }
  console.log('\nCPU used while events flowed (ms; 2 cores give 2,000 ms per second):');
  for (const r of results) {
    console.log(
      `  ${r.scenario.padEnd(14)} over ${r.seconds} s: instances ${r.cpuMs.instances}, subscribers' process ${r.cpuMs.subscribers}, publisher ${r.cpuMs.publisher}`,
    );
  }
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
  printSummary(
    'events',
    results.flatMap((r) => [
      {
        measure: `event → subscriber p99, ${r.subscribers} subscribers on ${r.instances} instance(s)`,
        value: `${ms(r.p99)}${r.missing + r.errors ? ` (${r.missing + r.errors} missing)` : ''}`,
        target: `≤ ${r.targetP99} ms`,
        met: r.pass,
      },
      {
        measure: `memory per open subscription (${r.instances} instance(s))`,
        value: `heap ${kb(r.heapPerSubscription)}, RSS ${kb(r.rssPerSubscription)}`,
        target: `≤ ${kb(TARGET_BYTES_PER_SUBSCRIPTION)}`,
        met: r.heapPerSubscription <= TARGET_BYTES_PER_SUBSCRIPTION,
      },
    ]),
  );
  // Latency and delivery fail the run (missed or late events are errors here); memory is a target.
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
