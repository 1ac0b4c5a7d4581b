// GraphQL benchmark: Portico's GraphQL path against a bare `graphql-http` handler on `node:http`
// with a hand-written `graphql-js` schema and plain `pg` (baseline.ts), in the same run:
//   (a) the authenticated `{ viewer { id name email } }` with a session cookie;
//   (b) the dashboard query (viewer → organizations → projects → apps, standalone apps and
//       members; each app with its owner, credentials, grants with this month's usage of their
//       product, and its usage summary for the current month), the baseline running the
//       statements Portico runs.
// For each: the SQL statements one request sends, closed-loop throughput with wrk (req/s and
// the ratio; wrk's CPU printed), and p50/p99 at a fixed rate, evenly paced (shared/paced.ts:
// wrk in Debian has no fixed rate, and autocannon's sends each second's requests in a burst).
//
//   cd packages/server && pnpm bench:graphql [--seconds 10] [--connections 32] [--apps 30]
//     [--statements]   (prints the statements of one request of each measure, for both servers)
//
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; a scratch database is created and dropped),
// else an embedded PostgreSQL in a temporary folder; migrated as main.ts does.
// Each server runs in a child process of its own; wrk in another; the paced generator in this one.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
import { signUpAndSignIn } from '../shared/accounts.js';
import { printSummary, type SummaryRow } from '../shared/summary.js';
import { runWrk, type WrkResult, wrkSeconds } from '../shared/wrk.js';
import { runPaced } from '../shared/paced.js';
import { hashPassword } from '../../packages/server/src/modules/accounts/accounts.service.js';
import { minutesAgoThisMonth } from '../../packages/server/test/usage-times.js';
import { migrate } from '../../packages/server/src/db/migrate.js';
import { initOrm } from '../../packages/server/src/database.js';
import { User } from '../../packages/server/src/modules/accounts/accounts.entity.js';
import { App } from '../../packages/server/src/modules/apps/apps.entity.js';
import {
  MemberRole,
  Membership,
  Organization,
  OrganizationKind,
} from '../../packages/server/src/modules/orgs/orgs.entity.js';
import { Project } from '../../packages/server/src/modules/projects/projects.entity.js';
import {
  Credential,
  CredentialKind,
} from '../../packages/server/src/modules/credentials/credentials.entity.js';
import {
  GrantStatus,
  ProductGrant,
} from '../../packages/server/src/modules/grants/grants.entity.js';
import { ApiProduct } from '../../packages/server/src/modules/products/products.entity.js';
import { GatewayDb } from '../../packages/server/src/gateway/gateway-db.js';
import { UsageBatch, writeUsage } from '../../packages/server/src/gateway/usage-recorder.js';
import type { ServerReply, ServerRequest, ServerStats } from './protocol.js';
import type * as Pino from 'pino';

type Orm = Awaited<ReturnType<typeof initOrm>>;

// The gateway's writer (usage rows) takes a logger: pino, from the server package.
const { pino } = createRequire(new URL('../../packages/server/package.json', import.meta.url))(
  'pino',
) as typeof Pino;

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    slice: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '1' },
    'viewer-rate': { type: 'string', default: '500' },
    'dashboard-rate': { type: 'string', default: '100' },
    'rate-seconds': { type: 'string', default: '' },
    apps: { type: 'string', default: '30' },
    /** Only this measure (viewer or dashboard), e.g. to profile it. */
    only: { type: 'string', default: '' },
    warmup: { type: 'string', default: '2' },
    /** Print the SQL statements of one request of each measure, for both servers. */
    statements: { type: 'boolean', default: false },
    'timeout-seconds': { type: 'string', default: '300' },
  },
});
const SECONDS = Number(flags.seconds);
const SLICE = Math.min(wrkSeconds('slice', flags.slice), SECONDS);
const CONNECTIONS = Number(flags.connections);
const THREADS = Number(flags.threads);
const VIEWER_RATE = Number(flags['viewer-rate']);
const DASHBOARD_RATE = Number(flags['dashboard-rate']);
const RATE_SECONDS = Number(flags['rate-seconds'] || Math.max(2, Math.round(SECONDS / 2)));
const APPS = Number(flags.apps);
const WARMUP = wrkSeconds('warmup', flags.warmup);

// The design's targets (shared/DESIGN.md, "Targets").
const TARGET_RATIO = 0.8;

const here = path.dirname(fileURLToPath(import.meta.url));
const watchdog = startWatchdog(Number(flags['timeout-seconds']) * 1000);

