import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { LATENCY_BUCKETS, bucketRange } from '../modules/usage/usage.histogram.js';
import { maintainUsagePartitions } from '../modules/usage/usage.partitions.js';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  monthStartOf,
  nextMonthOf,
} from '../modules/usage/usage.periods.js';
import { pgArray } from '../modules/usage/usage.read.js';
import {
  markForRollup,
  rollUpUsage,
  summarizeOrganizations,
} from '../modules/usage/usage.rollup.js';

/**
 * 120 days of usage for the demo apps of Analytical Engines on Public Posts, written straight
 * into the usage tables: minutes for the last 3 days, hours back to 90 days, days before that;
 * the rollups then make the hours and days of what is written finer. Traffic follows a daily
 * rhythm (a peak in the European afternoon), is lower at weekends, grows over the months, has
 * an error burst 9 days ago and a slow week (latency about 3×) 3 weeks ago. This month the
 * organization's requests head for the Basic plan's cap before the month ends (Trend Radar),
 * and its units are past 80 % of their cap (Sentiment Notebook: the one app the staff
 * high-usage report suggests an upgrade for). Northwind Research's Ops Dashboard (seed/staff.ts)
 * calls too, a little, with about 7 % errors (for the staff error-rate criterion), well under
 * its Free plan's caps.
 */

export interface DemoApp {
  appId: string;
  organizationId: string;
  productId: string;
  credentialIds: string[];
  environmentId: string;
}

export interface Row {
  bucket: number;
  app: DemoApp;
  credentialId: string;
  requests: number;
  errors: number;
  units: number;
  medianMs: number;
}

const WEEKEND = 0.45;

/** Share of a day's traffic in each hour (UTC): low at night, highest at 14:00. */
const HOURLY = Array.from(
  { length: 24 },
  (_, h) => 0.35 + 0.65 * Math.max(0, Math.cos(((h - 14) / 12) * Math.PI)) ** 2,
);
const HOURLY_SUM = HOURLY.reduce((a, b) => a + b, 0);

function dayFactor(at: number): number {
  const day = new Date(at).getUTCDay();
  return day === 0 || day === 6 ? WEEKEND : 1;
}

/** A log-normal spread of `count` response times around `medianMs` over the histogram buckets. */
function histogram(
  count: number,
  medianMs: number,
): { buckets: number[]; min: number; max: number; sum: number } {
  const sigma = 0.55;
  const cdf = (ms: number) =>
    ms <= 0 ? 0 : 0.5 * (1 + erf(Math.log(ms / medianMs) / (sigma * Math.SQRT2)));
  const buckets = new Array<number>(LATENCY_BUCKETS).fill(0);
  let left = count;
  for (let i = 0; i < LATENCY_BUCKETS && left > 0; i++) {
    const [low, high] = bucketRange(i);
    const share = (high === Infinity ? 1 : cdf(high)) - cdf(low);
    const n = i === LATENCY_BUCKETS - 1 ? left : Math.min(left, Math.round(share * count));
    buckets[i] = n;
    left -= n;
  }
  if (left > 0) buckets[latencyIndexOf(medianMs)]! += left;
  const mean = medianMs * Math.exp((sigma * sigma) / 2);
  return { buckets, min: medianMs / 4, max: medianMs * 6, sum: mean * count };
}

function latencyIndexOf(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS; i++) if (ms < bucketRange(i)[1]) return i;
  return LATENCY_BUCKETS - 1;
}

