import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { byId, groupBy, perRequest } from '../../loaders.js';
import { ApiProduct, DevEnvironment, Plan, PlanSubscription } from './products.entity.js';

/** Per-request loaders of the products module: each batch is one SQL statement. */
function createProductLoaders(ctx: Context) {
  const em = ctx.em;
  const orderBy = { createdAt: 'asc', id: 'asc' } as const;
  return {
    /** Products by id, archived ones included (callers decide who may see those). */
    productById: new DataLoader<string, ApiProduct | null>(async (ids) =>
      byId(await em.find(ApiProduct, { id: { $in: [...ids] } }), ids),
    ),
    planById: new DataLoader<string, Plan | null>(async (ids) =>
      byId(await em.find(Plan, { id: { $in: [...ids] } }), ids),
    ),
    /** Each organization's subscriptions to live products, with product and plan joined. */
    subscriptionsByOrg: new DataLoader<string, PlanSubscription[]>(async (orgIds) =>
      groupBy(
        await em.find(
          PlanSubscription,
          { organization: { $in: [...orgIds] }, product: { archivedAt: null } },
          { populate: ['product', 'plan'], orderBy },
        ),
        orgIds,
        (row) => row.organization.id,
      ),
    ),
    /** Each organization's dev environments of live products, with the product joined. */
    devEnvironmentsByOrg: new DataLoader<string, DevEnvironment[]>(async (orgIds) =>
      groupBy(
        await em.find(
          DevEnvironment,
          { organization: { $in: [...orgIds] }, product: { archivedAt: null } },
          { populate: ['product'], orderBy },
        ),
        orgIds,
        (row) => row.organization.id,
      ),
    ),
  };
}

export type ProductLoaders = ReturnType<typeof createProductLoaders>;

/** The module's per-request loaders, made on first use in the request. */
export const productLoaders = perRequest(createProductLoaders);
