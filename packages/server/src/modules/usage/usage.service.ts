import type { Context } from '../../context.js';
import { requireViewer } from '../../auth/permissions.js';
import { PlatformRole } from '../../auth/roles.js';
import { badInput, forbidden, hidingAsNotFound, notFound } from '../../errors.js';
import { prefixOf } from '../../ids.js';
import { assertOrgAction } from '../orgs/orgs.access.js';
import { productLoaders } from '../products/products.loaders.js';
import {
  DAY_MS,
  bucketMs,
  monthLabel,
  monthStartOf,
  nextMonthOf,
  usageWindow,
} from './usage.periods.js';
import { projectMonth } from './usage.projection.js';
import {
  knexParams,
  STATS_SQL,
  statsFromRow,
  usageRowsSql,
  type StatsRow,
  type UsageFilter,
} from './usage.read.js';
import { thresholdsReachedOf } from './usage.alerts.js';
import {
  ProjectionConfidence,
  UsageGranularity,
  UsageMetric,
  type Usage,
  type UsageArgs,
  type UsageCap,
  type UsageGroup,
  type UsagePoint,
  type UsageScope,
  type UsageStats,
} from './usage.types.js';

const SUBJECT_TABLES: Record<string, { table: string; what: string }> = {
  prj: { table: 'project', what: 'Project' },
  app: { table: 'app', what: 'App' },
  crd: { table: 'credential', what: 'Credential' },
  env: { table: 'dev_environment', what: 'Dev environment' },
};

function isStaff(ctx: Context): boolean {
  return ctx.viewer?.user.platformRole === PlatformRole.STAFF;
}

/**
 * Whose usage `args` asks for, checked: members of an organization (any role) and staff read
 * it; anyone else gets NOT_FOUND. Every organization, or one product across them, is staff's.
 */
export async function resolveUsageScope(
  ctx: Context,
  args: UsageArgs,
  now = new Date(),
): Promise<UsageScope> {
  requireViewer(ctx);
  const window = usageWindow(args.period, args.month, now);
  const productId = args.productId?.trim() || undefined;
  if (productId !== undefined && prefixOf(productId) !== 'prd') {
    throw badInput('productId', 'Give a product id (prd_…).');
  }
  const base = { period: args.period, ...window, ...(productId ? { productId } : {}) };
  const of = args.of?.trim() || null;
  if (of === null) {
    if (!isStaff(ctx)) throw forbidden('Only staff can read the usage of every organization.');
    return { ...base, organizationId: null };
  }
  const prefix = prefixOf(of);
  if (prefix === 'prd') {
    if (!isStaff(ctx)) {
      throw forbidden(
        'Only staff can read a product across organizations; give your organization.',
      );
    }
    return { ...base, organizationId: null, productId: of };
  }
  if (prefix === 'org') {
    await assertOrgAction(ctx, of, 'app:read');
    return { ...base, organizationId: of };
  }
  const subject = prefix ? SUBJECT_TABLES[prefix] : undefined;
  if (!subject) {
    throw badInput(
      'of',
      'Give an organization, project, app, credential, dev environment or product id.',
    );
  }
  const rows = await ctx.em
    .getConnection()
    .execute<{ organization_id: string }[]>(
      `select organization_id from ${subject.table} where id = ?`,
      [of],
    );
  const organizationId = rows[0]?.organization_id;
  if (!organizationId) throw notFound(subject.what, 'of');
  await hidingAsNotFound(subject.what, 'of', () =>
    assertOrgAction(ctx, organizationId, 'app:read'),
  );
  const narrow =
    prefix === 'prj'
      ? { projectId: of }
      : prefix === 'app'
        ? { appId: of }
        : prefix === 'crd'
          ? { credentialId: of }
          : { environmentId: of };
  return { ...base, organizationId, ...narrow };
}

export function filterOf(scope: UsageScope): UsageFilter {
  return {
    organizationId: scope.organizationId,
    ...(scope.projectId ? { projectId: scope.projectId } : {}),
    ...(scope.appId ? { appId: scope.appId } : {}),
    ...(scope.credentialId ? { credentialId: scope.credentialId } : {}),
    ...(scope.environmentId ? { environmentId: scope.environmentId } : {}),
    ...(scope.productId ? { productId: scope.productId } : {}),
  };
}