const VIEWER = '{ viewer { id name email } }';
/** An app on the dashboard: its owner, credentials, grants and this month's usage. */
const APP = `id name status viewerCanManage owner { id name }
  credentials { id kind lastFour }
  grants { id status usageThisMonth { requests errors } }
  usageThisMonth { month requests units errors errorRate responseTimeAvg }`;
/**
 * The organization dashboard (as in apps/dashboard.test.ts): every project with its apps, the
 * standalone apps, the team.
 */
const DASHBOARD = `query Dashboard {
  viewer {
    id
    organizations {
      id
      name
      projects {
        id
        name
        apps { ${APP} project { id name } }
      }
      standaloneApps { ${APP} }
      members { id role user { id name } }
    }
  }
}`;

const nextMessage = <T extends ServerReply['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs?: number,
): Promise<Extract<ServerReply, { type: T }>> =>
  nextMessageOf<ServerReply, T>(child, type, timeoutMs);

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
}

async function startServer(name: string, file: string, databaseUrl: string): Promise<Server> {
  const child = spawnChild(here, file, [databaseUrl], [...SERVER_FLAGS, ...PROFILE_FLAGS]);
  const { url } = await nextMessage(child, 'ready');
  return { name, child, url };
}

async function stopServer(server: Server): Promise<void> {
  const stopped = nextMessage(server.child, 'stopped', 10_000).catch(() => undefined);
  server.child.send({ type: 'stop' } satisfies ServerRequest);
  await stopped;
}

async function statsOf(server: Server): Promise<ServerStats> {
  const reply = nextMessage(server.child, 'stats');
  server.child.send({ type: 'stats' } satisfies ServerRequest);
  return reply;
}

/** Problems that make the run fail (missed targets do not). */
const problems: string[] = [];

/** The request both servers get: a GraphQL POST with the session cookie, as the web app sends. */
function requestOf(cookie: string, query: string) {
  return {
    method: 'POST',
    path: '/graphql',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      'apollo-require-preflight': 'true',
      cookie,
    },
    body: JSON.stringify({ query }),
  };
}
type GraphqlRequest = ReturnType<typeof requestOf>;

interface Throughput {
  ok: number;
  seconds: number;
  serverCpuMs: number;
  loadCpuMs: number;
  p50: number;
  p99: number;
}

const NONE: Throughput = { ok: 0, seconds: 0, serverCpuMs: 0, loadCpuMs: 0, p50: 0, p99: 0 };

async function wrkSlice(
  server: Server,
  label: string,
  request: GraphqlRequest,
  seconds: number,
): Promise<Throughput> {
  const before = await statsOf(server);
  const result: WrkResult = await runWrk({
    url: `${server.url}${request.path}`,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections: CONNECTIONS,
    threads: THREADS,
    seconds,
  });
  const after = await statsOf(server);
  if (result.badStatus || result.errors) {
    problems.push(
      `${label} (${server.name}): ${result.badStatus} bad statuses, ${result.errors} errors`,
    );
  }
  return {
    ok: result.ok,
    seconds: result.seconds,
    serverCpuMs: after.cpuMs - before.cpuMs,
    loadCpuMs: result.cpuMs,
    p50: result.p50,
    p99: result.p99,
  };
}

/** Alternating SLICE-second wrk runs against each server (SECONDS in all for each). */
async function throughput(
  servers: Server[],
  label: string,
  request: GraphqlRequest,
): Promise<Throughput[]> {
  const totals = servers.map(() => ({ ...NONE }));
  const rounds = Math.max(1, Math.round(SECONDS / SLICE));
  for (let round = 0; round < rounds; round++) {
    const order = servers.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const server = servers[i];
      const total = totals[i];
      if (!server || !total) continue;
      const run = await wrkSlice(server, label, request, SLICE);
      total.ok += run.ok;
      total.seconds += run.seconds;
      total.serverCpuMs += run.serverCpuMs;
      total.loadCpuMs += run.loadCpuMs;
      // The closed loop's percentiles: the worst slice's.
      total.p50 = Math.max(total.p50, run.p50);
      total.p99 = Math.max(total.p99, run.p99);
    }
  }
  return totals;
}

interface Latency {
  p50: number;
  p99: number;
  achieved: number;
  samples: number;
}

