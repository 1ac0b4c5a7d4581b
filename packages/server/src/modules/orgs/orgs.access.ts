import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { assertOrgAction, type OrgAction } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { ErrorCode, notFound, PorticoError } from '../../errors.js';
import { Organization, type Membership } from './orgs.entity.js';

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
