import type { EntityManager } from '@mikro-orm/postgresql';
import { knexParams, usageRowsSql } from '../usage/usage.read.js';
import { UsageGranularity } from '../usage/usage.types.js';

export interface DailyAppRequests {
  appId: string;
  organizationId: string;
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  requests: number;
}

export interface ProductCallers {
  /** Requests per app and UTC day. */
  daily: DailyAppRequests[];
  /**
   * Per app, the latest bucket with a request, as finely as the usage tables still hold it:
   * the minute while minute rows are kept, else the hour, else the day.
   */
  lastCalledAt: Map<string, Date>;
}

/**
 * Requests to a product per app and UTC day since `since`, and when each app last called it.
 * The one place the catalogue reads the usage module's tables: the days as the usage API reads
 * them (rolled-up days, or their hours and minutes while a rollup is pending).
 */
export async function productCallers(
  em: EntityManager,
  productId: string,
  since: Date,
  until: Date,
): Promise<ProductCallers> {
  const connection = em.getConnection();
  const daily = knexParams();
  const dayRows = usageRowsSql(UsageGranularity.DAY, since, until, { productId }, daily.p, {
    only: ['app_id', 'organization_id', 'requests'],
  });
  const days = await connection.execute<
    { app_id: string; organization_id: string; day: string; requests: string }[]
  >(
    `select app_id, organization_id, to_char(bucket at time zone 'UTC', 'YYYY-MM-DD') as day,
       sum(requests)::text as requests
     from (${dayRows}) r
     group by app_id, organization_id, bucket
     having sum(requests) > 0`,
    daily.params,
    'all',
    em.getTransactionContext(),
  );

  const latest = knexParams();
  const latestOf = (table: string) =>
    `select app_id, max(bucket) as bucket from ${table}
     where product_id = ${latest.p(productId)} and bucket >= ${latest.p(since)}::timestamptz
       and bucket < ${latest.p(until)}::timestamptz and requests > 0
     group by app_id`;
  const lastRows = await connection.execute<{ app_id: string; last_called_at: Date }[]>(
    `select app_id, max(bucket) as last_called_at
     from (${latestOf('usage_minute')} union all ${latestOf('usage_hour')}
       union all ${latestOf('usage_day')}) t
     group by app_id`,
    latest.params,
    'all',
    em.getTransactionContext(),
  );

  return {
    daily: days.map((row) => ({
      appId: row.app_id,
      organizationId: row.organization_id,
      day: row.day,
      requests: Number(row.requests),
    })),
    lastCalledAt: new Map(lastRows.map((row) => [row.app_id, new Date(row.last_called_at)])),
  };
}
