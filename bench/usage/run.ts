// Usage benchmark, in one process against a scratch PostgreSQL (BENCH_DATABASE_URL, else an
// embedded one):
//
//   cd packages/server && pnpm bench:usage [--seconds 10] [--apps 1000] [--days 120]
//
// 1. Ingestion: events counted into minute rows (UsageBatch.addResponse, the code /v1/usage and
//    /v1/verify count with) and written by writeUsage in batches of 10,000 events, while the
//    rollup job's work (rollUpUsage) runs in a loop beside it. Baseline: the same rows written
//    by a plain INSERT into an unpartitioned table with no upsert, dirty mark or histogram.
// 2. Queries, for one organization with --apps apps and --days days of usage: the 120-day
//    chart (a bucket per day) and this month's totals (with p50/p95/p99), as the usage query
//    runs them (usageRowsSql). Baseline: the same aggregate on a bare scan of the minute
//    table holding 6 hours of minutes of the same apps, printed with its row count.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { openBenchDatabase } from '../shared/database.js';
import { percentile } from '../shared/processes.js';
import { initOrm } from '../../packages/server/src/database.js';
import { migrate } from '../../packages/server/src/db/migrate.js';
import { GatewayDb } from '../../packages/server/src/gateway/gateway-db.js';
import { UsageBatch, writeUsage } from '../../packages/server/src/gateway/usage-recorder.js';
import { maintainUsagePartitions } from '../../packages/server/src/modules/usage/usage.partitions.js';
import {
  knexParams,
  STATS_SQL,
  usageRowsSql,
} from '../../packages/server/src/modules/usage/usage.read.js';
import { rollUpUsage } from '../../packages/server/src/modules/usage/usage.rollup.js';
import { UsageGranularity } from '../../packages/server/src/modules/usage/usage.types.js';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    apps: { type: 'string', default: '1000' },
    days: { type: 'string', default: '120' },
    runs: { type: 'string', default: '30' },
  },
});
const SECONDS = Number(flags.seconds);
const APPS = Number(flags.apps);
const DAYS = Number(flags.days);
const RUNS = Number(flags.runs);
const DAY_MS = 86_400_000;
// Benchmarks live outside packages/server, where Node cannot resolve its dependencies.
const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));
const pino = require('pino') as (options: {
  level: string;
}) => ConstructorParameters<typeof GatewayDb>[1];
const ORG = 'org_bench';

type Orm = Awaited<ReturnType<typeof initOrm>>;

