// Export benchmark: streams the staff app export (CSV and JSON) of 5,000 and of 50,000 apps and
// prints, beside each export's size, the peak memory (RSS and heap, sampled every 20 ms) above
// the baseline measured just before it. Flat memory means the 50,000-app peak stays close to
// the 5,000-app one while the export is ten times the size. Not a test: it prints, it asserts
// nothing. Stops by itself (in well under a minute).
//
// The heap is capped at 128 MB (`--max-old-space-size`, in package.json): without a cap V8
// lets garbage pile up for as long as it has room, and the peak then follows the export's size
// although nothing is kept; with it the peak shows what the export really holds at once, and an
// export that held its rows would fail here instead of finishing.
//
//   cd packages/server && pnpm bench:export [--apps 50000]
//
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; a scratch database is created and dropped),
// else an embedded PostgreSQL in a temporary folder; migrated as main.ts does. The server runs
// in this process (createApp, production mode) and the client reads the stream and discards
// it, so the sampled memory is the server's (plus a constant client).
import { parseArgs } from 'node:util';
import { openBenchDatabase } from '../shared/database.js';
import { signUpAndSignIn } from '../shared/accounts.js';
import { createApp } from '../../packages/server/src/app.js';
import { PlatformRole } from '../../packages/server/src/auth/roles.js';
import { initOrm } from '../../packages/server/src/database.js';
import { migrate } from '../../packages/server/src/db/migrate.js';
import { parseEnv } from '../../packages/server/src/env.js';
import { User } from '../../packages/server/src/modules/accounts/accounts.entity.js';

const { values: flags } = parseArgs({ options: { apps: { type: 'string', default: '50000' } } });
const TOTAL = Number(flags.apps);
const SMALL = Math.round(TOTAL / 10);

interface Sample {
  rows: number;
  format: string;
  bytes: number;
  ms: number;
  baseRssMb: number;
  peakRssMb: number;
  baseHeapMb: number;
  peakHeapMb: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

async function seed(orm: Awaited<ReturnType<typeof initOrm>>, ownerId: string): Promise<string> {
  const conn = orm.em.fork().getConnection();
  await conn.execute(
    `insert into organization (id, created_at, name, slug, kind, updated_at)
     values ('org_bench_small', now(), 'Small Org', 'bench-small', 'TEAM', now()),
            ('org_bench_large', now(), 'Large Org', 'bench-large', 'TEAM', now())`,
  );
  await conn.execute(
    `insert into app (id, created_at, organization_id, owner_id, name, callback_urls, attributes, updated_at, description)
     select 'app_bench_' || i, now() - (i || ' seconds')::interval,
            case when i <= ? then 'org_bench_small' else 'org_bench_large' end,
            ?, 'Bench app ' || i, '{}', '[]', now(),
            'An app of the export benchmark, with a description of ordinary length.'
       from generate_series(1, ?) as i`,
    [SMALL, ownerId, TOTAL],
  );
  await conn.execute(`analyze app`);
  return 'org_bench_small';
}

async function measure(
  url: string,
  cookie: string,
  path: string,
  rows: number,
  format: string,
): Promise<Sample> {
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 20);
  const started = performance.now();
  const response = await fetch(`${url}${path}`, { headers: { cookie } });
  if (!response.ok || !response.body) throw new Error(`export failed: ${response.status}`);
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  const ms = performance.now() - started;
  clearInterval(timer);
  return {
    rows,
    format,
    bytes,
    ms: Math.round(ms),
    baseRssMb: mb(base.rss),
    peakRssMb: mb(peakRss),
    baseHeapMb: mb(base.heapUsed),
    peakHeapMb: mb(peakHeap),
  };
}

async function main(): Promise<void> {
  const database = await openBenchDatabase();
  const orm = await initOrm({ clientUrl: database.url });
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
      const small = await seed(orm, staff.id);
      const criteria = encodeURIComponent(JSON.stringify({ organizationId: small }));
      const samples: Sample[] = [];
      for (const format of ['csv', 'json']) {
        samples.push(
          await measure(
            app.url,
            staff.cookie,
            `/api/staff/exports/apps.${format}?criteria=${criteria}`,
            SMALL,
            format,
          ),
        );
        samples.push(
          await measure(app.url, staff.cookie, `/api/staff/exports/apps.${format}`, TOTAL, format),
        );
      }
      console.log(
        '\nStaff app export: memory while streaming (MB; peak above the baseline before it)\n',
      );
      console.table(
        samples.map((s) => ({
          format: s.format,
          apps: s.rows,
          'export MB': mb(s.bytes),
          ms: s.ms,
          'RSS base': s.baseRssMb,
          'RSS peak': s.peakRssMb,
          'RSS +': Math.round((s.peakRssMb - s.baseRssMb) * 10) / 10,
          'heap peak': s.peakHeapMb,
          'heap +': Math.round((s.peakHeapMb - s.baseHeapMb) * 10) / 10,
        })),
      );
      for (const format of ['csv', 'json']) {
        const [a, b] = samples.filter((s) => s.format === format);
        if (!a || !b) continue;
        const growth = (b.peakRssMb - b.baseRssMb) / Math.max(a.peakRssMb - a.baseRssMb, 1);
        console.log(
          `${format}: ${b.rows / a.rows}× the apps, ${(b.bytes / a.bytes).toFixed(1)}× the bytes, ${growth.toFixed(1)}× the RSS growth`,
        );
      }
    } finally {
      await app.close();
    }
  } finally {
    await orm.close(true);
    await database.drop();
  }
}

await main();
