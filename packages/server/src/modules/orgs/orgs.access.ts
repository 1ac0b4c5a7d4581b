import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { requireViewer } from '../../auth/permissions.js';
import { PlatformRole } from '../../auth/roles.js';
import { TokenAccess, TokenArea, tokenAllows } from '../../auth/token-permissions.js';
import type { Context, Viewer } from '../../context.js';
import { ErrorCode, forbidden, notFound, PorticoError } from '../../errors.js';
import { MemberRole, Membership, Organization } from './orgs.entity.js';
import { orgLoaders } from './orgs.loaders.js';
import { andThen } from '../../loaders.js';
import { reachableOrganizations } from './orgs.reach.js';

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
  'token:policy',
  'token:review',
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
 * Whether staff may look into organizations they are not a member of: with a session or a
 * classic token; with a fine-grained token, only one bound to their own account with READ on
 * the staff console.
 */
function staffMayLookIn(viewer: Viewer): boolean {
  if (viewer.user.platformRole !== PlatformRole.STAFF) return false;
  if (!viewer.grant) return true;
  return (
    viewer.grant.organizationId === null &&
    tokenAllows(viewer, TokenArea.STAFF_CONSOLE, TokenAccess.READ)
  );
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
  return checkOrgAction(ctx, organizationId, action);
}

/**
 * `assertOrgAction` for a field resolver: decided at once (a membership, or a refusal thrown)
 * when the request already read the viewer's membership of the organization, as it has for
 * every field of the items of a list it checked; a promise otherwise.
 */
export function checkOrgAction(
  ctx: Context,
  organizationId: string,
  action: OrgAction,
): Membership | null | Promise<Membership | null> {
  const viewer = requireViewer(ctx);
  return andThen(orgLoaders(ctx).viewerMembershipByOrg.get(organizationId), (membership) => {
    if (!membership) return nonMemberAction(ctx, viewer, organizationId, action);
    if (!roleAllows(membership.role, action)) {
      throw forbidden(`Your role (${membership.role}) does not allow ${action}.`);
    }
    return membership;
  });
}

/** Null for staff taking a staff action in an organization that exists; NOT_FOUND otherwise. */
async function nonMemberAction(
  ctx: Context,
  viewer: Viewer,
  organizationId: string,
  action: OrgAction,
): Promise<null> {
  if (staffMayLookIn(viewer) && STAFF_ACTIONS.has(action)) {
    const org = await orgLoaders(ctx).organizationById.load(organizationId);
    if (org) return null;
  }
  throw notFound('Organization', 'organizationId');
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

/**
 * Whether the viewer may still reach the organization as a member (any role), read from the
 * database: for a viewer with a token, only an organization the token reaches.
 */
export async function viewerReaches(
  em: EntityManager,
  organizationId: string,
  viewer: Viewer,
): Promise<boolean> {
  const organization = reachableOrganizations(viewer, [organizationId]);
  return (await em.count(Membership, { organization, user: viewer.user.id })) > 0;
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
