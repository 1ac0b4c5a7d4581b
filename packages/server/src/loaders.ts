import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from './modules/accounts/accounts.entity.js';
import { Membership, Organization } from './modules/orgs/orgs.entity.js';
import { Project } from './modules/projects/projects.entity.js';
import { App } from './modules/apps/apps.entity.js';

export function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id) ?? null);
}

export function groupBy<T>(rows: T[], keys: readonly string[], keyOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((key) => map.get(key) ?? []);
}

/** Per-request loaders: each batches one kind of lookup into a single SQL statement. */
export function createLoaders(em: EntityManager, viewerUserId: string | null) {
  return {
    userById: new DataLoader<string, User | null>(async (ids) =>
      byId(await em.find(User, { id: { $in: [...ids] } }), ids),
    ),
    organizationById: new DataLoader<string, Organization | null>(async (ids) =>
      byId(await em.find(Organization, { id: { $in: [...ids] } }), ids),
    ),
    projectById: new DataLoader<string, Project | null>(async (ids) =>
      byId(await em.find(Project, { id: { $in: [...ids] } }), ids),
    ),
    appById: new DataLoader<string, App | null>(async (ids) =>
      byId(await em.find(App, { id: { $in: [...ids] }, deletedAt: null }), ids),
    ),
    /** The viewer's own membership of each organization (null when not a member). */
    viewerMembershipByOrg: new DataLoader<string, Membership | null>(async (orgIds) => {
      if (!viewerUserId) return orgIds.map(() => null);
      const rows = await em.find(Membership, {
        user: viewerUserId,
        organization: { $in: [...orgIds] },
      });
      const map = new Map(rows.map((row) => [row.organization.id, row]));
      return orgIds.map((id) => map.get(id) ?? null);
    }),
    membershipsByOrg: new DataLoader<string, Membership[]>(async (orgIds) =>
      groupBy(
        await em.find(
          Membership,
          { organization: { $in: [...orgIds] } },
          { orderBy: { createdAt: 'asc', id: 'asc' } },
        ),
        orgIds,
        (row) => row.organization.id,
      ),
    ),
    projectsByOrg: new DataLoader<string, Project[]>(async (orgIds) =>
      groupBy(
        await em.find(
          Project,
          { organization: { $in: [...orgIds] } },
          { orderBy: { createdAt: 'asc', id: 'asc' } },
        ),
        orgIds,
        (row) => row.organization.id,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