function erf(x: number): number {
  // Abramowitz and Stegun 7.1.26.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496735) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

async function demoApps(
  em: EntityManager,
): Promise<{ trendRadar: DemoApp; notebook: DemoApp; opsDashboard: DemoApp | null } | null> {
  const rows = await em.execute<
    {
      id: string;
      name: string;
      organization_id: string;
      product_id: string;
      credentials: string[] | null;
      environment_id: string | null;
    }[]
  >(
    `select a.id, a.name, a.organization_id, g.product_id,
       (select array_agg(c.id order by c.created_at) from credential c
          where c.app_id = a.id and c.revoked_at is null) as credentials,
       (select e.id from dev_environment e where e.app_id = a.id limit 1) as environment_id
     from app a join product_grant g on g.app_id = a.id and g.status = 'APPROVED'
     where a.name in ('Trend Radar', 'Sentiment Notebook', 'Ops Dashboard')`,
  );
  const find = (name: string): DemoApp | null => {
    const row = rows.find((r) => r.name === name);
    return row
      ? {
          appId: row.id,
          organizationId: row.organization_id,
          productId: row.product_id,
          credentialIds: row.credentials ?? [],
          environmentId: row.environment_id ?? '',
        }
      : null;
  };
  const trendRadar = find('Trend Radar');
  const notebook = find('Sentiment Notebook');
  return trendRadar && notebook
    ? { trendRadar, notebook, opsDashboard: find('Ops Dashboard') }
    : null;
}

/** At most this share of the request cap is used so far by the demo data. */
export const DEMO_CAP_SHARE_SO_FAR = 0.9;

/** The units the organization of the demo apps has used this month: 90 % of the Basic cap. */
export const DEMO_MONTH_UNITS = 900_000;

/** Writes the demo usage (once: nothing when usage exists). */
export async function seedUsage(orm: MikroORM, now = new Date()): Promise<void> {
  const em = orm.em.fork();
  const apps = await demoApps(em);
  if (!apps) return;
  const [{ count } = { count: '0' }] = await em.execute<{ count: string }[]>(
    'select count(*)::text as count from usage_day where organization_id = ?',
    [apps.trendRadar.organizationId],
  );
  if (Number(count) > 0) return;
  await maintainUsagePartitions(em, now, { minuteDays: 3, hourDays: 90, dayDays: null });

  const t = now.getTime();
  const today = t - (t % DAY_MS);
  const month = monthStartOf(now).getTime();
  const monthEnd = nextMonthOf(new Date(month)).getTime();
  // Requests: reach the Basic cap (100,000) a quarter of the way through the rest of the month,
  // but leave room so far (the demo apps can still be called): in the last days of a month the
  // cap date moves past the month's end.
  const elapsedDays = Math.max((t - month) / DAY_MS, 0.25);
  const reachDays = Math.max(
    elapsedDays + ((monthEnd - t) / DAY_MS) * 0.25,
    (elapsedDays * 1.12) / DEMO_CAP_SHARE_SO_FAR,
  );
  // (12 % over, as nights and weekends weigh on the month so far more than on the average.)
  const requestsPerDay = (1.12 * 100_000) / reachDays / ((5 + 2 * WEEKEND) / 7);
  // Units: Sentiment Notebook's per request, so that its history looks like this month, whose
  // units come to about 90 % of the Basic unit cap (1,000,000) so far (see settleThisMonth).
  const requestsSoFar = (100_000 * elapsedDays) / reachDays;
  const notebookUnitsPerRequest = Math.max(
    0.5,
    (DEMO_MONTH_UNITS - 0.15 * requestsSoFar) / (0.25 * requestsSoFar),
  );

  const rows: Row[] = [];
  // Whole counts that add up to the exact ones: each row carries its remainder to the next row
  // of the same app, credential and count (so a small app's minutes are not all rounded to 0).
  const remainders = new Map<string, number>();
  const whole = (key: string, exact: number): number => {
    const total = (remainders.get(key) ?? 0) + exact;
    const n = Math.floor(total);
    remainders.set(key, total - n);
    return n;
  };
  const from = today - 119 * DAY_MS;
  const minuteFrom = t - 3 * DAY_MS;
  const hourFrom = today - 89 * DAY_MS;
  const add = (bucket: number, size: number) => {
    const day = bucket - (bucket % DAY_MS);
    const age = (today - day) / DAY_MS;
    // Traffic grows: 55 % of today's level 120 days ago, all of it over the last five weeks.
    const growth = age <= 35 ? 1 : Math.max(0.55, 1 - (age - 35) * 0.0055);
    const hourShare =
      size === DAY_MS
        ? 1
        : (HOURLY[new Date(bucket).getUTCHours()]! / HOURLY_SUM) * (size / HOUR_MS);
    const base = requestsPerDay * dayFactor(day) * growth * hourShare;
    const slow = age >= 19 && age <= 25 ? 3.1 : 1;
    const burst =
      age === 9 && new Date(bucket).getUTCHours() >= 13 && new Date(bucket).getUTCHours() < 16;
    // [app, share of the day's requests, error rate outside the burst]
    const shares: [DemoApp, number, number][] = [
      [apps.trendRadar, 0.75, 0.012],
      [apps.notebook, 0.25, 0.012],
    ];
    // Ops Dashboard: about 150 requests a weekday (a share of the demo's rate, so it follows
    // the same rhythm), far below the Free plan's 10,000 a month.
    if (apps.opsDashboard) shares.push([apps.opsDashboard, 150 / requestsPerDay, 0.07]);
    for (const [app, share, errorShare] of shares) {
      const credentials = app.credentialIds.length ? app.credentialIds : [''];
      credentials.forEach((credentialId, i) => {
        const credentialShare =
          credentials.length === 1 ? 1 : i === 0 ? 0.8 : 0.2 / (credentials.length - 1);
        const key = `${app.appId} ${credentialId}`;
        const requests = whole(`${key} requests`, base * share * credentialShare);
        if (requests <= 0) return;
        const errorRate = burst ? 0.28 : errorShare;
        const unitsPerRequest = app === apps.notebook ? notebookUnitsPerRequest : 0.2;
        rows.push({
          bucket,
          app,
          credentialId,
          requests,
          errors: whole(`${key} errors`, requests * errorRate),
          units: whole(`${key} units`, requests * unitsPerRequest),
          medianMs: (app === apps.notebook ? 120 : 45) * slow * (burst ? 2 : 1),
        });
      });
    }
  };
  for (let day = from; day < hourFrom; day += DAY_MS) add(day, DAY_MS);
  for (let hour = hourFrom; hour < minuteFrom - (minuteFrom % HOUR_MS); hour += HOUR_MS)
    add(hour, HOUR_MS);
  const firstMinute = minuteFrom - (minuteFrom % HOUR_MS);
  for (let minute = firstMinute; minute <= t - (t % MINUTE_MS); minute += MINUTE_MS)
    add(minute, MINUTE_MS);
  settleThisMonth(rows, apps, month, t - (t % MINUTE_MS));

  const tableOf = (bucket: number) =>
    bucket < hourFrom ? 'usage_day' : bucket < firstMinute ? 'usage_hour' : 'usage_minute';
  for (const table of ['usage_day', 'usage_hour', 'usage_minute'] as const) {
    const mine = rows.filter((row) => tableOf(row.bucket) === table);
    for (let i = 0; i < mine.length; i += 5_000) {
      await insertRows(em, table, mine.slice(i, i + 5_000));
    }
  }
  // The organizations' rows of what was written straight into each table.
  await summarizeOrganizations(em, 'day', new Date(from), new Date(hourFrom));
  await summarizeOrganizations(em, 'hour', new Date(hourFrom), new Date(firstMinute));
  await summarizeOrganizations(em, 'minute', new Date(firstMinute), new Date(t + MINUTE_MS));
  // Hours of the minutes, and days of the hours, are rolled up from them.
  await markForRollup(em, new Date(firstMinute), new Date(t + HOUR_MS));
  await em.execute(
    `insert into usage_dirty (level, bucket, version)
     select 'day', d, pg_current_xact_id()::text::bigint
     from generate_series(?::timestamptz, ?::timestamptz, interval '1 day') d
     on conflict (level, bucket) do update set version = excluded.version`,
    [new Date(hourFrom).toISOString(), new Date(today).toISOString()],
  );
  await rollUpUsage(em);
}

/**
 * Makes this month's rows tell the demo's story however little of the month has passed: in its
 * first hours the rows written so far are few, and a rate meant for a quarter of a day or more
 * would leave them far from it. Every demo app has called this month (one request now, if the
 * rhythm gave it none yet), and Sentiment Notebook's units bring the organization's to
 * DEMO_MONTH_UNITS exactly, shared over its rows by their requests.
 */
export function settleThisMonth(
  rows: Row[],
  apps: { trendRadar: DemoApp; notebook: DemoApp; opsDashboard: DemoApp | null },
  month: number,
  nowMinute: number,
): void {
  const thisMonth = (row: Row) => row.bucket >= month;
  for (const app of [apps.trendRadar, apps.notebook, apps.opsDashboard]) {
    if (!app || rows.some((row) => row.app === app && thisMonth(row))) continue;
    rows.push({
      bucket: nowMinute,
      app,
      credentialId: app.credentialIds[0] ?? '',
      requests: 1,
      errors: 0,
      units: 0,
      medianMs: app === apps.notebook ? 120 : 45,
    });
  }
  const organization = apps.notebook.organizationId;
  const notebook = rows.filter((row) => row.app === apps.notebook && thisMonth(row));
  const otherUnits = rows
    .filter((row) => row.app !== apps.notebook && row.app.organizationId === organization)
    .filter(thisMonth)
    .reduce((sum, row) => sum + row.units, 0);
  const requests = notebook.reduce((sum, row) => sum + row.requests, 0);
  const units = Math.max(0, DEMO_MONTH_UNITS - otherUnits);
  let requestsSoFar = 0;
  let unitsSoFar = 0;
  for (const row of notebook) {
    requestsSoFar += row.requests;
    const upTo = Math.floor((units * requestsSoFar) / requests);
    row.units = upTo - unitsSoFar;
    unitsSoFar = upTo;
  }
}

async function insertRows(em: EntityManager, table: string, rows: Row[]): Promise<void> {
  const histograms = rows.map((row) => histogram(Math.max(0, row.requests), row.medianMs));
  await em.execute(
    `insert into ${table} (bucket, organization_id, app_id, product_id, credential_id,
       environment_id, requests, responses, errors, units, response_time_min, response_time_max,
       response_time_sum, latency_histogram)
     select b, o, a, p, c, e, r, r, er, u, mn, mx, sm, h::bigint[]
     from unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
       ?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[], ?::float8[], ?::text[])
       as v(b, o, a, p, c, e, r, er, u, mn, mx, sm, h)`,
    [
      pgArray(rows.map((row) => new Date(row.bucket))),
      pgArray(rows.map((row) => row.app.organizationId)),
      pgArray(rows.map((row) => row.app.appId)),
      pgArray(rows.map((row) => row.app.productId)),
      pgArray(rows.map((row) => row.credentialId)),
      pgArray(rows.map(() => '')),
      pgArray(rows.map((row) => row.requests)),
      pgArray(rows.map((row) => row.errors)),
      pgArray(rows.map((row) => row.units)),
      pgArray(histograms.map((h) => h.min)),
      pgArray(histograms.map((h) => h.max)),
      pgArray(histograms.map((h) => h.sum)),
      pgArray(histograms.map((h) => `{${h.buckets.join(',')}}`)),
    ],
  );
}
