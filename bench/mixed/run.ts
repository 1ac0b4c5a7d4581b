// Mixed-traffic benchmark: one Portico instance under every kind of traffic at once for 60 s
// (configurable) — dashboard queries, mutations (app updates, which publish events, evict the
// gateway's cache for the organization and reach the subscribers), live subscriptions,
// /v1/verify and /v1/usage reports. Required: zero 5xx (and no failed request). Prints the
// throughput of each kind and what the subscribers received.
//
//   cd packages/server && pnpm bench:mixed [--seconds 60] [--subscribers 200]
//
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; a scratch database is created and dropped),
// else an embedded PostgreSQL in a temporary folder; migrated as main.ts does.
// Processes: Portico in a child process, the subscribers (graphql-ws) in another, the HTTP
// load (autocannon, one instance per kind, each at a modest concurrency) in this one.
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openBenchDatabase } from '../shared/database.js';
import { catalogRows, consumer, PRODUCT_PREFIX } from '../shared/gateway-fixture.js';
import {
  killChildren,
  nextMessage,
  SERVER_FLAGS,
  spawnChild,
  startWatchdog,
} from '../shared/processes.js';
import { printSummary, type SummaryRow } from '../shared/summary.js';
import { migrate } from '../../packages/server/src/db/migrate.js';
import { initOrm } from '../../packages/server/src/database.js';
import { autocannon, type CannonResult } from '../graphql/deps.js';
import type { ServerReply, ServerRequest } from '../graphql/protocol.js';
import type { SubscribersReply, SubscribersRequest } from '../events/protocol.js';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    subscribers: { type: 'string', default: '200' },
    'timeout-seconds': { type: 'string', default: '400' },
  },
});
const SECONDS = Number(flags.seconds);
const SUBSCRIBERS = Number(flags.subscribers);

const here = path.dirname(fileURLToPath(import.meta.url));
const watchdog = startWatchdog(Number(flags['timeout-seconds']) * 1000);

const DASHBOARD = `query Dashboard {
  viewer {
    id
    organizations {
      id
      name
      projects { id name apps { id name status viewerCanManage owner { id name } } }
      standaloneApps { id name status viewerCanManage owner { id name } }
      members { id role user { id name } }
    }
  }
}`;
const UPDATE_APP = `mutation ($input: UpdateAppInput!) { updateApp(input: $input) { app { id } } }`;

interface Kind {
  name: string;
  connections: number;
  options: Record<string, unknown>;
  /** The status every answer must have. */
  status: number;
}

interface KindResult {
  name: string;
  ok: number;
  perSecond: number;
  serverErrors: number;
  otherFailures: string[];
}

function run(url: string, kind: Kind): Promise<KindResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections: kind.connections, duration: SECONDS, ...kind.options },
      (err: unknown, result: CannonResult) => {
        if (err) {
          reject(err);
          return;
        }
        let serverErrors = 0;
        const otherFailures: string[] = [];
        for (const [code, { count = 0 } = {}] of Object.entries(result.statusCodeStats ?? {})) {
          if (Number(code) >= 500) serverErrors += count;
          else if (Number(code) !== kind.status) otherFailures.push(`${count} × ${code}`);
        }
        if (result.errors) otherFailures.push(`${result.errors} errors`);
        if (result.timeouts) otherFailures.push(`${result.timeouts} timeouts`);
        const ok = result.statusCodeStats?.[`${kind.status}`]?.count ?? 0;
        resolve({
          name: kind.name,
          ok,
          perSecond: ok / result.duration,
          serverErrors,
          otherFailures,
        });
      },
    );
  });
}

/** A /v1/usage body of `count` events of the credential over the last minutes. */
function usageBody(credentialId: string, product: string, count: number): string {
  const now = Date.now();
  const events = Array.from({ length: count }, (_, i) => ({
    credentialId,
    product,
    status: i % 20 === 0 ? 500 : 200,
    responseTimeMs: 5 + (i % 50),
    units: 1,
    time: new Date(now - (i % 5) * 60_000).toISOString(),
  }));
  return JSON.stringify({ events });
}

