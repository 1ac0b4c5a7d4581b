import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { App } from './apps.entity.js';
import { byId, groupBy, perRequest } from '../../loaders.js';

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
    /** Live apps by id (null for a deleted or unknown one). */
    appById: new DataLoader<string, App | null>(async (ids) =>
      byId(await em.find(App, { id: { $in: [...ids] }, deletedAt: null }), ids),
    ),
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

/** The module's per-request loaders, made on first use in the request. */
export const appLoaders = perRequest(createAppLoaders);
