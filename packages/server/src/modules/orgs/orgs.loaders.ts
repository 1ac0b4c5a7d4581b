import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { Invitation, Membership, Organization } from './orgs.entity.js';
import { byId, groupBy, perRequest, SettledLoader } from '../../loaders.js';
import { reachableOrganizations, tokenReaches } from './orgs.reach.js';
import { entitiesOf, readRows, referencedId, selectColumns } from '../../db/rows.js';
import { User } from '../accounts/accounts.entity.js';

function createOrgLoaders(ctx: Context) {
  const em = ctx.em;
  const viewer = ctx.viewer;
  const viewerUserId = viewer?.user.id ?? null;
  /**
   * The viewer's own membership of each organization (null when not a member, or when their
   * token does not reach it: see `reachableOrganizations`).
   */
  const viewerMembershipByOrg = new SettledLoader<string, Membership | null>(async (orgIds) => {
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
    /**
     * Every membership of each organization, oldest first, with the members' users in the same
     * statement (a team list shows them). Every dashboard load reads them, so in a statement of
     * its own (see db/rows.ts).
     */
    membershipsByOrg: new DataLoader<string, Membership[]>(async (orgIds) => {
      const rows = await readRows(
        em,
        Membership,
        `select ${selectColumns(em, Membership, 'm')}, ${selectColumns(em, User, 'u')}
           from "membership" as "m" join "users" as "u" on "u"."id" = "m"."user_id"
          where "m"."organization_id" = any($1) order by "m"."created_at", "m"."id"`,
        [orgIds],
      );
      const memberships = entitiesOf(em, Membership, 'm', rows, [[User, 'u']]);
      return groupBy(memberships, orgIds, (row) => referencedId(row, 'organization')!);
    }),
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
    /**
     * Memberships of each user with their organization, oldest first, in one joined statement
     * (see db/rows.ts: every dashboard load reads them).
     */
    membershipsByUser: new DataLoader<string, Membership[]>(async (userIds) => {
      const joined = await readRows(
        em,
        Membership,
        `select ${selectColumns(em, Membership, 'm')}, ${selectColumns(em, Organization, 'o')}
           from "membership" as "m" join "organization" as "o" on "o"."id" = "m"."organization_id"
          where "m"."user_id" = any($1) order by "m"."created_at", "m"."id"`,
        [userIds],
      );
      const rows = entitiesOf(em, Membership, 'm', joined, [[Organization, 'o']]);
      // The viewer's memberships answer `viewerRole` too, with no further statement; of them,
      // a token's viewer has only those of organizations the token reaches.
      const reached = rows.filter(
        (row) =>
          referencedId(row, 'user') !== viewerUserId ||
          tokenReaches(viewer, row.organization.getEntity()),
      );
      for (const row of reached) {
        if (referencedId(row, 'user') === viewerUserId) {
          viewerMembershipByOrg.prime(referencedId(row, 'organization')!, row);
        }
      }
      return groupBy(reached, userIds, (row) => referencedId(row, 'user')!);
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
