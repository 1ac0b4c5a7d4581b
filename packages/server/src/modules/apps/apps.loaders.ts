import DataLoader from 'dataloader';
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { pageOf, type Connection } from '../../graphql/connection.js';
import { App } from './apps.entity.js';
import { byId, groupBy, perRequest } from '../../loaders.js';

/** The first page of a project's live apps: its `first` oldest ones. */
export interface FirstAppsPage {
  projectId: string;
  first: number;
}

const firstPageKey = ({ projectId, first }: FirstAppsPage) => `${projectId}:${first}`;

/**
 * The first `first` live apps of each project (and one more, to tell that a page follows),
 * with their owners, and each project's total: two statements however many projects.
 */
async function firstAppsPages(
  em: EntityManager,
  projectIds: readonly string[],
  first: number,
): Promise<Map<string, Connection<App>>> {
  const inFirstPage = raw(
    (alias) =>
      `${alias}.id in (select id from (
         select id, row_number() over (partition by project_id order by created_at, id) as position
         from app where project_id in (?) and deleted_at is null
       ) numbered where position <= ?)`,
    [[...projectIds], first + 1],
  );
  const [apps, totals] = await Promise.all([
    em.find(
      App,
      { [inFirstPage]: [] },
      { populate: ['owner'], orderBy: { createdAt: 'asc', id: 'asc' } },
    ),
    em
      .createQueryBuilder(App, 'a')
      .select(['a.project', raw('count(*)::int as total')])
      .where({ project: { $in: [...projectIds] }, deletedAt: null })
      .groupBy('a.project')
      .execute<{ project: string; total: number }[]>('all'),
  ]);
  const totalOf = new Map(totals.map((row) => [row.project, row.total]));
  const appsOf = groupBy(apps, projectIds, (app) => app.project?.id ?? '');
  return new Map(
    projectIds.map((projectId, i) => [
      projectId,
      pageOf(appsOf[i] ?? [], first, totalOf.get(projectId) ?? 0),
    ]),
  );
}

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
    /**
     * First pages of projects' apps (`Project.appsConnection` without `after`): a page of
     * projects, each with its first apps, is one statement.
     */
    firstAppsPage: new DataLoader<FirstAppsPage, Connection<App>, string>(
      async (keys) => {
        const pages = new Map<string, Connection<App>>();
        for (const first of new Set(keys.map((key) => key.first))) {
          const projectIds = keys.filter((key) => key.first === first).map((k) => k.projectId);
          for (const [projectId, page] of await firstAppsPages(em, projectIds, first)) {
            pages.set(firstPageKey({ projectId, first }), page);
          }
        }
        return keys.map((key) => pages.get(firstPageKey(key)) ?? pageOf([], key.first, 0));
      },
      { cacheKeyFn: firstPageKey },
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
