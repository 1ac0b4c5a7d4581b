import { MemberRole, Membership } from '../modules/orgs/orgs.entity.js';
import { PlatformRole } from '../modules/accounts/accounts.entity.js';
import type { Context, Viewer } from '../context.js';
import { forbidden, notFound, unauthenticated } from '../errors.js';

/** What a member may do in an organization, by role. */
export const ORG_ACTIONS = [
  'org:read',
  'org:update',
  'member:read',
  'member:invite',
  'member:update-role',
  'member:remove',
  'project:create',
  'project:update',
  'project:delete',
  'app:create',
  'app:read',
  'app:manage-any',
  'audit:read',
] as const;
export type OrgAction = (typeof ORG_ACTIONS)[number];

const DEVELOPER_ACTIONS: ReadonlySet<OrgAction> = new Set<OrgAction>([
  'org:read',
  'member:read',
  'app:create',
  'app:read',
]);

/** Actions staff may take in any organization without being a member (read-only views). */
const STAFF_ACTIONS: ReadonlySet<OrgAction> = new Set<OrgAction>([
  'org:read',
  'member:read',
  'app:read',
  'audit:read',
]);

export function roleAllows(role: MemberRole, action: OrgAction): boolean {
  return role === MemberRole.ADMIN || DEVELOPER_ACTIONS.has(action);
}

export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

/**
 * The viewer's membership of the organization, or null for staff acting without one.
 * Refuses with NOT_FOUND for a non-member (an organization you cannot see does not exist),
 * and FORBIDDEN for a member whose role does not allow the action.
 */
export async function assertOrgAction(
  ctx: Context,
  organizationId: string,
  action: OrgAction,
): Promise<Membership | null> {
  const viewer = requireViewer(ctx);
  const membership = await ctx.loaders.viewerMembershipByOrg.load(organizationId);
  if (!membership) {
    if (viewer.user.platformRole === PlatformRole.STAFF && STAFF_ACTIONS.has(action)) {
      const org = await ctx.loaders.organizationById.load(organizationId);
      if (org) return null;
    }
    throw notFound('Organization', 'organizationId');
  }
  if (!roleAllows(membership.role, action)) {
    throw forbidden(`Your role (${membership.role}) does not allow ${action}.`);
  }
  return membership;
}
