// Staff inventory benchmark: the staff apps and organizations pages, their usage criteria and
// sorts, and the high-usage report, over --apps apps (default 50,000 in 500 organizations)
// that each used the API every day of the last --days days (day rollups: --apps × --days rows
// of usage_day). Each query runs through the GraphQL endpoint with a staff session, --runs
// times; the table prints the median and p95 beside the baseline measured in the same run: the
// bare grouped scan of this month's day rows that any criterion reading every app's usage
// needs (one SQL statement, straight to PostgreSQL). Not a test: it prints, it asserts
// nothing.
//
//   cd packages/server && pnpm bench:staff [--apps 50000] [--days 45] [--runs 15]
//
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; a scratch database is created and dropped),
// else an embedded PostgreSQL in a temporary folder; migrated as main.ts does.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type * as Pg from 'pg';
import { openBenchDatabase } from '../shared/database.js';
import { signUpAndSignIn } from '../shared/accounts.js';
import { percentile } from '../shared/processes.js';
import { createApp } from '../../packages/server/src/app.js';
import { PlatformRole } from '../../packages/server/src/auth/roles.js';
import { initOrm } from '../../packages/server/src/database.js';
import { migrate } from '../../packages/server/src/db/migrate.js';
import { parseEnv } from '../../packages/server/src/env.js';
import { User } from '../../packages/server/src/modules/accounts/accounts.entity.js';
import { ensureDefaultPlans } from '../../packages/server/src/modules/products/plans.service.js';
import { maintainUsagePartitions } from '../../packages/server/src/modules/usage/usage.partitions.js';
import { monthStartOf } from '../../packages/server/src/modules/usage/usage.periods.js';

const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));
const pg = require('pg') as typeof Pg;

const { values: flags } = parseArgs({
  options: {
    apps: { type: 'string', default: '50000' },
    days: { type: 'string', default: '45' },
    runs: { type: 'string', default: '15' },
  },
});
const APPS = Number(flags.apps);
const DAYS = Number(flags.days);
const RUNS = Number(flags.runs);
const ORGS = Math.max(1, Math.round(APPS / 100));
const DAY_MS = 86_400_000;

type Orm = Awaited<ReturnType<typeof initOrm>>;

/**
 * The organizations (half on Basic for the product, half on no plan: the lowest applies), their
 * apps and every app's day rows: requests 20 to 520 a day (so a month of them is a few % to
 * over 100 % of Free's 10,000), errors 0 to 12 % of the responses.
 */
async function seed(orm: Orm, ownerId: string): Promise<void> {
  const em = orm.em.fork();
  const conn = em.getConnection();
  const now = new Date();
  const plans = await ensureDefaultPlans(em);
  const basic = plans.find((p) => p.name === 'Basic')!;
  await conn.execute(
    `insert into api_product (id, created_at, updated_at, name, slug, description, approval_mode, approval_rules, path_prefixes, dm_path_prefixes, requires_project)
     values ('prd_bench', now(), now(), 'Bench API', 'bench-api', '', 'AUTO', '{}', '{/bench}', '{}', false)`,
  );
  await conn.execute(
    `insert into organization (id, created_at, name, slug, kind, updated_at)
     select 'org_bench_' || i, now() - (i || ' minutes')::interval, 'Bench org ' || i, 'bench-org-' || i, 'TEAM', now()
       from generate_series(1, ?) as i`,
    [ORGS],
  );
  await conn.execute(
    `insert into plan_subscription (id, created_at, updated_at, organization_id, product_id, plan_id)
     select 'sub_bench_' || i, now(), now(), 'org_bench_' || i, 'prd_bench', ?
       from generate_series(1, ?, 2) as i`,
    [basic.id, ORGS],
  );
  await conn.execute(
    `insert into app (id, created_at, organization_id, owner_id, name, callback_urls, attributes, updated_at, description)
     select 'app_bench_' || i, now() - (i || ' seconds')::interval, 'org_bench_' || (1 + (i - 1) % ?),
            ?, 'Bench app ' || i, '{}', '[]', now(), 'An app of the staff benchmark.'
       from generate_series(1, ?) as i`,
    [ORGS, ownerId, APPS],
  );
  await maintainUsagePartitions(em, now, { minuteDays: 3, hourDays: 90, dayDays: null });
  const today = now.getTime() - (now.getTime() % DAY_MS);
  await conn.execute(
    `insert into usage_day (bucket, organization_id, app_id, product_id, credential_id, environment_id,
       requests, responses, errors, units, response_time_min, response_time_max, response_time_sum)
     select d, 'org_bench_' || (1 + (i - 1) % ?), 'app_bench_' || i, 'prd_bench', '', '',
            r, r, (r * ((i % 13) / 100.0))::bigint, r * 2, 10, 90, r * 40
       from generate_series(1, ?) as i,
            generate_series(?::timestamptz, ?::timestamptz, interval '1 day') as d,
            lateral (select 20 + (i * 7 + extract(day from d)::int) % 500 as r) as x`,
    [
      ORGS,
      APPS,
      new Date(today - (DAYS - 1) * DAY_MS).toISOString(),
      new Date(today).toISOString(),
    ],
  );
  // The organization rows are the sums of the app rows (as the gateway and the rollups write them).
  await conn.execute(
    `insert into usage_org_day (bucket, organization_id, product_id, environment_id,
       requests, responses, errors, units, response_time_min, response_time_max, response_time_sum)
     select bucket, organization_id, product_id, environment_id, sum(requests), sum(responses),
            sum(errors), sum(units), min(response_time_min), max(response_time_max),
            sum(response_time_sum)
       from usage_day group by bucket, organization_id, product_id, environment_id`,
  );
  await conn.execute('analyze');
}