/** `rate` requests per second, evenly paced (shared/paced.ts); every latency kept (sub-ms). */
async function fixedRate(
  server: Server,
  label: string,
  request: GraphqlRequest,
  rate: number,
): Promise<Latency> {
  const result = await runPaced({
    url: `${server.url}${request.path}`,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    connections: 10,
    rate,
    seconds: RATE_SECONDS,
  });
  const bad = [...result.statuses].filter(([code]) => code !== 200);
  if (result.errors || bad.length) {
    problems.push(
      `${label} at a fixed rate (${server.name}): ${result.errors} errors, ${JSON.stringify(bad)}`,
    );
  }
  const latencies = result.latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    achieved: (result.statuses.get(200) ?? 0) / result.seconds,
    samples: latencies.length,
  };
}

/**
 * The dashboard's organization: the signed-in admin, two developers, three projects and APPS
 * apps (one in four standalone), each with a credential, a grant of a product and usage this
 * month (written as the gateway writes it): of the granted product, and for one app in three
 * of a product it has no grant of, so that an app's total and its grant's differ.
 */
async function dashboardRows(orm: Orm, databaseUrl: string, adminId: string): Promise<void> {
  const em = orm.em.fork();
  const org = new Organization('Bench Org', `bench-org-${process.pid}`, OrganizationKind.TEAM);
  const passwordHash = await hashPassword('not used: these members never sign in');
  const developers = [1, 2].map(
    (i) => new User(`bench-dev-${i}-${process.pid}@example.com`, `Developer ${i}`, passwordHash),
  );
  const admin = em.getReference(User, adminId, { wrapped: true });
  const orgRef = em.getReference(Organization, org.id, { wrapped: true });
  em.persist([org, ...developers]);
  em.persist(new Membership(orgRef, admin, MemberRole.ADMIN));
  for (const developer of developers) {
    em.persist(
      new Membership(
        orgRef,
        em.getReference(User, developer.id, { wrapped: true }),
        MemberRole.DEVELOPER,
      ),
    );
  }
  const projects = [1, 2, 3].map((i) => new Project(orgRef, `Project ${i}`));
  em.persist(projects);
  const [granted, other] = [1, 2].map(
    (i) => new ApiProduct(`Bench product ${i}`, `bench-product-${i}-${process.pid}`),
  );
  if (!granted || !other) throw new Error('two products');
  em.persist([granted, other]);
  const owners = [adminId, ...developers.map((d) => d.id)];
  const apps: { app: App; credential: Credential }[] = [];
  for (let i = 0; i < APPS; i++) {
    const project = i % 4 === 3 ? null : (projects[i % 4] ?? null);
    const app = new App(
      orgRef,
      project ? em.getReference(Project, project.id, { wrapped: true }) : null,
      em.getReference(User, owners[i % owners.length] ?? adminId, { wrapped: true }),
      `Bench app ${i}`,
    );
    em.persist(app);
    const appRef = em.getReference(App, app.id, { wrapped: true });
    const credential = new Credential({
      app: appRef,
      organization: orgRef,
      kind: CredentialKind.CONSUMER_KEY,
      publicId: null,
      secretHash: randomBytes(32).toString('hex'),
      lastFour: String(1000 + i).slice(-4),
      createdBy: null,
    });
    em.persist(credential);
    apps.push({ app, credential });
    const grant = new ProductGrant(
      orgRef,
      appRef,
      em.getReference(ApiProduct, granted.id, { wrapped: true }),
      null,
    );
    if (i % 2 === 0) {
      grant.status = GrantStatus.APPROVED;
      grant.decidedAt = new Date();
    }
    em.persist(grant);
  }
  await em.flush();

  const batch = new UsageBatch();
  const now = Date.now();
  apps.forEach(({ app, credential }, i) => {
    const usage = (productId: string, minutesAgo: number, times: number[], errors: number) => {
      // This month's, as the dashboard shows them: in the month's first half hour, none earlier.
      const time = minutesAgoThisMonth(minutesAgo, now).getTime();
      const key = {
        organizationId: org.id,
        appId: app.id,
        productId,
        credentialId: credential.id,
        environmentId: '',
      };
      for (let n = 0; n < times.length + (i % 5); n++) batch.addRequest(time, key);
      times.forEach((ms, n) => batch.addResponse(time, key, n < errors, ms, n % 3));
    };
    usage(granted.id, i % 30, [10 + i, 25, 40], i % 3);
    usage(granted.id, (i % 30) + 5, [12, 18 + (i % 7)], 0);
    if (i % 3 === 0) usage(other.id, i % 30, [30, 90], 1);
  });
  const gatewayDb = new GatewayDb(databaseUrl, pino({ level: 'silent' }));
  try {
    await writeUsage(gatewayDb, batch);
  } finally {
    await gatewayDb.close();
  }
}

