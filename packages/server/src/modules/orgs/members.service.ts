import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction } from './orgs.access.js';
import type { Context } from '../../context.js';
import { badInput, conflict, notFound } from '../../errors.js';
import { parseInput } from '../../graphql/validation.js';
import { transactionHook } from '../../db/transaction-hooks.js';
import { recordAudit } from '../../audit/record.js';
import { publish } from '../../events/events.service.js';
import { assertOrgActionOn, lockOrganization } from './orgs.access.js';
import { forgetOrgMembers } from './orgs.loaders.js';
import { MemberRole, Membership, type Organization } from './orgs.entity.js';

function countAdmins(em: EntityManager, organizationId: string): Promise<number> {
  return em.count(Membership, { organization: organizationId, role: MemberRole.ADMIN });
}

/** A member leaving an organization, and the admin who takes over what they owned. */
export interface MemberDeparture {
  organizationId: string;
  userId: string;
  heirId: string;
  reason: 'member.remove' | 'member.leave';
}

/** Modules above orgs act on a departure in its transaction (the apps module moves apps). */
export const memberDeparture = transactionHook<MemberDeparture>();

/** The membership (and its organization, locked), for an admin of that organization. */
async function membershipForAdmin(
  ctx: Context,
  em: EntityManager,
  membershipId: string,
  action: 'member:update-role' | 'member:remove',
): Promise<{ membership: Membership; org: Organization }> {
  const found = await em.findOne(Membership, { id: membershipId });
  if (!found) throw notFound('Membership', 'membershipId');
  await assertOrgActionOn(ctx, found.organization.id, action, 'Membership', 'membershipId');
  const org = await lockOrganization(em, found.organization.id);
  const membership = await em.findOne(Membership, { id: membershipId }, { refresh: true });
  if (!membership) throw notFound('Membership', 'membershipId');
  return { membership, org };
}

const ChangeMemberRoleInput = z.object({
  membershipId: z.string(),
  role: z.enum(MemberRole),
});

export async function changeMemberRole(
  ctx: Context,
  input: z.input<typeof ChangeMemberRoleInput>,
): Promise<Membership> {
  const data = parseInput(ChangeMemberRoleInput, input);
  const membership = await ctx.em.transactional(async (em) => {
    const { membership, org } = await membershipForAdmin(
      ctx,
      em,
      data.membershipId,
      'member:update-role',
    );
    const from = membership.role;
    if (from === data.role) return membership;
    if (from === MemberRole.ADMIN && (await countAdmins(em, org.id)) <= 1) {
      throw conflict('role', 'The last admin cannot be demoted. Make someone else an admin first.');
    }
    membership.role = data.role;
    await publish(em, 'member.role_changed', {
      subjectId: membership.id,
      organizationId: org.id,
      userId: membership.user.id,
      role: data.role,
    });
    recordAudit(em, ctx, {
      organizationId: org.id,
      action: 'member.role_change',
      targetType: 'Membership',
      targetId: membership.id,
      data: { userId: membership.user.id, from, to: data.role },
    });
    return membership;
  });
  forgetOrgMembers(ctx, membership.organization.id);
  return membership;
}

const RemoveMemberInput = z.object({ membershipId: z.string() });

export async function removeMember(
  ctx: Context,
  input: z.input<typeof RemoveMemberInput>,
): Promise<{ organization: Organization; removedMembershipId: string }> {
  const viewer = requireViewer(ctx);
  const data = parseInput(RemoveMemberInput, input);
  const org = await ctx.em.transactional(async (em) => {
    const { membership, org } = await membershipForAdmin(
      ctx,
      em,
      data.membershipId,
      'member:remove',
    );
    const userId = membership.user.id;
    if (userId === viewer.user.id) {
      throw badInput('membershipId', 'To remove yourself, leave the organization instead.');
    }
    if (membership.role === MemberRole.ADMIN && (await countAdmins(em, org.id)) <= 1) {
      throw conflict('membershipId', 'The last admin of an organization cannot be removed.');
    }
    await memberDeparture.run(em, ctx, {
      organizationId: org.id,
      userId,
      heirId: viewer.user.id,
      reason: 'member.remove',
    });
    em.remove(membership);
    await publish(em, 'member.removed', {
      subjectId: membership.id,
      organizationId: org.id,
      userId,
      reason: 'removed',
    });
    recordAudit(em, ctx, {
      organizationId: org.id,
      action: 'member.remove',
      targetType: 'Membership',
      targetId: membership.id,
      data: { userId, role: membership.role },
    });
    return org;
  });
  forgetOrgMembers(ctx, org.id);
  return { organization: org, removedMembershipId: data.membershipId };
}

const LeaveOrganizationInput = z.object({ organizationId: z.string() });

export async function leaveOrganization(
  ctx: Context,
  input: z.input<typeof LeaveOrganizationInput>,
): Promise<string> {
  const viewer = requireViewer(ctx);
  const data = parseInput(LeaveOrganizationInput, input);
  // Any member may leave; staff who are not members have nothing to leave.
  const own = await assertOrgAction(ctx, data.organizationId, 'org:read');
  if (!own) throw notFound('Organization', 'organizationId');
  await ctx.em.transactional(async (em) => {
    const org = await lockOrganization(em, data.organizationId);
    const membership = await em.findOne(
      Membership,
      { organization: org.id, user: viewer.user.id },
      { refresh: true },
    );
    if (!membership) throw notFound('Organization', 'organizationId');
    // The apps of whoever leaves go to the longest-standing other admin; with none, the
    // leaver is the last admin and must stay.
    const heir = await em.findOne(
      Membership,
      { organization: org.id, role: MemberRole.ADMIN, id: { $ne: membership.id } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    if (!heir) {
      throw conflict(
        'organizationId',
        'The last admin cannot leave. Make someone else an admin first.',
      );
    }
    await memberDeparture.run(em, ctx, {
      organizationId: org.id,
      userId: viewer.user.id,
      heirId: heir.user.id,
      reason: 'member.leave',
    });
    em.remove(membership);
    await publish(em, 'member.removed', {
      subjectId: membership.id,
      organizationId: org.id,
      userId: viewer.user.id,
      reason: 'left',
    });
    recordAudit(em, ctx, {
      organizationId: org.id,
      action: 'member.leave',
      targetType: 'Membership',
      targetId: membership.id,
      data: { userId: viewer.user.id, role: membership.role },
    });
  });
  forgetOrgMembers(ctx, data.organizationId);
  return data.organizationId;
}