interface Timing {
  name: string;
  median: number;
  p95: number;
  detail: string;
}

async function time(name: string, runs: number, once: () => Promise<string>): Promise<Timing> {
  await once(); // warm-up
  const samples: number[] = [];
  let detail = '';
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    detail = await once();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    name,
    median: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    detail,
  };
}

async function main(): Promise<void> {
  const database = await openBenchDatabase();
  const orm = await initOrm({ clientUrl: database.url });
  const db = new pg.Client({ connectionString: database.url });
  try {
    await migrate(orm);
    const app = await createApp({
      orm,
      env: parseEnv({
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        WEB_DIST: '/nonexistent',
        RATE_LIMIT_PER_SESSION: '1000000000',
        RATE_LIMIT_PER_ADDRESS: '1000000000',
      }),
    });
    try {
      const staff = await signUpAndSignIn(app.url, orm, {
        email: 'bench-staff@example.com',
        name: 'Bench Staff',
        password: 'bench-password-1',
      });
      await orm.em
        .fork()
        .nativeUpdate(User, { id: staff.id }, { platformRole: PlatformRole.STAFF });
      const seeding = performance.now();
      await seed(orm, staff.id);
      console.log(
        `Seeded ${APPS} apps in ${ORGS} organizations with ${APPS * DAYS} day rows in ${Math.round(
          (performance.now() - seeding) / 1000,
        )} s.`,
      );
      await db.connect();

      const graphql = async (query: string): Promise<string> => {
        const response = await fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'apollo-require-preflight': 'true',
            cookie: staff.cookie,
          },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as {
          data?: Record<string, { totalCount?: number; nodes?: unknown[]; apps?: unknown[] }>;
          errors?: unknown[];
        };
        if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
        const [answer] = Object.values(body.data);
        const rows = answer?.nodes?.length ?? answer?.apps?.length ?? 0;
        return answer?.totalCount !== undefined
          ? `${rows} rows, total ${answer.totalCount}`
          : `${rows} rows`;
      };
      const USAGE = 'usage { requests percentOfCap errorRateLast30Days suggestUpgrade }';
      const month = monthStartOf(new Date());
      const timings: Timing[] = [
        await time('baseline: grouped scan of the month (SQL)', RUNS, async () => {
          const result = await db.query(
            `select app_id, sum(requests) as requests, sum(errors) as errors, sum(responses) as responses
               from usage_day where bucket >= $1 group by app_id`,
            [month],
          );
          return `${result.rowCount} apps`;
        }),
        await time('staffApps page (50), no usage', RUNS, () =>
          graphql(`
            {
              staffApps(first: 50) {
                totalCount
                nodes {
                  id
                  name
                }
              }
            }
          `),
        ),
        await time('staffApps page (50) with usage columns', RUNS, () =>
          graphql(`{ staffApps(first: 50) { totalCount nodes { id name ${USAGE} } } }`),
        ),
        await time('staffApps errorRateOver: 10', RUNS, () =>
          graphql(
            `{ staffApps(first: 50, filter: { errorRateOver: 10 }) { totalCount nodes { id ${USAGE} } } }`,
          ),
        ),
        await time('staffApps usageOverPercentOfCap: 80', RUNS, () =>
          graphql(
            `{ staffApps(first: 50, filter: { usageOverPercentOfCap: 80 }) { totalCount nodes { id ${USAGE} } } }`,
          ),
        ),
        await time('staffApps sorted by PERCENT_OF_CAP', RUNS, () =>
          graphql(
            `{ staffApps(first: 50, sort: PERCENT_OF_CAP) { totalCount nodes { id ${USAGE} } } }`,
          ),
        ),
        await time('staffApps one organization, errorRateOver: 10', RUNS, () =>
          graphql(
            `{ staffApps(first: 50, filter: { organizationId: "org_bench_7", errorRateOver: 10 }) { totalCount nodes { id ${USAGE} } } }`,
          ),
        ),
        await time('staffHighUsageApps top 20 by % of cap', RUNS, () =>
          graphql(
            `{ staffHighUsageApps(by: PERCENT_OF_CAP, top: 20) { upgradeSuggestedCount apps { id ${USAGE} } } }`,
          ),
        ),
        await time('staffOrganizations (50) sorted by REQUESTS_THIS_MONTH', RUNS, () =>
          graphql(
            `{ staffOrganizations(first: 50, sort: REQUESTS_THIS_MONTH) { totalCount nodes { id ${USAGE} } } }`,
          ),
        ),
        await time('export apps.csv, usageOverPercentOfCap: 80', Math.min(RUNS, 3), async () => {
          const criteria = encodeURIComponent(JSON.stringify({ usageOverPercentOfCap: 80 }));
          const response = await fetch(
            `${app.url}/api/staff/exports/apps.csv?criteria=${criteria}`,
            {
              headers: { cookie: staff.cookie },
            },
          );
          const text = await response.text();
          return `${text.trim().split('\n').length - 1} rows`;
        }),
      ];
      const baseline = timings[0]!.median;
      console.log(
        `\nStaff inventory over ${APPS} apps (${APPS * DAYS} day rows); ms, ${RUNS} runs each\n`,
      );
      console.table(
        timings.map((t) => ({
          query: t.name,
          'median ms': t.median,
          'p95 ms': t.p95,
          '× baseline': Math.round((t.median / baseline) * 10) / 10,
          answer: t.detail,
        })),
      );
    } finally {
      await app.close();
    }
  } finally {
    await db.end().catch(() => undefined);
    await orm.close(true);
    await database.drop();
  }
}

await main();