/** The answer of `server` to `request` (checked to be data without errors). */
async function answer(server: Server, request: GraphqlRequest): Promise<unknown> {
  const response = await fetch(`${server.url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (response.status !== 200 || !body.data || body.errors) {
    throw new Error(`${server.name} answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.data;
}

interface DashboardApp {
  credentials: unknown[];
  grants: { usageThisMonth: { requests: number } }[];
  usageThisMonth: { requests: number };
}
interface DashboardData {
  viewer: {
    organizations: { projects: { apps: DashboardApp[] }[]; standaloneApps: DashboardApp[] }[];
  };
}

/** Every seeded app is on the dashboard with its credential, grant and usage (not empty lists). */
function checkDashboard(data: unknown): void {
  const organizations = (data as DashboardData).viewer.organizations;
  const apps = organizations.flatMap((org) => [
    ...org.projects.flatMap((project) => project.apps),
    ...org.standaloneApps,
  ]);
  const complete = apps.filter(
    (app) =>
      app.credentials.length > 0 &&
      app.grants.some((grant) => grant.usageThisMonth.requests > 0) &&
      app.usageThisMonth.requests > 0,
  );
  if (apps.length !== APPS || complete.length !== APPS) {
    throw new Error(
      `the dashboard shows ${apps.length} apps, ${complete.length} with credentials, grants and usage (${APPS} seeded)`,
    );
  }
}

/**
 * The statements `server` sends for one `request`, and its answer: the fewest of three
 * requests in a row (a statement of a background job may fall within one; the first may miss
 * a cache).
 */
async function statementsOf(
  server: Server,
  name: string,
  request: GraphqlRequest,
): Promise<{ data: unknown; statements: string[] }> {
  const record = async (on: boolean): Promise<string[]> => {
    const reply = nextMessage(server.child, 'recorded');
    server.child.send({ type: 'record', on } satisfies ServerRequest);
    return (await reply).statements;
  };
  let fewest: { data: unknown; statements: string[] } | undefined;
  for (let i = 0; i < 3; i++) {
    await record(true);
    const data = await answer(server, request);
    const statements = await record(false);
    if (!fewest || statements.length < fewest.statements.length) fewest = { data, statements };
  }
  if (!fewest) throw new Error('no request');
  if (flags.statements) {
    const { statements } = fewest;
    console.log(`SQL statements of one ${name} request, ${server.name} (${statements.length}):`);
    for (const statement of statements) console.log(`  ${statement.replace(/\s+/g, ' ')}`);
  }
  return fewest;
}

const num = (value: number): string => Math.round(value).toLocaleString('en-US');
const ms = (value: number): string =>
  Number.isNaN(value) ? 'no answer in time' : `${value.toFixed(2)} ms`;
const pct = (share: number): string => `${Math.round(share * 100)}%`;
/** A closed loop's server CPU: its share of a core, and per request answered. */
const cpuOf = (run: Throughput): string =>
  `${pct(run.serverCpuMs / (run.seconds * 1000))}, ${(run.serverCpuMs / Math.max(1, run.ok)).toFixed(2)} ms/req`;

async function main(): Promise<number> {
  const scratchDatabase = await openBenchDatabase();
  const orm = await initOrm({ clientUrl: scratchDatabase.url });
  const servers: Server[] = [];
  const summary: SummaryRow[] = [];
  try {
    await migrate(orm);
    const [portico, baseline] = await Promise.all([
      startServer('Portico', 'portico.ts', scratchDatabase.url),
      startServer('graphql-http + pg', 'baseline.ts', scratchDatabase.url),
    ]);
    servers.push(portico, baseline);
    const { id: userId, cookie } = await signUpAndSignIn(portico.url, orm, {
      email: `bench-${process.pid}@example.com`,
      name: 'Bench Developer',
      password: 'correct horse battery staple',
    });
    await dashboardRows(orm, scratchDatabase.url, userId);

    const measures = [
      { name: 'viewer', request: requestOf(cookie, VIEWER), rate: VIEWER_RATE },
      { name: 'dashboard', request: requestOf(cookie, DASHBOARD), rate: DASHBOARD_RATE },
    ].filter(({ name }) => !flags.only || flags.only === name);
    // Both servers answer the same data, or the comparison means nothing; and the statements
    // each sends per request.
    const statementCounts: Record<string, { portico: number; baseline: number }> = {};
    for (const { name, request } of measures) {
      const [ours, theirs] = [
        await statementsOf(portico, name, request),
        await statementsOf(baseline, name, request),
      ];
      statementCounts[name] = {
        portico: ours.statements.length,
        baseline: theirs.statements.length,
      };
      if (!isDeepStrictEqual(ours.data, theirs.data)) {
        throw new Error(
          `the ${name} answers differ:\nPortico ${JSON.stringify(ours.data)}\nbaseline ${JSON.stringify(theirs.data)}`,
        );
      }
      if (name === 'dashboard') checkDashboard(ours.data);
    }
    console.log(
      `GraphQL benchmark: ${os.cpus().length} CPU(s), Node ${process.version}; wrk ${CONNECTIONS} connections,` +
        ` ${SECONDS} s per measure and server in alternating ${SLICE} s slices; dashboard of 1 organization,` +
        ` 3 members, 3 projects, ${APPS} apps`,
    );
    for (const server of servers) {
      for (const { request } of measures) await wrkSlice(server, 'warm-up', request, WARMUP);
    }

    const rows: string[][] = [['measure', 'Portico', 'baseline', 'ratio / target', 'wrk CPU']];
    const results: Record<string, unknown> = {};
    for (const { name, request, rate } of measures) {
      console.log(`▶ ${name}: throughput`);
      const [ours = NONE, theirs = NONE] = await throughput([portico, baseline], name, request);
      console.log(`▶ ${name}: latency at ${rate} req/s`);
      const oursRated = await fixedRate(portico, name, request, rate);
      const theirsRated = await fixedRate(baseline, name, request, rate);
      const statements = statementCounts[name];
      const oursRps = ours.ok / ours.seconds;
      const theirsRps = theirs.ok / theirs.seconds;
      const ratio = oursRps / theirsRps;
      const loadShare = (run: Throughput) => run.loadCpuMs / (run.seconds * 1000);
      rows.push(
        [
          `${name}: throughput`,
          `${num(oursRps)} req/s`,
          `${num(theirsRps)} req/s`,
          `${ratio.toFixed(2)} (≥ ${TARGET_RATIO})`,
          `${pct(loadShare(ours))} / ${pct(loadShare(theirs))} of a core`,
        ],
        [`  p50 at ${rate} req/s`, ms(oursRated.p50), ms(theirsRated.p50), '', ''],
        [`  p99 at ${rate} req/s`, ms(oursRated.p99), ms(theirsRated.p99), '', ''],
        ['  server CPU (closed loop)', cpuOf(ours), cpuOf(theirs), '', ''],
        [
          '  SQL statements per request',
          String(statements?.portico ?? ''),
          String(statements?.baseline ?? ''),
          '',
          '',
        ],
      );
      summary.push({
        measure: `GraphQL ${name} vs graphql-http${name === 'dashboard' ? ' + graphql-js + pg' : ''}`,
        value: `${ratio.toFixed(2)} (${num(oursRps)} / ${num(theirsRps)} req/s)`,
        target: `≥ ${TARGET_RATIO}`,
        met: ratio >= TARGET_RATIO,
      });
      summary.push({
        measure: `GraphQL ${name} p99 at ${rate} req/s`,
        value: `${ms(oursRated.p99)} (baseline ${ms(theirsRated.p99)})`,
        target: '',
        met: null,
      });
      results[name] = {
        portico: ours,
        baseline: theirs,
        ratio,
        oursRated,
        theirsRated,
        statements,
      };
    }
    const stats = await statsOf(portico);
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
    console.log('\nPortico against a bare graphql-http handler with graphql-js and pg');
    for (const row of rows) {
      console.log(row.map((cell, i) => cell.padEnd((widths?.[i] ?? 0) + 2)).join(''));
    }
    console.log(
      `\nPortico answered ${num(stats.sessionHits ?? 0)} session lookups from memory (the baseline reads` +
        ' the session from PostgreSQL on every request). wrk CPU is Portico / baseline runs; when it' +
        ' nears a whole core the figures are floors. On a shared machine the figures are noisy: compare' +
        ' the two columns of one run.',
    );
    const resultsDir = path.join(here, '../results');
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(
      resultsDir,
      `graphql-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    await writeFile(file, JSON.stringify({ options: flags, results, problems }, null, 2));
    console.log(`Results written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await Promise.all(servers.map(stopServer));
    await orm.close(true);
    await scratchDatabase.drop();
  }
  printSummary('graphql', summary);
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
