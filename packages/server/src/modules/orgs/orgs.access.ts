import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { requireViewer } from '../../auth/permissions.js';
import { PlatformRole } from '../../auth/roles.js';
import type { Context } from '../../context.js';
import { ErrorCode, forbidden, notFound, PorticoError } from '../../errors.js';
import { MemberRole, Membership, Organization } from './orgs.entity.js';
import { orgLoaders } from './orgs.loaders.js';

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
  'webhook:manage',
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
  const membership = await orgLoaders(ctx).viewerMembershipByOrg.load(organizationId);
  if (!membership) {
    if (viewer.user.platformRole === PlatformRole.STAFF && STAFF_ACTIONS.has(action)) {
      const org = await orgLoaders(ctx).organizationById.load(organizationId);
      if (org) return null;
    }
    throw notFound('Organization', 'organizationId');
  }
  if (!roleAllows(membership.role, action)) {
    throw forbidden(`Your role (${membership.role}) does not allow ${action}.`);
  }
  return membership;
}

/**
 * `assertOrgAction` for an object reached through another id (an invitation, a membership):
 * a non-member is told the object itself was not found, naming the input field they sent.
 */
export async function assertOrgActionOn(
  ctx: Context,
  organizationId: string,
  action: OrgAction,
  what: string,
  field: string,
): Promise<Membership | null> {
  try {
    return await assertOrgAction(ctx, organizationId, action);
  } catch (error) {
    if (error instanceof PorticoError && error.extensions.code === ErrorCode.NOT_FOUND) {
      throw notFound(what, field);
    }
    throw error;
  }
}

/** Whether the user is a member of the organization (any role), read from the database. */
export async function isMember(
  em: EntityManager,
  organizationId: string,
  userId: string,
): Promise<boolean> {
  return (await em.count(Membership, { organization: organizationId, user: userId })) > 0;
}

/** Locks the organization row so that member changes in it happen one at a time. */
export async function lockOrganization(
  em: EntityManager,
  organizationId: string,
): Promise<Organization> {
  const org = await em.findOne(
    Organization,
    { id: organizationId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!org) throw notFound('Organization', 'organizationId');
  return org;
}
