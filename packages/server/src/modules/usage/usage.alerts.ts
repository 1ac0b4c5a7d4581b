import type { EntityManager } from '@mikro-orm/postgresql';
import { createContext, NO_COOKIES, type Services } from '../../context.js';
import { notify } from '../notifications/notifications.service.js';
import { monthLabel, monthStartOf, nextMonthOf } from './usage.periods.js';
import { knexParams, pgArray, usageRowsSql } from './usage.read.js';
import { UsageGranularity, UsageMetric } from './usage.types.js';

export const ALERT_THRESHOLDS = [50, 80, 100] as const;

export interface ReachedThreshold {
  productId: string;
  metric: UsageMetric;
  threshold: number;
}

/** The cap alerts already sent to an organization for a billing month. */
export async function thresholdsReachedOf(
  em: EntityManager,
  organizationId: string,
  month: string,
): Promise<ReachedThreshold[]> {
  const rows = await em.execute<{ product_id: string; metric: UsageMetric; threshold: number }[]>(
    'select product_id, metric, threshold from usage_alert where organization_id = ? and month = ?',
    [organizationId, month],
  );
  return rows.map((r) => ({ productId: r.product_id, metric: r.metric, threshold: r.threshold }));
}

interface CappedUsage {
  organization_id: string;
  organization_name: string;
  product_id: string;
  product_name: string;
  request_cap: string | null;
  unit_cap: string | null;
  requests: number;
  units: number;
  alerted: { metric: string; threshold: number }[] | null;
}

export interface AlertSent {
  organizationId: string;
  productId: string;
  metric: UsageMetric;
  threshold: number;
  recipients: string[];
}

/**
 * Alerts organizations whose use of a product reached 50, 80 or 100 % of a monthly cap of
 * their plan (requests or units) in the billing month of `now`, once per organization,
 * product, month, metric and threshold: a `usage_alert` row per threshold reached, and one
 * notification (in-app and by email, through the outbox) for the highest threshold newly
 * reached, to the organization's admins and the owners of the apps that used the product this
 * month. Each organization and product is one transaction; the row's primary key makes a
 * concurrent or repeated run send nothing twice. Run after the rollups.
 */
export async function sendUsageAlerts(
  em: EntityManager,
  now: Date,
  services: Services,
): Promise<AlertSent[]> {
  const month = monthStartOf(now);
  const label = monthLabel(month);
  const { params, p } = knexParams();
  const rows = usageRowsSql(UsageGranularity.DAY, month, nextMonthOf(month), {}, p);
  const usage = await em.execute<CappedUsage[]>(
    `with t as (
       select u.organization_id, u.product_id, sum(u.requests)::float8 as requests,
         sum(u.units)::float8 as units
       from (${rows}) u group by u.organization_id, u.product_id),
     capped as (
       select s.organization_id, s.product_id, pl.monthly_request_cap, pl.monthly_unit_cap
       from plan_subscription s join plan pl on pl.id = s.plan_id
       where pl.monthly_request_cap is not null or pl.monthly_unit_cap is not null)
     select c.organization_id, o.name as organization_name, c.product_id,
       pr.name as product_name, c.monthly_request_cap::text as request_cap,
       c.monthly_unit_cap::text as unit_cap, t.requests, t.units,
       (select json_agg(json_build_object('metric', a.metric, 'threshold', a.threshold))
          from usage_alert a where a.organization_id = c.organization_id
          and a.product_id = c.product_id and a.month = ${p(label)}) as alerted
     from capped c
     join t on t.organization_id = c.organization_id and t.product_id = c.product_id
     join organization o on o.id = c.organization_id
     join api_product pr on pr.id = c.product_id`,
    params,
  );
  const ctx = createContext(services, null, { ip: null, userAgent: null }, NO_COOKIES, em);
  const sent: AlertSent[] = [];
  for (const row of usage) {
    for (const metric of [UsageMetric.REQUESTS, UsageMetric.UNITS]) {
      const cap = Number(metric === UsageMetric.REQUESTS ? row.request_cap : row.unit_cap);
      if (!cap) continue;
      const used = metric === UsageMetric.REQUESTS ? row.requests : row.units;
      const percentage = (used / cap) * 100;
      const already = new Set(
        (row.alerted ?? []).filter((a) => a.metric === metric).map((a) => a.threshold),
      );
      const reached = ALERT_THRESHOLDS.filter((t) => percentage >= t && !already.has(t));
      if (reached.length === 0) continue;
      const alert = await em.transactional(async (tx) => {
        const inserted = await tx.execute<{ threshold: number }[]>(
          `insert into usage_alert (organization_id, product_id, month, metric, threshold, used, cap, created_at)
           select ?, ?, ?, ?, t, ?, ?, ? from unnest(?::int[]) t
           on conflict do nothing returning threshold`,
          [row.organization_id, row.product_id, label, metric, used, cap, now, pgArray(reached)],
        );
        if (inserted.length === 0) return null;
        const threshold = Math.max(...inserted.map((r) => r.threshold));
        const recipients = await recipientsOf(tx, row.organization_id, row.product_id, month);
        const what = metric === UsageMetric.REQUESTS ? 'requests' : 'units';
        const title =
          threshold >= 100
            ? `${row.product_name}: monthly ${what} cap reached`
            : `${row.product_name}: ${threshold} % of the monthly ${what} cap used`;
        const body = `${row.organization_name} has used ${Math.round(used).toLocaleString('en-US')} of ${cap.toLocaleString('en-US')} ${what} (${Math.floor(percentage)} %) of ${row.product_name} in ${label} (UTC).${threshold >= 100 ? ' Further calls are refused until the month ends or the plan is upgraded.' : ''}`;
        for (const userId of recipients) {
          await notify(tx, ctx, {
            userId,
            kind: 'usage.threshold',
            title,
            body,
            link: `/orgs/${row.organization_id}/usage`,
          });
        }
        return { threshold, recipients };
      });
      if (alert) {
        sent.push({
          organizationId: row.organization_id,
          productId: row.product_id,
          metric,
          threshold: alert.threshold,
          recipients: alert.recipients,
        });
      }
    }
  }
  return sent;
}

/** The organization's admins and the owners of its live apps that used the product this month. */
async function recipientsOf(
  em: EntityManager,
  organizationId: string,
  productId: string,
  month: Date,
): Promise<string[]> {
  const rows = await em.execute<{ user_id: string }[]>(
    `select user_id from membership where organization_id = ? and role = 'ADMIN'
     union
     select a.owner_id from app a where a.organization_id = ? and a.deleted_at is null
       and exists (select 1 from usage_day d where d.app_id = a.id and d.product_id = ?
                     and d.bucket >= ?)
     union
     select a.owner_id from app a where a.organization_id = ? and a.deleted_at is null
       and exists (select 1 from usage_hour h where h.app_id = a.id and h.product_id = ?
                     and h.bucket >= ?)
     order by 1`,
    [organizationId, organizationId, productId, month, organizationId, productId, month],
  );
  return rows.map((r) => r.user_id);
}
