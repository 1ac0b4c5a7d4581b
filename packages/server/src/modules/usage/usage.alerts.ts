import type { EntityManager } from '@mikro-orm/postgresql';
import type { UsageMetric } from './usage.types.js';

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
  const rows = await em
    .getConnection()
    .execute<{ product_id: string; metric: UsageMetric; threshold: number }[]>(
      'select product_id, metric, threshold from usage_alert where organization_id = ? and month = ?',
      [organizationId, month],
    );
  return rows.map((r) => ({ productId: r.product_id, metric: r.metric, threshold: r.threshold }));
}
