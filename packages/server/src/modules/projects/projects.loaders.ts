import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { byId, groupBy, perRequest } from '../../loaders.js';
import { entitiesOf, readRows, referencedId, selectColumns } from '../../db/rows.js';
import { Project } from './projects.entity.js';

/** The projects module's per-request loaders, made on first use in the request. */
export const projectLoaders = perRequest((ctx: Context) => ({
  projectById: new DataLoader<string, Project | null>(async (ids) =>
    byId(await ctx.em.find(Project, { id: { $in: [...ids] } }), ids),
  ),
  /**
   * The projects of each organization, oldest first: every dashboard load reads them, so in a
   * statement of its own (see db/rows.ts).
   */
  projectsByOrg: new DataLoader<string, Project[]>(async (orgIds) => {
    const rows = await readRows(
      ctx.em,
      Project,
      `select ${selectColumns(ctx.em, Project, 'p')} from "project" as "p"
        where "p"."organization_id" = any($1) order by "p"."created_at", "p"."id"`,
      [orgIds],
    );
    return groupBy(entitiesOf(ctx.em, Project, 'p', rows), orgIds, (project) =>
      referencedId(project, 'organization')!,
    );
  }),
}));
