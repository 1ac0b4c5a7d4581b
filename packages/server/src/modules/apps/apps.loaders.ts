import DataLoader from 'dataloader';
import type { Dictionary, EntityManager } from '@mikro-orm/postgresql';
import { entitiesOf, readRows, referencedId, selectColumns, type Joined } from '../../db/rows.js';
import { User } from '../accounts/accounts.entity.js';
import { Project } from '../projects/projects.entity.js';
import type { Context } from '../../context.js';
import { pageOf, type Connection } from '../../graphql/connection.js';
import { App } from './apps.entity.js';
import { byId, groupBy, perRequest } from '../../loaders.js';

/**
 * The first page of a list of live apps, oldest first: `first` apps of a project (`group` is
 * its id) or of an organization's standalone apps (`group` is the organization's id).
 */
export interface FirstAppsPage {
  group: string;
  first: number;
}

const firstPageKey = ({ group, first }: FirstAppsPage) => `${group}:${first}`;

/** How the first pages of one kind of list group their apps. */
const FIRST_PAGE_LISTS = {
  project: { column: 'project_id', where: '"project_id" = any($1)' },
  standalone: {
    column: 'organization_id',
    where: '"organization_id" = any($1) and "project_id" is null',
  },
} as const;

/**
 * Live apps (oldest first) read by a statement written once (see db/rows.ts): the app lists
 * are read on every dashboard load. Each row carries its app's owner, and its project when
 * `withProject`, so `App.owner` / `App.project` answer from the identity map; owners read in
 * the same statement as their apps keep the statement count fixed however owner lookups would
 * otherwise fall into batches. `from` names the apps `"a"` (a table or a subquery with the
 * app's columns) and may add columns `extra` selects.
 */
async function readApps(
  em: EntityManager,
  where: string,
  params: readonly unknown[],
  options: { withProject?: boolean; from?: string; extra?: string; orderBy?: string } = {},
): Promise<{ app: App; row: Dictionary }[]> {
  const project = options.withProject
    ? {
        columns: `, ${selectColumns(em, Project, 'p')}`,
        join: 'left join "project" as "p" on "p"."id" = "a"."project_id"',
      }
    : { columns: '', join: '' };
  const rows = await readRows(
    em,
    App,
    `select ${selectColumns(em, App, 'a')}, ${selectColumns(em, User, 'o')}${project.columns}${options.extra ? `, ${options.extra}` : ''}
      from ${options.from ?? '"app"'} as "a" join "users" as "o" on "o"."id" = "a"."owner_id" ${project.join}
      where ${where} order by ${options.orderBy ?? '"a"."created_at", "a"."id"'}`,
    params,
  );
  const joined: Joined[] = options.withProject
    ? [
        [User, 'o'],
        [Project, 'p'],
      ]
    : [[User, 'o']];
  const apps = entitiesOf(em, App, 'a', rows, joined);
  return apps.map((app, i) => ({ app, row: rows[i]! }));
}

/**
 * The first `first` live apps of each list (and one more, to tell that a page follows) with
 * their owners and each list's total, in one statement however many lists.
 */
async function firstAppsPages(
  em: EntityManager,
  list: keyof typeof FIRST_PAGE_LISTS,
  groups: readonly string[],
  first: number,
): Promise<Map<string, Connection<App>>> {
  const { column, where } = FIRST_PAGE_LISTS[list];
  const read = await readApps(em, '"a"."page_position" <= $2', [groups, first + 1], {
    from: `(select "app".*,
        row_number() over (partition by "${column}" order by "created_at", "id") as "page_position",
        count(*) over (partition by "${column}")::int as "page_total"
      from "app" where ${where} and "deleted_at" is null)`,
    extra: `"a"."page_total", "a"."${column}" as "page_group"`,
    orderBy: `"a"."${column}", "a"."page_position"`,
  });
  const byGroup = new Map<string, { apps: App[]; total: number }>();
  for (const { app, row } of read) {
    const group = String(row.page_group);
    const page = byGroup.get(group) ?? { apps: [], total: Number(row.page_total) };
    page.apps.push(app);
    byGroup.set(group, page);
  }
  return new Map(
    groups.map((group) => {
      const page = byGroup.get(group);
      return [group, pageOf(page?.apps ?? [], first, page?.total ?? 0)];
    }),
  );
}

/**
 * A loader of first pages of one kind of list (`Project.appsConnection` or
 * `Organization.standaloneAppsConnection` without `after`): the lists of a page of projects,
 * each with its first apps, are one statement.
 */
function firstPagesLoader(em: EntityManager, list: keyof typeof FIRST_PAGE_LISTS) {
  return new DataLoader<FirstAppsPage, Connection<App>, string>(
    async (keys) => {
      const pages = new Map<string, Connection<App>>();
      for (const first of new Set(keys.map((key) => key.first))) {
        const groups = keys.filter((key) => key.first === first).map((key) => key.group);
        for (const [group, page] of await firstAppsPages(em, list, groups, first)) {
          pages.set(firstPageKey({ group, first }), page);
        }
      }
      return keys.map((key) => pages.get(firstPageKey(key)) ?? pageOf([], key.first, 0));
    },
    { cacheKeyFn: firstPageKey },
  );
}

/** Live apps by project and by organization, oldest first, each batch one statement. */
function createAppLoaders(ctx: Context) {
  const em = ctx.em;
  const apps = (read: { app: App }[]) => read.map(({ app }) => app);
  return {
    /** Live apps by id (null for a deleted or unknown one). */
    appById: new DataLoader<string, App | null>(async (ids) =>
      byId(await em.find(App, { id: { $in: [...ids] }, deletedAt: null }), ids),
    ),
    appsByProject: new DataLoader<string, App[]>(async (projectIds) =>
      groupBy(
        apps(
          await readApps(em, '"a"."project_id" = any($1) and "a"."deleted_at" is null', [
            projectIds,
          ]),
        ),
        projectIds,
        (app) => referencedId(app, 'project') ?? '',
      ),
    ),
    standaloneAppsByOrg: new DataLoader<string, App[]>(async (orgIds) =>
      groupBy(
        apps(
          await readApps(
            em,
            '"a"."organization_id" = any($1) and "a"."project_id" is null and "a"."deleted_at" is null',
            [orgIds],
          ),
        ),
        orgIds,
        (app) => referencedId(app, 'organization')!,
      ),
    ),
    /** First pages of projects' apps, by project id. */
    firstProjectAppsPage: firstPagesLoader(em, 'project'),
    /** First pages of organizations' standalone apps, by organization id. */
    firstStandaloneAppsPage: firstPagesLoader(em, 'standalone'),
    appsByOrg: new DataLoader<string, App[]>(async (orgIds) =>
      groupBy(
        apps(
          await readApps(
            em,
            '"a"."organization_id" = any($1) and "a"."deleted_at" is null',
            [orgIds],
            { withProject: true },
          ),
        ),
        orgIds,
        (app) => referencedId(app, 'organization')!,
      ),
    ),
  };
}

export type AppLoaders = ReturnType<typeof createAppLoaders>;

/** The module's per-request loaders, made on first use in the request. */
export const appLoaders = perRequest(createAppLoaders);