async function main(): Promise<number> {
  const scratchDatabase = await openBenchDatabase();
  const orm = await initOrm({ clientUrl: scratchDatabase.url });
  let portico: ChildProcess | null = null;
  let subscribers: ChildProcess | null = null;
  const summary: SummaryRow[] = [];
  let failed = false;
  try {
    await migrate(orm);
    const fixture = await catalogRows(orm);
    portico = spawnChild(
      path.join(here, '../graphql'),
      'portico.ts',
      [scratchDatabase.url],
      SERVER_FLAGS,
    );
    const { url } = await nextMessage<ServerReply, 'ready'>(portico, 'ready');
    const who = await consumer(orm, url, fixture);
    const reloaded = nextMessage<ServerReply, 'reloaded'>(portico, 'reloaded');
    portico.send({ type: 'reload' } satisfies ServerRequest);
    await reloaded;

    subscribers = spawnChild(path.join(here, '../events'), 'subscribers.ts');
    const connected = nextMessage<SubscribersReply, 'connected'>(subscribers, 'connected');
    subscribers.send({
      type: 'start',
      config: {
        urls: [url],
        count: SUBSCRIBERS,
        cookie: who.cookie,
        query: `subscription { organizationEvents(organizationId: "${who.organizationId}") { id kind subjectId createdAt } }`,
      },
    } satisfies SubscribersRequest);
    const opened = await connected;
    if (opened.failed) throw new Error(`${opened.failed} subscribers could not connect`);

    const graphqlHeaders = {
      'content-type': 'application/json',
      'apollo-require-preflight': 'true',
      cookie: who.cookie,
    };
    const kinds: Kind[] = [
      {
        name: 'dashboard queries',
        connections: 4,
        status: 200,
        options: {
          method: 'POST',
          path: '/graphql',
          headers: graphqlHeaders,
          body: JSON.stringify({ query: DASHBOARD }),
        },
      },
      {
        name: 'mutations (updateApp)',
        connections: 2,
        status: 200,
        options: {
          method: 'POST',
          path: '/graphql',
          headers: graphqlHeaders,
          // Alternating descriptions: every update changes the app.
          requests: ['first', 'second'].map((word) => ({
            body: JSON.stringify({
              query: UPDATE_APP,
              variables: { input: { appId: who.appId, description: `The ${word} description.` } },
            }),
          })),
        },
      },
      {
        name: '/v1/verify',
        connections: 8,
        status: 200,
        options: {
          path: '/v1/verify',
          headers: {
            authorization: `Bearer ${who.secret}`,
            'x-original-uri': `${PRODUCT_PREFIX}/items`,
            'x-original-method': 'GET',
          },
        },
      },
      {
        name: '/v1/usage (100 events per report)',
        connections: 2,
        status: 202,
        options: {
          method: 'POST',
          path: '/v1/usage',
          headers: {
            authorization: `Bearer ${fixture.gatewayToken}`,
            'content-type': 'application/json',
          },
          body: usageBody(who.credentialId, fixture.productSlug, 100),
        },
      },
    ];
    console.log(
      `Mixed traffic: ${SECONDS} s on one instance, ${os.cpus().length} CPU(s), Node ${process.version};` +
        ` ${SUBSCRIBERS} live subscribers; ${kinds.map((k) => `${k.name} × ${k.connections}`).join(', ')}`,
    );
    subscribers.send({ type: 'mark' } satisfies SubscribersRequest);
    const results = await Promise.all(
      kinds.map((kind) => run(`${url}${String(kind.options.path)}`, kind)),
    );
    // What the subscribers received while the load ran (the last events may still be on their way).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const report = nextMessage<SubscribersReply, 'report'>(subscribers, 'report', 120_000);
    subscribers.send({ type: 'report' } satisfies SubscribersRequest);
    const { received, errors: subscriberErrors } = await report;
    const deliveries = Object.values(received).reduce((sum, times) => sum + times.length, 0);

    const rows = [['kind', 'throughput', '5xx', 'other failures']];
    for (const r of results) {
      rows.push([
        r.name,
        `${r.perSecond.toFixed(1)} /s`,
        String(r.serverErrors),
        r.otherFailures.join(', ') || '0',
      ]);
    }
    rows.push([
      `subscriptions (${SUBSCRIBERS})`,
      `${(deliveries / SECONDS).toFixed(1)} events delivered/s`,
      '',
      String(subscriberErrors),
    ]);
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
    console.log('');
    for (const row of rows) {
      console.log(row.map((cell, i) => cell.padEnd((widths?.[i] ?? 0) + 2)).join(''));
    }
    const serverErrors = results.reduce((sum, r) => sum + r.serverErrors, 0);
    const otherFailures = results.flatMap((r) => r.otherFailures.map((f) => `${r.name}: ${f}`));
    failed = serverErrors > 0 || otherFailures.length > 0 || subscriberErrors > 0;
    summary.push({
      measure: `mixed traffic, ${SECONDS} s: 5xx answers`,
      value: String(serverErrors),
      target: '0',
      met: serverErrors === 0,
    });
    for (const r of results) {
      summary.push({
        measure: `  mixed: ${r.name}`,
        value: `${r.perSecond.toFixed(1)} /s`,
        target: '',
        met: null,
      });
    }
    summary.push({
      measure: `  mixed: events to ${SUBSCRIBERS} subscribers`,
      value: `${(deliveries / SECONDS).toFixed(1)} /s`,
      target: '',
      met: null,
    });
    if (otherFailures.length) console.error(`\nOther failures:\n  ${otherFailures.join('\n  ')}`);

    const resultsDir = path.join(here, '../results');
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(
      resultsDir,
      `mixed-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    await writeFile(
      file,
      JSON.stringify({ seconds: SECONDS, subscribers: SUBSCRIBERS, results, deliveries }, null, 2),
    );
    console.log(`\nResults written to ${path.relative(process.cwd(), file)}`);
  } finally {
    if (portico) {
      const stopped = nextMessage<ServerReply, 'stopped'>(portico, 'stopped', 10_000).catch(
        () => undefined,
      );
      portico.send({ type: 'stop' } satisfies ServerRequest);
      await stopped;
    }
    await orm.close(true);
    await scratchDatabase.drop();
  }
  printSummary('mixed', summary);
  return failed ? 1 : 0;
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
