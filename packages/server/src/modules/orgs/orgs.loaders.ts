import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { Invitation, Membership } from './orgs.entity.js';
import { groupBy } from '../../loaders.js';

function createOrgLoaders(ctx: Context) {
  const em = ctx.em;
  return {
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
      // The viewer's memberships answer `viewerRole` too, with no further statement.
      for (const row of rows) {
        if (row.user.id === ctx.viewer?.user.id) {
          ctx.loaders.viewerMembershipByOrg.prime(row.organization.id, row);
        }
      }
      return groupBy(rows, userIds, (row) => row.user.id);
    }),
  };
}

export type OrgLoaders = ReturnType<typeof createOrgLoaders>;

const loadersByContext = new WeakMap<Context, OrgLoaders>();

/** The orgs module's per-request loaders, made on first use and kept with the request context. */
export function orgLoaders(ctx: Context): OrgLoaders {
  let loaders = loadersByContext.get(ctx);
  if (!loaders) {
    loaders = createOrgLoaders(ctx);
    loadersByContext.set(ctx, loaders);
  }
  return loaders;
}

/** Forgets what this request loaded about an organization's members, after a change to them. */
export function forgetOrgMembers(ctx: Context, organizationId: string): void {
  ctx.loaders.viewerMembershipByOrg.clear(organizationId);
  ctx.loaders.membershipsByOrg.clear(organizationId);
  ctx.loaders.organizationById.clear(organizationId);
  const loaders = loadersByContext.get(ctx);
  loaders?.invitationsByOrg.clear(organizationId);
  if (ctx.viewer) loaders?.membershipsByUser.clear(ctx.viewer.user.id);
}
