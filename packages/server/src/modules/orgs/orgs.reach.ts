import type { FilterQuery } from '@mikro-orm/postgresql';
import { TokenPolicy } from '../../auth/token-permissions.js';
import type { Viewer } from '../../context.js';
import { Organization, OrganizationKind } from './orgs.entity.js';

/**
 * Of the organizations `ids`, those a viewer reaches as a member: all of them with a session;
 * with a personal access token, none that forbids tokens, and for a fine-grained token only the
 * one it is bound to (or, bound to the user's own account, their personal organizations).
 * Every membership the organization loaders read for the viewer goes through it, so a token
 * reaches nothing of any other organization, however it gets there.
 */
export function reachableOrganizations(
  viewer: Viewer | null,
  ids: readonly string[],
): FilterQuery<Organization> {
  if (viewer?.via !== 'token') return { id: { $in: [...ids] } };
  const grant = viewer.grant;
  const bound = grant?.organizationId ?? null;
  return {
    id: { $in: bound ? ids.filter((id) => id === bound) : [...ids] },
    tokenPolicy: { $ne: TokenPolicy.FORBID },
    ...(grant && !bound ? { kind: OrganizationKind.PERSONAL } : {}),
  };
}

/** `reachableOrganizations` for one organization already read. */
export function tokenReaches(viewer: Viewer | null, org: Organization): boolean {
  if (viewer?.via !== 'token') return true;
  if (org.tokenPolicy === TokenPolicy.FORBID) return false;
  const grant = viewer.grant;
  if (!grant) return true;
  return grant.organizationId
    ? org.id === grant.organizationId
    : org.kind === OrganizationKind.PERSONAL;
}
