import type { EntityManager } from '@mikro-orm/postgresql';

export interface DailyAppRequests {
  appId: string;
  organizationId: string;
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  requests: number;
  /** The latest minute with a request that day. */
  lastCalledAt: Date;
}

/**
 * Requests to a product per app and UTC day since `since`. The one place the catalogue reads
 * the gateway's usage: today from `usage_minute`; switch it here to the hourly or daily rollups
 * when they exist.
 */
export async function dailyRequestsByApp(
  em: EntityManager,
  productId: string,
  since: Date,
): Promise<DailyAppRequests[]> {
  const rows = await em.getConnection().execute<
    {
      app_id: string;
      organization_id: string;
      day: string;
      requests: string;
      last_called_at: Date;
    }[]
  >(
    `select app_id, organization_id, to_char(date_trunc('day', bucket at time zone 'UTC'), 'YYYY-MM-DD') as day,
       sum(requests)::text as requests, max(bucket) as last_called_at
     from usage_minute
     where product_id = ? and bucket >= ? and requests > 0
     group by app_id, organization_id, 3`,
    [productId, since],
    'all',
    em.getTransactionContext(),
  );
  return rows.map((row) => ({
    appId: row.app_id,
    organizationId: row.organization_id,
    day: row.day,
    requests: Number(row.requests),
    lastCalledAt: new Date(row.last_called_at),
  }));
}
