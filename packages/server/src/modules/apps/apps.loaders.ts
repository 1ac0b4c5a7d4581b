import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { App } from './apps.entity.js';
import { groupBy } from '../../loaders.js';

/**
 * Live apps by project and by organization, oldest first, each batch one statement that
 * joins the owner (and the project): every list shows them, and `App.owner` / `App.project`
 * then answer from the identity map. Owners loaded in the same statement as their apps keep
 * the statement count fixed however the owner lookups would otherwise fall into batches.
 */
function createAppLoaders(ctx: Context) {
  const em = ctx.em;
  const orderBy = { createdAt: 'asc', id: 'asc' } as const;
  return {
    appsByProject: new DataLoader<string, App[]>(async (projectIds) =>
      groupBy(
        await em.find(
          App,
          { project: { $in: [...projectIds] }, deletedAt: null },
          { populate: ['owner'], orderBy },
        ),
        projectIds,
        (row) => row.project?.id ?? '',
      ),
    ),
    standaloneAppsByOrg: new DataLoader<string, App[]>(async (orgIds) =>
      groupBy(
        await em.find(
          App,
          { organization: { $in: [...orgIds] }, project: null, deletedAt: null },
          { populate: ['owner'], orderBy },
        ),
        orgIds,
        (row) => row.organization.id,
      ),
    ),
    appsByOrg: new DataLoader<string, App[]>(async (orgIds) =>
      groupBy(
        await em.find(
          App,
          { organization: { $in: [...orgIds] }, deletedAt: null },
          { populate: ['owner', 'project'], orderBy },
        ),
        orgIds,
        (row) => row.organization.id,
      ),
    ),
  };
}

export type AppLoaders = ReturnType<typeof createAppLoaders>;

const loadersByContext = new WeakMap<Context, AppLoaders>();

/** The apps module's per-request loaders, made on first use and kept with the request context. */
export function appLoaders(ctx: Context): AppLoaders {
  let loaders = loadersByContext.get(ctx);
  if (!loaders) {
    loaders = createAppLoaders(ctx);
    loadersByContext.set(ctx, loaders);
  }
  return loaders;
}
