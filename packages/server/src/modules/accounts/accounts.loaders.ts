import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { byId, perRequest } from '../../loaders.js';
import { User } from './accounts.entity.js';

/** The accounts module's per-request loaders, made on first use in the request. */
export const accountLoaders = perRequest((ctx: Context) => ({
  userById: new DataLoader<string, User | null>(async (ids) =>
    byId(await ctx.em.find(User, { id: { $in: [...ids] } }), ids),
  ),
}));