interface BucketRow extends StatsRow {
  /** Null on the totals row. */
  bucket: Date | string | null;
  total: boolean;
}

/** Totals and series of the scope: one SQL statement, the totals summed in it too. */
export async function readUsage(ctx: Context, scope: UsageScope): Promise<Usage> {
  const { params, p } = knexParams();
  const rows = usageRowsSql(scope.granularity, scope.from, scope.to, filterOf(scope), p);
  const result = await ctx.em.getConnection().execute<BucketRow[]>(
    `select u.bucket, grouping(u.bucket) = 1 as total, ${STATS_SQL}
     from (${rows}) u group by grouping sets ((u.bucket), ())`,
    params,
  );
  const byBucket = new Map<number, BucketRow>();
  let totals: BucketRow | undefined;
  for (const row of result) {
    if (row.total) totals = row;
    else if (row.bucket !== null) byBucket.set(new Date(row.bucket).getTime(), row);
  }
  const size = bucketMs(scope.granularity);
  const series: UsagePoint[] = [];
  for (let at = scope.from.getTime(); at < scope.to.getTime(); at += size) {
    series.push({ at: new Date(at), ...statsFromRow(byBucket.get(at)) });
  }
  return {
    period: scope.period,
    from: scope.from,
    to: scope.to,
    granularity: scope.granularity,
    totals: statsFromRow(totals),
    series,
    scope,
  };
}

export type UsageDimension = 'app' | 'product' | 'environment' | 'credential';

const DIMENSIONS: Record<
  UsageDimension,
  { column: string; label: string; join: string; deleted: string; perApp?: true }
> = {
  app: {
    column: 'app_id',
    perApp: true,
    join: 'left join app x on x.id = g.key',
    label: `case when x.deleted_at is not null then 'Deleted app' else coalesce(x.name, 'Unknown app') end`,
    deleted: 'coalesce(x.deleted_at is not null, false)',
  },
  product: {
    column: 'product_id',
    join: 'left join api_product x on x.id = g.key',
    label: `coalesce(x.name, 'Unknown product')`,
    deleted: 'false',
  },
  environment: {
    column: 'environment_id',
    join: 'left join dev_environment x on x.id = g.key',
    label: `case when g.key = '' then 'No environment' else coalesce(x.label, 'Deleted environment') end`,
    deleted: `(g.key <> '' and x.id is null)`,
  },
  credential: {
    column: 'credential_id',
    perApp: true,
    join: 'left join credential x on x.id = g.key',
    label: `case when g.key = '' then 'No credential' else coalesce(x.kind::text || ' …' || x.last_four, 'Deleted credential') end`,
    deleted: `(g.key <> '' and (x.id is null or x.revoked_at is not null))`,
  },
};

interface GroupRow extends StatsRow {
  key: string;
  label: string;
  deleted: boolean;
}

/** The scope's usage per app, product, environment or credential, most requests first. */
export async function usageBreakdown(
  ctx: Context,
  scope: UsageScope,
  dimension: UsageDimension,
): Promise<UsageGroup[]> {
  const { params, p } = knexParams();
  const d = DIMENSIONS[dimension];
  const rows = usageRowsSql(scope.granularity, scope.from, scope.to, filterOf(scope), p, {
    perApp: d.perApp,
  });
  const result = await ctx.em.getConnection().execute<GroupRow[]>(
    `select g.*, ${d.label} as label, ${d.deleted} as deleted from (
       select u.${d.column} as key, ${STATS_SQL} from (${rows}) u group by u.${d.column}
     ) g ${d.join}
     order by g.requests + g.responses desc, g.key`,
    params,
  );
  return result.map((row) => ({
    id: row.key === '' ? null : row.key,
    label: row.label,
    deleted: Boolean(row.deleted),
    ...statsFromRow(row),
  }));
}

interface DayRow {
  product_id: string;
  bucket: Date | string;
  requests: number | string;
  units: number | string;
}

/**
 * The scope's use of each product of its organization's plans against the plan's monthly caps
 * (requests and units): used, projected, when the cap is reached, thresholds alerted.
 */
