import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { byId, groupBy, perRequest } from '../../loaders.js';
import { Project } from './projects.entity.js';

/** The projects module's per-request loaders, made on first use in the request. */
export const projectLoaders = perRequest((ctx: Context) => ({
  projectById: new DataLoader<string, Project | null>(async (ids) =>
    byId(await ctx.em.find(Project, { id: { $in: [...ids] } }), ids),
  ),
  /** The projects of each organization, oldest first. */
  projectsByOrg: new DataLoader<string, Project[]>(async (orgIds) =>
    groupBy(
      await ctx.em.find(
        Project,
        { organization: { $in: [...orgIds] } },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      ),
      orgIds,
      (row) => row.organization.id,
    ),
  ),
}));
