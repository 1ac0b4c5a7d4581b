import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { badInput } from '../../errors.js';
import { parseInput } from '../../graphql/validation.js';
import { monthLabel, monthStartOf } from '../usage/usage.periods.js';
import { requireStaff } from './staff.access.js';
import { AppCriteriaSchema, type AppCriteria } from './staff.criteria.js';
import { findApps, type AppSort, type InventoryApp } from './staff.inventory.js';
import { UPGRADE_THRESHOLD_PERCENT } from './staff.usage.js';

/*
 * Staff reports. The app inventory, inactive apps and high-usage apps are the inventory's
 * queries with counts (staff.inventory.ts, staff.usage.ts); the pending queue has its own.
 */

export interface StatusCount {
  status: string;
  count: number;
}

export interface ProductCount {
  productId: string;
  productName: string;
  pending: number;
  approved: number;
  rejected: number;
  revoked: number;
}

export interface InventorySummary {
  apps: number;
  organizations: number;
  verifiedOrganizations: number;
  appsByStatus: StatusCount[];
  grantsByProduct: ProductCount[];
  /** Apps with no verified request in 30 days (or since created, if younger). */
  inactiveApps30d: number;
}

export async function inventorySummary(ctx: Context): Promise<InventorySummary> {
  requireStaff(ctx);
  const em = ctx.em;
  const [byStatus, orgs, byProduct, inactive] = await Promise.all([
    em.execute<{ status: string; n: number }[]>(
      `select status::text as status, count(*)::int as n from app where deleted_at is null group by status order by status`,
    ),
    em.execute<{ n: number; verified: number }[]>(
      `select count(*)::int as n, count(verified_at)::int as verified from organization`,
    ),
    em.execute<
      {
        product_id: string;
        product_name: string;
        pending: number;
        approved: number;
        rejected: number;
        revoked: number;
      }[]
    >(
      `select p.id as product_id, p.name as product_name,
              count(*) filter (where g.status = 'PENDING')::int as pending,
              count(*) filter (where g.status = 'APPROVED')::int as approved,
              count(*) filter (where g.status = 'REJECTED')::int as rejected,
              count(*) filter (where g.status = 'REVOKED')::int as revoked
         from api_product p
         left join product_grant g on g.product_id = p.id
          and exists (select 1 from app a where a.id = g.app_id and a.deleted_at is null)
        group by p.id, p.name order by p.name`,
    ),
    em.execute<{ n: number }[]>(
      `select count(*)::int as n from app a where a.deleted_at is null
          and coalesce((select max(c.last_used_at) from credential c where c.app_id = a.id), a.created_at) < now() - interval '30 days'`,
    ),
  ]);
  const appsByStatus = byStatus.map((row) => ({ status: row.status, count: row.n }));
  return {
    apps: appsByStatus.reduce((sum, row) => sum + row.count, 0),
    organizations: orgs[0]?.n ?? 0,
    verifiedOrganizations: orgs[0]?.verified ?? 0,
    appsByStatus,
    grantsByProduct: byProduct.map((row) => ({
      productId: row.product_id,
      productName: row.product_name,
      pending: row.pending,
      approved: row.approved,
      rejected: row.rejected,
      revoked: row.revoked,
    })),
    inactiveApps30d: inactive[0]?.n ?? 0,
  };
}

export interface PendingRequest {
  grantId: string;
  appId: string;
  appName: string;
  organizationId: string;
  organizationName: string;
  productId: string;
  productName: string;
  requestedAt: Date;
  ageHours: number;
}

export interface PendingQueueReport {
  pendingCount: number;
  oldestRequestedAt: Date | null;
  medianAgeHours: number | null;
  /** Decisions by staff in the last `windowDays` days. */
  windowDays: number;
  decidedCount: number;
  averageHoursToDecision: number | null;
  medianHoursToDecision: number | null;
  p90HoursToDecision: number | null;
  /** The oldest pending requests first. */
  requests: PendingRequest[];
}

interface PendingRow {
  grant_id: string;
  app_id: string;
  app_name: string;
  organization_id: string;
  organization_name: string;
  product_id: string;
  product_name: string;
  requested_at: Date;
  age_hours: number;
}

const PENDING_SQL = `select g.id as grant_id, a.id as app_id, a.name as app_name,
          o.id as organization_id, o.name as organization_name,
          p.id as product_id, p.name as product_name, g.created_at as requested_at,
          extract(epoch from (now() - g.created_at)) / 3600.0 as age_hours
     from product_grant g
     join app a on a.id = g.app_id and a.deleted_at is null
     join organization o on o.id = a.organization_id
     join api_product p on p.id = g.product_id
    where g.status = 'PENDING'`;

const pendingFrom = (row: PendingRow): PendingRequest => ({
  grantId: row.grant_id,
  appId: row.app_id,
  appName: row.app_name,
  organizationId: row.organization_id,
  organizationName: row.organization_name,
  productId: row.product_id,
  productName: row.product_name,
  requestedAt: new Date(row.requested_at),
  ageHours: Math.round(Number(row.age_hours) * 10) / 10,
});

const hours = (value: number | string | null | undefined): number | null =>
  value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10;

