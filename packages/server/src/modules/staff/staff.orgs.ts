import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import type { Context } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { Organization } from '../orgs/orgs.entity.js';
import { requireStaff } from './staff.access.js';

export const SetOrganizationVerifiedSchema = z.object({
  organizationId: z.string().trim().min(1, 'The organization id is missing.'),
  verified: z.boolean(),
  reason: fields
    .text('The reason', 'Give a reason.')
    .min(3, 'Give a reason (at least 3 characters).')
    .max(2000, 'The reason must be at most 2000 characters.'),
});

/**
 * Staff mark an organization verified, or take it back, with a reason (audited). The
 * "verified organization" condition of CONDITIONAL products reads `verifiedAt`, so requests
 * made from then on are decided with it.
 */
export async function setOrganizationVerified(ctx: Context, input: unknown): Promise<Organization> {
  requireStaff(ctx);
  const data = parseInput(SetOrganizationVerifiedSchema, input);
  return ctx.em.transactional(async (em) => {
    const org = await em.findOne(
      Organization,
      { id: data.organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!org) throw notFound('Organization', 'organizationId');
    if ((org.verifiedAt !== null) === data.verified) {
      throw conflict(
        'verified',
        data.verified
          ? 'This organization is already verified.'
          : 'This organization is not verified.',
      );
    }
    const previous = org.verifiedAt;
    org.verifiedAt = data.verified ? new Date() : null;
    recordAudit(em, ctx, {
      organizationId: org.id,
      action: data.verified ? 'organization.verify' : 'organization.unverify',
      targetType: 'Organization',
      targetId: org.id,
      data: {
        reason: data.reason,
        ...(previous ? { verifiedSince: previous.toISOString() } : {}),
      },
    });
    return org;
  });
}
