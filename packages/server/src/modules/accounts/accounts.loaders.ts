import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { byId, perRequest } from '../../loaders.js';
import { User } from './accounts.entity.js';

/** The accounts module's per-request loaders, made on first use in the request. */
export const accountLoaders = perRequest((ctx: Context) => ({
  /**
   * Users by id. The viewer is answered from the request's sign-in, with no statement: a
   * session answered from memory signs in a view of its user, which no reference of the
   * request's EntityManager points to.
   */
  userById: new DataLoader<string, User | null>(async (ids) => {
    const viewer = ctx.viewer?.user;
    const others = viewer ? ids.filter((id) => id !== viewer.id) : [...ids];
    const users = others.length ? await ctx.em.find(User, { id: { $in: others } }) : [];
    return byId(viewer ? [...users, viewer] : users, ids);
  }),
}));
