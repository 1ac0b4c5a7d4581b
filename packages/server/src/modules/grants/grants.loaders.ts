import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { batchPerTurn, byId, perRequest, SettledLoader } from '../../loaders.js';
import { readByApp } from '../../db/rows.js';
import { App } from '../apps/apps.entity.js';
import { ApiProduct } from '../products/products.entity.js';
import { ProductGrant } from './grants.entity.js';

/** The grants module's per-request loaders: each batch is one SQL statement. */
function createGrantLoaders(ctx: Context) {
  const em = ctx.em;
  return {
    /** Every grant of each app (current and history), newest first. */
    grantsByApp: new SettledLoader<string, ProductGrant[]>(
      (appIds) => readByApp(em, ProductGrant, appIds),
      batchPerTurn,
    ),
    productById: new DataLoader<string, ApiProduct | null>(async (ids) =>
      byId(await em.find(ApiProduct, { id: { $in: [...ids] } }), ids),
    ),
    /** Apps by id, deleted ones included (a grant's history outlives its app). */
    anyAppById: new DataLoader<string, App | null>(async (ids) =>
      byId(await em.find(App, { id: { $in: [...ids] } }), ids),
    ),
  };
}

export type GrantLoaders = ReturnType<typeof createGrantLoaders>;

/** The module's per-request loaders, made on first use in the request. */
export const grantLoaders = perRequest(createGrantLoaders);