export async function pendingQueueReport(
  ctx: Context,
  options: { windowDays: number; limit: number },
): Promise<PendingQueueReport> {
  requireStaff(ctx);
  const em = ctx.em;
  const [pending, stats, decided] = await Promise.all([
    em.execute<PendingRow[]>(`${PENDING_SQL} order by g.created_at, g.id limit ?`, [options.limit]),
    em.execute<{ n: number; oldest: Date | null; median: number | null }[]>(
      `select count(*)::int as n, min(g.created_at) as oldest,
              percentile_cont(0.5) within group (order by extract(epoch from (now() - g.created_at)) / 3600.0) as median
         from product_grant g join app a on a.id = g.app_id and a.deleted_at is null
        where g.status = 'PENDING'`,
    ),
    em.execute<{ n: number; avg: number | null; median: number | null; p90: number | null }[]>(
      `with d as (
         select extract(epoch from (g.decided_at - g.created_at)) / 3600.0 as h
           from product_grant g
          where g.decided_at >= now() - (? * interval '1 day') and g.decided_by_id is not null
            and g.status in ('APPROVED', 'REJECTED', 'REVOKED'))
       select count(*)::int as n, avg(h) as avg,
              percentile_cont(0.5) within group (order by h) as median,
              percentile_cont(0.9) within group (order by h) as p90
         from d`,
      [options.windowDays],
    ),
  ]);
  return {
    pendingCount: stats[0]?.n ?? 0,
    oldestRequestedAt: stats[0]?.oldest ? new Date(stats[0].oldest) : null,
    medianAgeHours: hours(stats[0]?.median),
    windowDays: options.windowDays,
    decidedCount: decided[0]?.n ?? 0,
    averageHoursToDecision: hours(decided[0]?.avg),
    medianHoursToDecision: hours(decided[0]?.median),
    p90HoursToDecision: hours(decided[0]?.p90),
    requests: pending.map(pendingFrom),
  };
}

/** Every pending request, oldest first, in batches (the report's CSV). */
export async function* eachPendingRequest(
  em: EntityManager,
  batchSize = 1000,
): AsyncGenerator<PendingRequest[]> {
  let cursor: { at: Date; id: string } | null = null;
  for (;;) {
    const rows: PendingRow[] = await em.execute<PendingRow[]>(
      `${PENDING_SQL} ${cursor ? 'and (g.created_at, g.id) > (?, ?)' : ''} order by g.created_at, g.id limit ?`,
      cursor ? [cursor.at, cursor.id, batchSize] : [batchSize],
    );
    if (rows.length) yield rows.map(pendingFrom);
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    cursor = { at: new Date(last.requested_at), id: last.grant_id };
  }
}

export type HighUsageBy = 'REQUESTS' | 'PERCENT_OF_CAP';

/** The most apps the high-usage report lists (its CSV: HIGH_USAGE_MAX_EXPORT). */
export const HIGH_USAGE_MAX = 100;
export const HIGH_USAGE_MAX_EXPORT = 1000;

export interface HighUsageReport {
  /** The billing month, "YYYY-MM" (UTC). */
  month: string;
  by: HighUsageBy;
  upgradeThreshold: number;
  /** Apps matching the filter at or over the threshold this month (all of them, not only the top). */
  upgradeSuggestedCount: number;
  /** The top apps with usage this month, most first. */
  apps: InventoryApp[];
}

/** How the high-usage report sorts: most requests, or the largest share of a cap, first. */
export function highUsageSort(by: HighUsageBy): AppSort {
  return { key: by === 'REQUESTS' ? 'REQUESTS_THIS_MONTH' : 'PERCENT_OF_CAP', direction: 'DESC' };
}

export function assertTop(top: number, max: number): void {
  if (!Number.isInteger(top) || top < 1 || top > max) {
    throw badInput('top', `Ask for between 1 and ${max} apps.`);
  }
}

/**
 * The high-usage report: the top `top` apps matching `filter` that used anything this month,
 * by requests or by their largest share of a plan cap, each with its usage (and the upgrade
 * suggestion at 80 % of a cap); and how many apps in all are worth an upgrade.
 */
export async function highUsageReport(
  ctx: Context,
  args: { by: HighUsageBy; top: number; filter?: unknown },
  now: Date = new Date(),
): Promise<HighUsageReport> {
  requireStaff(ctx);
  assertTop(args.top, HIGH_USAGE_MAX);
  const criteria: AppCriteria = parseInput(AppCriteriaSchema, args.filter ?? {});
  // One statement: the top apps, and (as its total) how many are at the threshold or over.
  const page = await findApps(ctx.em, criteria, {
    sort: highUsageSort(args.by),
    first: args.top,
    withUsageOnly: true,
    totalAtPercentOfCap: Math.max(criteria.usageOverPercentOfCap ?? 0, UPGRADE_THRESHOLD_PERCENT),
    now,
  });
  return {
    month: monthLabel(monthStartOf(now)),
    by: args.by,
    upgradeThreshold: UPGRADE_THRESHOLD_PERCENT,
    upgradeSuggestedCount: page.totalCount,
    apps: page.nodes,
  };
}
