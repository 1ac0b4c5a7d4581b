import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { Invitation, Membership, Organization } from './orgs.entity.js';
import { byId, groupBy, perRequest } from '../../loaders.js';
import { reachableOrganizations, tokenReaches } from './orgs.reach.js';

function createOrgLoaders(ctx: Context) {
  const em = ctx.em;
  const viewer = ctx.viewer;
  const viewerUserId = viewer?.user.id ?? null;
  /**
   * The viewer's own membership of each organization (null when not a member, or when their
   * token does not reach it: see `reachableOrganizations`).
   */
  const viewerMembershipByOrg = new DataLoader<string, Membership | null>(async (orgIds) => {
    if (!viewerUserId) return orgIds.map(() => null);
    const rows = await em.find(Membership, {
      user: viewerUserId,
      organization: reachableOrganizations(viewer, orgIds),
    });
    const map = new Map(rows.map((row) => [row.organization.id, row]));
    return orgIds.map((id) => map.get(id) ?? null);
  });
  return {
    organizationById: new DataLoader<string, Organization | null>(async (ids) =>
      byId(await em.find(Organization, { id: { $in: [...ids] } }), ids),
    ),
    viewerMembershipByOrg,
    /** Every membership of each organization, oldest first. */
    membershipsByOrg: new DataLoader<string, Membership[]>(async (orgIds) =>
      groupBy(
        await em.find(
          Membership,
          { organization: { $in: [...orgIds] } },
          // The members' users in the same statement: a team list shows them.
          { populate: ['user'], orderBy: { createdAt: 'asc', id: 'asc' } },
        ),
        orgIds,
        (row) => row.organization.id,
      ),
    ),
    /** Every invitation of each organization, newest first. */
    invitationsByOrg: new DataLoader<string, Invitation[]>(async (orgIds) =>
      groupBy(
        await em.find(
          Invitation,
          { organization: { $in: [...orgIds] } },
          { orderBy: { createdAt: 'desc', id: 'desc' } },
        ),
        orgIds,
        (row) => row.organization.id,
      ),
    ),
    /** Memberships of each user with their organization, oldest first (one joined statement). */
    membershipsByUser: new DataLoader<string, Membership[]>(async (userIds) => {
      const rows = await em.find(
        Membership,
        { user: { $in: [...userIds] } },
        { populate: ['organization'], orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      // The viewer's memberships answer `viewerRole` too, with no further statement; of them,
      // a token's viewer has only those of organizations the token reaches.
      const reached = rows.filter(
        (row) => row.user.id !== viewerUserId || tokenReaches(viewer, row.organization.getEntity()),
      );
      for (const row of reached) {
        if (row.user.id === viewerUserId) viewerMembershipByOrg.prime(row.organization.id, row);
      }
      return groupBy(reached, userIds, (row) => row.user.id);
    }),
  };
}

export type OrgLoaders = ReturnType<typeof createOrgLoaders>;

/** The module's per-request loaders, made on first use in the request. */
export const orgLoaders = perRequest(createOrgLoaders);

/** Forgets what this request loaded about an organization's members, after a change to them. */
export function forgetOrgMembers(ctx: Context, organizationId: string): void {
  const loaders = orgLoaders.peek(ctx);
  loaders?.viewerMembershipByOrg.clear(organizationId);
  loaders?.membershipsByOrg.clear(organizationId);
  loaders?.organizationById.clear(organizationId);
  loaders?.invitationsByOrg.clear(organizationId);
  if (ctx.viewer) loaders?.membershipsByUser.clear(ctx.viewer.user.id);
}
