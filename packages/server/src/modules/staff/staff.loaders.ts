import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { byId, perRequest } from '../../loaders.js';
import { findApps, type InventoryApp } from './staff.inventory.js';

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
}));
