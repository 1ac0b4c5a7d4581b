import type { EntityManager } from '@mikro-orm/postgresql';
import { monthLabel, monthStartOf, nextMonthOf, usageWindow } from '../usage/usage.periods.js';
import {
  knexParams,
  usageRowsSql,
  type Placeholder,
  type UsageColumn,
  type UsageFilter,
} from '../usage/usage.read.js';
import { UsageGranularity, UsageMetric, UsagePeriod } from '../usage/usage.types.js';

/*
 * Usage in the staff inventory, read from the rollup tables (day rows, exact through the dirty
 * hours and minutes: usage.read.ts):
 *
 * - this month's requests, units and errors (UTC), as App.usageThisMonth counts them;
 * - the error rate over the last 30 days (today and the 29 days before it, UTC, as the usage
 *   period LAST_30_DAYS): errors / responses, 0 without responses. A rolling window, so that a
 *   criterion stays meaningful on the first days of a month;
 * - the share of a plan cap used this month: for each product used, the use against the monthly
 *   request and unit caps of the organization's plan for that product (or the lowest plan when
 *   it has none, as the gateway enforces), the highest of them. For an app, its own use; for an
 *   organization, the whole organization's use (what the gateway counts against the cap).
 *
 * `usageSummarySql` is one `select` for every app (or organization) at once, grouped: the
 * inventory joins it when a criterion or the sort needs usage; the columns of a page are read
 * for the page's ids only (`usageOfApps`, `usageOfOrganizations`).
 */

/**
 * The columns the summary reads (not the histograms); per organization without `app_id`, so
 * that an unnarrowed read comes from the organization tables.
 */
const SUMMED: Record<UsageLevel, readonly UsageColumn[]> = {
  app: ['organization_id', 'app_id', 'product_id', 'requests', 'responses', 'errors', 'units'],
  organization: ['organization_id', 'product_id', 'requests', 'responses', 'errors', 'units'],
};

/** An app at or over this share of a plan cap (%) is worth an upgrade of the plan. */
export const UPGRADE_THRESHOLD_PERCENT = 80;

export type UsageLevel = 'app' | 'organization';

/** Which windows the summary needs: the month always; the last 30 days for error rates. */
export interface UsageWindows {
  month: Date;
  monthEnd: Date;
  last30From: Date;
  withLast30Days: boolean;
}

export function usageWindows(now: Date, withLast30Days: boolean): UsageWindows {
  const month = monthStartOf(now);
  return {
    month,
    monthEnd: nextMonthOf(month),
    last30From: usageWindow(UsagePeriod.LAST_30_DAYS, null, now).from,
    withLast30Days,
  };
}

/**
 * A `select` of one row per app (or organization) with usage in the windows: `key`, `requests`,
 * `units`, `errors`, `responses` (this month), `errors_30d`, `responses_30d` (last 30 days, when
 * asked), `percent_of_cap` (null when nothing it used has a cap) and, for that highest share,
 * `cap_product_id`, `cap_plan_id`, `cap_metric`, `cap_used`, `cap`.
 */
export function usageSummarySql(
  level: UsageLevel,
  windows: UsageWindows,
  filter: UsageFilter,
  p: Placeholder,
): string {
  const from = windows.withLast30Days
    ? new Date(Math.min(windows.month.getTime(), windows.last30From.getTime()))
    : windows.month;
  // Placeholders are taken in the order they appear in the text (p collects their values).
  const month = () => `u.bucket >= ${p(windows.month)}::timestamptz`;
  const last30 = () =>
    windows.withLast30Days ? `u.bucket >= ${p(windows.last30From)}::timestamptz` : 'false';
  const key = level === 'app' ? 'u.app_id' : 'u.organization_id';
  const first = (column: string) =>
    `(array_agg(${column} order by x.share desc nulls last, x.product_id))[1]`;
  return `select x.key,
      sum(x.requests)::float8 as requests, sum(x.units)::float8 as units,
      sum(x.errors)::float8 as errors, sum(x.responses)::float8 as responses,
      sum(x.errors_30d)::float8 as errors_30d, sum(x.responses_30d)::float8 as responses_30d,
      max(x.share) as percent_of_cap,
      ${first('x.product_id')} as cap_product_id, ${first('x.plan_id')} as cap_plan_id,
      ${first('x.metric')} as cap_metric, ${first('x.cap_used')} as cap_used, ${first('x.cap')} as cap
    from (
      select pp.*, pl.id as plan_id, greatest(r.requests, r.units) * 100 as share,
        case when b.by_requests then '${UsageMetric.REQUESTS}' else '${UsageMetric.UNITS}' end as metric,
        case when b.by_requests then pp.requests else pp.units end as cap_used,
        (case when b.by_requests then pl.monthly_request_cap else pl.monthly_unit_cap end)::float8 as cap
      from (
        select ${key} as key, u.organization_id, u.product_id,
          -- (float8 sums: exact for whole counts below 2^53, and much cheaper than numeric)
          coalesce(sum(u.requests::float8) filter (where ${month()}), 0) as requests,
          coalesce(sum(u.units::float8) filter (where ${month()}), 0) as units,
          coalesce(sum(u.errors::float8) filter (where ${month()}), 0) as errors,
          coalesce(sum(u.responses::float8) filter (where ${month()}), 0) as responses,
          coalesce(sum(u.errors::float8) filter (where ${last30()}), 0) as errors_30d,
          coalesce(sum(u.responses::float8) filter (where ${last30()}), 0) as responses_30d
        from (${usageRowsSql(UsageGranularity.DAY, from, windows.monthEnd, filter, p, {
          only: SUMMED[level],
        })}) u
        group by ${key}, u.organization_id, u.product_id
      ) pp
      left join plan_subscription s
        on s.organization_id = pp.organization_id and s.product_id = pp.product_id
      left join plan pl
        on pl.id = coalesce(s.plan_id, (select lp.id from plan lp order by lp.rank limit 1))
      -- The shares of the request and unit caps (null when unlimited), and which is larger.
      cross join lateral (
        select pp.requests / nullif(pl.monthly_request_cap, 0)::float8 as requests,
               pp.units / nullif(pl.monthly_unit_cap, 0)::float8 as units
      ) r
      cross join lateral (
        select coalesce(r.requests, -1) >= coalesce(r.units, -1) as by_requests
      ) b
    ) x
    group by x.key`;
}

