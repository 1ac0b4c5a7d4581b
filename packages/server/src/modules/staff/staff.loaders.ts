import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { byId, perRequest } from '../../loaders.js';
import { findApps, type InventoryApp } from './staff.inventory.js';
import {
  emptyUsage,
  usageOfApps,
  usageOfOrganizations,
  type InventoryUsage,
} from './staff.usage.js';

/** Inventory rows of apps by id (deleted apps answer null), one statement per batch. */
export const staffLoaders = perRequest((ctx: Context) => ({
  inventoryAppById: new DataLoader<string, InventoryApp | null>(async (ids) =>
    byId(
      (
        await findApps(
          ctx.em,
          { ids: [...ids] },
          {
            sort: { key: 'CREATED_AT', direction: 'ASC' },
            first: ids.length,
            withTotal: false,
          },
        )
      ).nodes,
      ids,
    ),
  ),
  /** The inventory's usage of apps (staff.usage.ts), one statement per batch. */
  usageByAppId: new DataLoader<string, InventoryUsage>(async (ids) => {
    const now = new Date();
    const usage = await usageOfApps(ctx.em, ids, now);
    return ids.map((id) => usage.get(id) ?? emptyUsage(now));
  }),
  /** The inventory's usage of organizations, one statement per batch. */
  usageByOrganizationId: new DataLoader<string, InventoryUsage>(async (ids) => {
    const now = new Date();
    const usage = await usageOfOrganizations(ctx.em, ids, now);
    return ids.map((id) => usage.get(id) ?? emptyUsage(now));
  }),
}));