export async function usageCaps(
  ctx: Context,
  scope: UsageScope,
  now = new Date(),
): Promise<UsageCap[]> {
  if (!scope.organizationId) return [];
  const subscriptions = await productLoaders(ctx).subscriptionsByOrg.load(scope.organizationId);
  const wanted = subscriptions.filter((s) => !scope.productId || s.product.id === scope.productId);
  if (wanted.length === 0) return [];
  const month = scope.billingMonth;
  const monthEnd = nextMonthOf(month);
  const current = month.getTime() === monthStartOf(now).getTime();
  const historyFrom = new Date(
    Math.min(month.getTime(), now.getTime() - (now.getTime() % DAY_MS) - 28 * DAY_MS),
  );
  const to = current ? new Date(now.getTime() - (now.getTime() % DAY_MS) + DAY_MS) : monthEnd;
  const { params, p } = knexParams();
  const rows = usageRowsSql(
    UsageGranularity.DAY,
    current ? historyFrom : month,
    to,
    { ...filterOf(scope), productId: undefined },
    p,
  );
  const [days, reached] = await Promise.all([
    ctx.em.getConnection().execute<DayRow[]>(
      `select u.product_id, u.bucket, sum(u.requests)::float8 as requests, sum(u.units)::float8 as units
       from (${rows}) u where u.product_id = any(${p(wanted.map((s) => s.product.id))}::text[])
       group by u.product_id, u.bucket order by u.bucket`,
      params,
    ),
    thresholdsReachedOf(ctx.em, scope.organizationId, monthLabel(month)),
  ]);
  const caps: UsageCap[] = [];
  for (const subscription of wanted) {
    const plan = await productLoaders(ctx).planById.load(subscription.plan.id);
    const productDays = days.filter((d) => d.product_id === subscription.product.id);
    for (const metric of [UsageMetric.REQUESTS, UsageMetric.UNITS]) {
      const cap = metric === UsageMetric.REQUESTS ? plan?.monthlyRequestCap : plan?.monthlyUnitCap;
      const series = productDays.map((d) => ({
        at: new Date(d.bucket).getTime(),
        total: Number(metric === UsageMetric.REQUESTS ? d.requests : d.units),
      }));
      const used = series
        .filter((d) => d.at >= month.getTime() && d.at < monthEnd.getTime())
        .reduce((sum, d) => sum + d.total, 0);
      const todayStart = now.getTime() - (now.getTime() % DAY_MS);
      const projection = current
        ? projectMonth({
            days: denseDays(series, historyFrom.getTime(), todayStart),
            usedInMonth: used,
            today: series.find((d) => d.at === todayStart)?.total ?? 0,
            now: now.getTime(),
            monthStart: month.getTime(),
            monthEnd: monthEnd.getTime(),
            cap: cap ?? null,
          })
        : null;
      caps.push({
        productId: subscription.product.id,
        planId: plan?.id ?? null,
        metric,
        month: monthLabel(month),
        used,
        cap: cap ?? null,
        percentage: cap ? (used / cap) * 100 : null,
        projectedTotal: projection?.projectedTotal ?? used,
        capReachedAt: projection ? projection.capReachedAt : pastCapDate(series, cap ?? null),
        projectionConfidence: projection?.confidence ?? ProjectionConfidence.HIGH,
        thresholdsReached: reached
          .filter((r) => r.productId === subscription.product.id && r.metric === metric)
          .map((r) => r.threshold)
          .sort((a, b) => a - b),
      });
    }
  }
  return caps;
}

/** Every complete day in [from, until) with its total (0 for a day with no rows). */
function denseDays(
  series: { at: number; total: number }[],
  from: number,
  until: number,
): { at: number; total: number }[] {
  const byDay = new Map(series.map((d) => [d.at, d.total]));
  const days = [];
  for (let at = from; at < until; at += DAY_MS) days.push({ at, total: byDay.get(at) ?? 0 });
  return days;
}

function pastCapDate(series: { at: number; total: number }[], cap: number | null): Date | null {
  if (cap === null) return null;
  let total = 0;
  for (const day of series) {
    if (total + day.total >= cap) return new Date(day.at + ((cap - total) / day.total) * DAY_MS);
    total += day.total;
  }
  return null;
}

export function statsOrEmpty(stats: UsageStats | undefined): UsageStats {
  return stats ?? statsFromRow(undefined);
}
