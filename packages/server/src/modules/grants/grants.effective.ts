import type { EntityManager } from '@mikro-orm/postgresql';
import { GrantStatus } from './grants.entity.js';

/**
 * The SQL view (see the migration that creates it) holding an app's effective grants: per app
 * and product, the latest request that was not withdrawn. Everything that asks "what was this
 * app granted" reads it: the app-lifecycle status rule and the gateway's credential cache.
 */
export const EFFECTIVE_GRANTS_VIEW = 'app_effective_grant';

/** The status of each effective grant of the app (one per product it asked for). */
export async function effectiveGrantStatuses(
  em: EntityManager,
  appId: string,
): Promise<GrantStatus[]> {
  const rows = await em
    .getConnection()
    .execute<{ status: GrantStatus }[]>(
      `select status from ${EFFECTIVE_GRANTS_VIEW} where app_id = ?`,
      [appId],
      'all',
      em.getTransactionContext(),
    );
  return rows.map((row) => row.status);
}