async function ingestion(orm: Orm, url: string): Promise<void> {
  const db = new GatewayDb(url, pino({ level: 'silent' }));
  let rolling = true;
  let rollups = 0;
  const roller = (async () => {
    while (rolling) {
      await rollUpUsage(orm.em.fork());
      rollups += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  const measure = async (write: (batch: UsageBatch) => Promise<void>) => {
    let events = 0;
    const started = performance.now();
    const until = started + SECONDS * 1000;
    let n = 0;
    while (performance.now() < until) {
      const batch = new UsageBatch();
      const now = Date.now();
      for (let i = 0; i < 10_000; i++, n++) {
        const app = n % APPS;
        batch.addResponse(
          now - (n % 5) * 60_000,
          {
            organizationId: ORG,
            appId: `app_bench${app}`,
            productId: 'prd_bench',
            credentialId: `crd_bench${app}`,
            environmentId: '',
          },
          n % 50 === 0,
          5 + (n % 200),
          1,
        );
      }
      await write(batch);
      events += 10_000;
    }
    return events / ((performance.now() - started) / 1000);
  };
  const portico = await measure((batch) => writeUsage(db, batch));
  rolling = false;
  await roller;
  await db.query(
    `create unlogged table bench_plain (bucket timestamptz, app_id text, product_id text,
       credential_id text, environment_id text, organization_id text, responses bigint,
       errors bigint, units bigint, response_time_min float8, response_time_max float8,
       response_time_sum float8)`,
  );
  const plain = await measure(async (batch) => {
    const rows = [...batch.rows.values()];
    await db.query(
      `insert into bench_plain select * from unnest($1::timestamptz[], $2::text[], $3::text[],
         $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[],
         $10::float8[], $11::float8[], $12::float8[])`,
      [
        rows.map((r) => new Date(r.bucket)),
        rows.map((r) => r.appId),
        rows.map((r) => r.productId),
        rows.map((r) => r.credentialId),
        rows.map((r) => r.environmentId),
        rows.map((r) => r.organizationId),
        rows.map((r) => r.responses),
        rows.map((r) => r.errors),
        rows.map((r) => r.units),
        rows.map((r) => r.responseTimeMin),
        rows.map((r) => r.responseTimeMax),
        rows.map((r) => r.responseTimeSum),
      ],
    );
  });
  await db.close();
  console.log(
    `ingestion: ${Math.round(portico).toLocaleString('en-US')} events/s into usage_minute with ${rollups} rollup runs beside it (target ≥ 200,000 on 2 cores); baseline plain INSERT of the same rows: ${Math.round(plain).toLocaleString('en-US')} events/s (ratio ${(portico / plain).toFixed(2)})`,
  );
}

async function timeQuery(orm: Orm, sql: string, params: unknown[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await orm.em.fork().execute(sql, params);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function queries(orm: Orm): Promise<void> {
  const em = orm.em.fork();
  const today = Date.now() - (Date.now() % DAY_MS);
  const from = new Date(today - (DAYS - 1) * DAY_MS);
  await em.execute(
    `insert into usage_day (bucket, organization_id, app_id, product_id, credential_id,
       environment_id, requests, responses, errors, units, response_time_min, response_time_max,
       response_time_sum, latency_histogram)
     select d, 'org_q', 'app_q' || a, 'prd_q', 'crd_q' || a, '', 1000 + a, 1000, 10, 50, 3, 900,
       60000, '{0,10,20,40,80,160,200,200,120,80,40,20,10,5,5,5,5,0,0,0,0,0,0,0}'
     from generate_series(?::timestamptz, ?::timestamptz, interval '1 day') d,
       generate_series(1, ?) a`,
    [from.toISOString(), new Date(today).toISOString(), APPS],
  );
  await em.execute(
    `insert into usage_minute (bucket, organization_id, app_id, product_id, credential_id,
       environment_id, requests, responses, errors, units, response_time_min, response_time_max,
       response_time_sum, latency_histogram)
     select m, 'org_q', 'app_q' || a, 'prd_q', 'crd_q' || a, '', 2, 2, 0, 1, 3, 900, 120,
       '{0,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}'
     from generate_series(?::timestamptz - interval '6 hours', ?::timestamptz - interval '1 minute', interval '1 minute') m,
       generate_series(1, ?) a`,
    [new Date(today).toISOString(), new Date(today).toISOString(), APPS],
  );
  await em.execute('analyze usage_day');
  await em.execute('analyze usage_minute');
  const [{ days, minutes } = { days: '0', minutes: '0' }] = await em.execute<
    { days: string; minutes: string }[]
  >(
    `select (select count(*) from usage_day where organization_id = 'org_q')::text as days,
       (select count(*) from usage_minute where organization_id = 'org_q')::text as minutes`,
  );

  const chart = knexParams();
  const chartSql = `select u.bucket, ${STATS_SQL} from (${usageRowsSql(UsageGranularity.DAY, from, new Date(today + DAY_MS), { organizationId: 'org_q' }, chart.p)}) u group by u.bucket order by u.bucket`;
  const month = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
  const totals = knexParams();
  const totalsSql = `select ${STATS_SQL} from (${usageRowsSql(UsageGranularity.DAY, month, new Date(today + DAY_MS), { organizationId: 'org_q' }, totals.p)}) u`;
  const bare = `select ${STATS_SQL} from usage_minute where organization_id = ?`;

  const report = (name: string, times: number[]) =>
    `${name}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`;
  console.log(
    `data set: ${APPS} apps, ${DAYS} days = ${Number(days).toLocaleString('en-US')} day rows; ${Number(minutes).toLocaleString('en-US')} minute rows (6 hours) for the baseline`,
  );
  console.log(
    `  ${report('120-day chart (by day)', await timeQuery(orm, chartSql, chart.params))} (target p95 ≤ 50 ms)`,
  );
  console.log(
    `  ${report("this month's totals with percentiles", await timeQuery(orm, totalsSql, totals.params))} (target p95 ≤ 50 ms)`,
  );
  console.log(
    `  ${report('baseline: the same totals on a bare scan of 6 hours of minutes', await timeQuery(orm, bare, ['org_q']))}`,
  );
}

async function main(): Promise<void> {
  const scratch = await openBenchDatabase();
  const orm = await initOrm({ clientUrl: scratch.url });
  try {
    await migrate(orm);
    await maintainUsagePartitions(orm.em.fork(), new Date(), {
      minuteDays: 3,
      hourDays: 90,
      dayDays: null,
    });
    console.log(`Usage benchmark: ${os.cpus().length} CPU(s), Node ${process.version}`);
    await ingestion(orm, scratch.url);
    await queries(orm);
  } finally {
    await orm.close(true);
    await scratch.drop();
  }
}

await main();