/** The plan cap an app or organization uses the most of this month. */
export interface CapUse {
  productId: string;
  productName: string;
  planId: string;
  planName: string;
  metric: UsageMetric;
  used: number;
  cap: number;
  /** used / cap × 100. */
  percentage: number;
}

/** What the inventory shows and exports of an app's or organization's usage. */
export interface InventoryUsage {
  /** The billing month, "YYYY-MM" (UTC). */
  month: string;
  requests: number;
  units: number;
  errors: number;
  responses: number;
  /** errors / responses this month; 0 without responses. */
  errorRate: number;
  /** errors / responses over the last 30 days; 0 without responses. */
  errorRateLast30Days: number;
  /** The highest share of a plan cap used this month (%); null when nothing used has a cap. */
  percentOfCap: number | null;
  highestCap: CapUse | null;
  /** percentOfCap at or over UPGRADE_THRESHOLD_PERCENT. */
  suggestUpgrade: boolean;
}

interface SummaryRow {
  key: string;
  requests: number | string;
  units: number | string;
  errors: number | string;
  responses: number | string;
  errors_30d: number | string;
  responses_30d: number | string;
  percent_of_cap: number | string | null;
  cap_product_id: string | null;
  cap_plan_id: string | null;
  cap_metric: string | null;
  cap_used: number | string | null;
  cap: number | string | null;
  product_name: string | null;
  plan_name: string | null;
}

export function emptyUsage(now: Date = new Date()): InventoryUsage {
  return {
    month: monthLabel(monthStartOf(now)),
    requests: 0,
    units: 0,
    errors: 0,
    responses: 0,
    errorRate: 0,
    errorRateLast30Days: 0,
    percentOfCap: null,
    highestCap: null,
    suggestUpgrade: false,
  };
}

function usageFrom(row: SummaryRow, now: Date): InventoryUsage {
  const responses = Number(row.responses);
  const responses30 = Number(row.responses_30d);
  const percent = row.percent_of_cap === null ? null : Number(row.percent_of_cap);
  return {
    month: monthLabel(monthStartOf(now)),
    requests: Number(row.requests),
    units: Number(row.units),
    errors: Number(row.errors),
    responses,
    errorRate: responses > 0 ? Number(row.errors) / responses : 0,
    errorRateLast30Days: responses30 > 0 ? Number(row.errors_30d) / responses30 : 0,
    percentOfCap: percent,
    highestCap:
      percent !== null && row.cap_product_id && row.cap_plan_id
        ? {
            productId: row.cap_product_id,
            productName: row.product_name ?? 'Unknown product',
            planId: row.cap_plan_id,
            planName: row.plan_name ?? 'Unknown plan',
            metric: row.cap_metric === UsageMetric.UNITS ? UsageMetric.UNITS : UsageMetric.REQUESTS,
            used: Number(row.cap_used),
            cap: Number(row.cap),
            percentage: percent,
          }
        : null,
    suggestUpgrade: percent !== null && percent >= UPGRADE_THRESHOLD_PERCENT,
  };
}

async function usageOf(
  em: EntityManager,
  level: UsageLevel,
  ids: readonly string[],
  now: Date,
): Promise<Map<string, InventoryUsage>> {
  const byKey = new Map<string, InventoryUsage>();
  if (!ids.length) return byKey;
  const { params, p } = knexParams();
  const filter: UsageFilter = level === 'app' ? { appIds: ids } : { organizationIds: ids };
  const rows = await em.execute<SummaryRow[]>(
    `select s.*, pr.name as product_name, pl.name as plan_name
       from (${usageSummarySql(level, usageWindows(now, true), filter, p)}) s
       left join api_product pr on pr.id = s.cap_product_id
       left join plan pl on pl.id = s.cap_plan_id`,
    params,
  );
  for (const row of rows) byKey.set(row.key, usageFrom(row, now));
  return byKey;
}

/** The usage of each app (this month, last 30 days' errors, cap): one SQL statement. */
export async function usageOfApps(
  em: EntityManager,
  appIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, InventoryUsage>> {
  return usageOf(em, 'app', appIds, now);
}

/** The usage of each organization, all its apps together: one SQL statement. */
export async function usageOfOrganizations(
  em: EntityManager,
  organizationIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, InventoryUsage>> {
  return usageOf(em, 'organization', organizationIds, now);
}
