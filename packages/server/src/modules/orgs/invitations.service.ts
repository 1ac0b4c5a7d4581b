import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction } from './orgs.access.js';
import type { Context } from '../../context.js';
import { generateToken, hasValidChecksum, sha256 } from '../../crypto.js';
import { badInput, conflict, forbidden, notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { publish } from '../../events/events.service.js';
import { User } from '../accounts/accounts.entity.js';
import { recordAudit } from '../../audit/record.js';
import { enqueueMail } from '../mail/mail.service.js';
import { assertOrgActionOn, lockOrganization } from './orgs.access.js';
import { forgetOrgMembers } from './orgs.loaders.js';
import {
  Invitation,
  InvitationStatus,
  MemberRole,
  Membership,
  Organization,
} from './orgs.entity.js';
import type { InvitationPreview } from './orgs.types.js';
import { orgLoaders } from './orgs.loaders.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';

export const INVITATION_TOKEN_PREFIX = 'pti';
export const INVITATION_TTL_DAYS = 7;

/** The status people see: a pending invitation past its expiry shows as EXPIRED. */
export function invitationStatus(invitation: Invitation, now = new Date()): InvitationStatus {
  if (invitation.status === InvitationStatus.PENDING && invitation.expiresAt <= now) {
    return InvitationStatus.EXPIRED;
  }
  return invitation.status;
}

function newInvitationToken(): { token: string; tokenHash: string; expiresAt: Date } {
  const token = generateToken(INVITATION_TOKEN_PREFIX);
  return {
    token,
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
  };
}

function publicUrl(ctx: Context, path: string): string {
  const base = ctx.env.PUBLIC_URL ?? `http://${ctx.env.HOST}:${ctx.env.PORT}`;
  return `${base.replace(/\/+$/, '')}${path}`;
}

const ROLE_LABEL: Record<MemberRole, string> = {
  [MemberRole.ADMIN]: 'an admin',
  [MemberRole.DEVELOPER]: 'a developer',
};

/** Puts the invitation's mail, with its link, in the outbox in the transaction of `em`. */
async function mailInvitation(
  em: EntityManager,
  ctx: Context,
  invitation: Invitation,
  org: Organization,
  token: string,
): Promise<void> {
  const inviter = ctx.viewer?.user.name ?? 'Someone';
  await enqueueMail(em, ctx, {
    to: invitation.email,
    subject: `You're invited to join ${org.name} on Portico`,
    text: [
      `${inviter} invited you to join ${org.name} on Portico as ${ROLE_LABEL[invitation.role]}.`,
      '',
      'Accept or decline the invitation here:',
      publicUrl(ctx, `/invitations/${token}`),
      '',
      `The invitation expires on ${invitation.expiresAt.toUTCString()}.`,
      `No Portico account yet? Create one with ${invitation.email} from the link, then accept.`,
      '',
      'If you did not expect this invitation, you can ignore this email.',
    ].join('\n'),
  });
}

/** Another pending, unexpired invitation to the same email, or a membership, blocks inviting. */
async function assertInvitable(
  em: EntityManager,
  organizationId: string,
  email: string,
  field: string,
  exceptInvitationId?: string,
): Promise<void> {
  const member = await em.count(Membership, { organization: organizationId, user: { email } });
  if (member) throw conflict(field, 'This person is already a member of the organization.');
  const pending = await em.count(Invitation, {
    organization: organizationId,
    email,
    status: InvitationStatus.PENDING,
    expiresAt: { $gt: new Date() },
    ...(exceptInvitationId ? { id: { $ne: exceptInvitationId } } : {}),
  });
  if (pending) throw conflict(field, 'This email already has a pending invitation.');
}

/** Records `action` on the invitation in its organization's audit log, with its email and role. */
function auditInvitation(
  em: EntityManager,
  ctx: Context,
  action: string,
  invitation: Invitation,
  data: Record<string, unknown> = {},
): void {
  recordAudit(em, ctx, {
    organizationId: invitation.organization.id,
    action,
    targetType: 'Invitation',
    targetId: invitation.id,
    data: { email: invitation.email, role: invitation.role, ...data },
  });
}

const InviteMemberInput = z.object({
  organizationId: z.string(),
  email: fields.email,
  role: z.enum(MemberRole),
});

export async function inviteMember(
  ctx: Context,
  input: z.input<typeof InviteMemberInput>,
): Promise<Invitation> {
  const viewer = requireViewer(ctx);
  await assertOrgAction(ctx, input.organizationId, 'member:invite');
  const data = parseInput(InviteMemberInput, input);
  const { token, tokenHash, expiresAt } = newInvitationToken();
  const { invitation, org } = await ctx.em.transactional(async (em) => {
    const org = await lockOrganization(em, data.organizationId);
    await assertInvitable(em, org.id, data.email, 'email');
    // Expired invitations to the same email are closed, so at most one is ever open.
    await em.nativeUpdate(
      Invitation,
      {
        organization: org.id,
        email: data.email,
        status: InvitationStatus.PENDING,
        expiresAt: { $lte: new Date() },
      },
      { status: InvitationStatus.EXPIRED },
    );
    const invitation = new Invitation(
      em.getReference(Organization, org.id, { wrapped: true }),
      data.email,
      data.role,
      em.getReference(User, viewer.user.id, { wrapped: true }),
      tokenHash,
      expiresAt,
    );
    invitation.lastSentAt = new Date();
    em.persist(invitation);
    auditInvitation(em, ctx, 'invitation.create', invitation);
    await mailInvitation(em, ctx, invitation, org, token);
    return { invitation, org };
  });
  forgetOrgMembers(ctx, org.id);
  return invitation;
}

const InvitationIdInput = z.object({ invitationId: z.string() });

/**
 * The invitation, for an admin of its organization (NOT_FOUND for anyone outside it), read again
 * under the organization's lock. One no longer open (pending or expired) is BAD_USER_INPUT on
 * `invitationId`, with the message `closedMessage` makes of its status.
 */
async function openInvitationForAdmin(
  ctx: Context,
  em: EntityManager,
  invitationId: string,
  closedMessage: (status: string) => string,
): Promise<{ invitation: Invitation; org: Organization }> {
  const found = await em.findOne(Invitation, { id: invitationId });
  if (!found) throw notFound('Invitation', 'invitationId');
  await assertOrgActionOn(
    ctx,
    found.organization.id,
    'member:invite',
    'Invitation',
    'invitationId',
  );
  const org = await lockOrganization(em, found.organization.id);
  const invitation = await em.findOneOrFail(Invitation, { id: found.id }, { refresh: true });
  const status = invitationStatus(invitation);
  if (status !== InvitationStatus.PENDING && status !== InvitationStatus.EXPIRED) {
    throw badInput('invitationId', closedMessage(status.toLowerCase()));
  }
  return { invitation, org };
}

export async function resendInvitation(
  ctx: Context,
  input: z.input<typeof InvitationIdInput>,
): Promise<Invitation> {
  const data = parseInput(InvitationIdInput, input);
  const { token, tokenHash, expiresAt } = newInvitationToken();
  const { invitation, org } = await ctx.em.transactional(async (em) => {
    const { invitation, org } = await openInvitationForAdmin(
      ctx,
      em,
      data.invitationId,
      (status) => `This invitation was ${status}; invite the person again instead.`,
    );
    await assertInvitable(em, org.id, invitation.email, 'invitationId', invitation.id);
    invitation.tokenHash = tokenHash;
    invitation.expiresAt = expiresAt;
    invitation.status = InvitationStatus.PENDING;
    invitation.lastSentAt = new Date();
    auditInvitation(em, ctx, 'invitation.resend', invitation);
    await mailInvitation(em, ctx, invitation, org, token);
    return { invitation, org };
  });
  forgetOrgMembers(ctx, org.id);
  return invitation;
}

export async function revokeInvitation(
  ctx: Context,
  input: z.input<typeof InvitationIdInput>,
): Promise<Invitation> {
  const data = parseInput(InvitationIdInput, input);
  const invitation = await ctx.em.transactional(async (em) => {
    const { invitation } = await openInvitationForAdmin(
      ctx,
      em,
      data.invitationId,
      (status) => `This invitation was already ${status}.`,
    );
    invitation.status = InvitationStatus.REVOKED;
    auditInvitation(em, ctx, 'invitation.revoke', invitation);
    return invitation;
  });
  forgetOrgMembers(ctx, invitation.organization.id);
  return invitation;
}

async function findByToken(em: EntityManager, token: string): Promise<Invitation | null> {
  if (!hasValidChecksum(token, INVITATION_TOKEN_PREFIX)) return null;
  return em.findOne(Invitation, { tokenHash: sha256(token) });
}

/** What the landing page of an invitation link shows; null for an unknown link. */
export async function invitationPreview(
  ctx: Context,
  token: string,
): Promise<InvitationPreview | null> {
  const invitation = await findByToken(ctx.em, token.trim());
  if (!invitation) return null;
  const [org, invitedBy] = await Promise.all([
    orgLoaders(ctx).organizationById.load(invitation.organization.id),
    invitation.invitedBy ? accountLoaders(ctx).userById.load(invitation.invitedBy.id) : null,
  ]);
  if (!org) return null;
  return {
    organizationName: org.name,
    email: invitation.email,
    role: invitation.role,
    status: invitationStatus(invitation),
    invitedByName: invitedBy?.name ?? null,
    expiresAt: invitation.expiresAt,
  };
}

const TokenInput = z.object({ token: z.string().trim().min(1, 'The token is required.') });

/**
 * The open invitation for this token, addressed to the viewer. Someone else's invitation is
 * FORBIDDEN; one that is no longer open is BAD_USER_INPUT on `token`.
 */
async function openInvitationForViewer(
  ctx: Context,
  em: EntityManager,
  token: string,
): Promise<Invitation> {
  const viewer = requireViewer(ctx);
  const found = await findByToken(em, token);
  if (!found) throw notFound('Invitation', 'token');
  if (found.email.toLowerCase() !== viewer.user.email.toLowerCase()) {
    throw forbidden(
      'This invitation was sent to another email address. Sign in with that address to answer it.',
    );
  }
  await lockOrganization(em, found.organization.id);
  const invitation = await em.findOneOrFail(Invitation, { id: found.id }, { refresh: true });
  const status = invitationStatus(invitation);
  if (status !== InvitationStatus.PENDING) {
    throw badInput('token', `This invitation has ${describeClosed(status)}.`);
  }
  return invitation;
}

function describeClosed(status: InvitationStatus): string {
  switch (status) {
    case InvitationStatus.EXPIRED:
      return 'expired; ask an admin to send it again';
    case InvitationStatus.REVOKED:
      return 'been revoked';
    case InvitationStatus.ACCEPTED:
      return 'already been accepted';
    case InvitationStatus.DECLINED:
      return 'been declined';
    default:
      return 'closed';
  }
}

export async function acceptInvitation(
  ctx: Context,
  input: z.input<typeof TokenInput>,
): Promise<{ membership: Membership; organization: Organization }> {
  const viewer = requireViewer(ctx);
  const data = parseInput(TokenInput, input);
  const result = await ctx.em.transactional(async (em) => {
    const invitation = await openInvitationForViewer(ctx, em, data.token);
    const orgId = invitation.organization.id;
    if (await em.count(Membership, { organization: orgId, user: viewer.user.id })) {
      throw conflict('token', 'You are already a member of this organization.');
    }
    const membership = new Membership(
      em.getReference(Organization, orgId, { wrapped: true }),
      em.getReference(User, viewer.user.id, { wrapped: true }),
      invitation.role,
    );
    em.persist(membership);
    invitation.status = InvitationStatus.ACCEPTED;
    invitation.respondedAt = new Date();
    auditInvitation(em, ctx, 'invitation.accept', invitation, { membershipId: membership.id });
    await publish(em, 'invitation.accepted', {
      subjectId: invitation.id,
      organizationId: orgId,
      memberId: viewer.user.id,
      role: invitation.role,
    });
    return { membership, organization: await em.findOneOrFail(Organization, { id: orgId }) };
  });
  forgetOrgMembers(ctx, result.organization.id);
  return result;
}

export async function declineInvitation(
  ctx: Context,
  input: z.input<typeof TokenInput>,
): Promise<Invitation> {
  const data = parseInput(TokenInput, input);
  const invitation = await ctx.em.transactional(async (em) => {
    const invitation = await openInvitationForViewer(ctx, em, data.token);
    invitation.status = InvitationStatus.DECLINED;
    invitation.respondedAt = new Date();
    auditInvitation(em, ctx, 'invitation.decline', invitation);
    return invitation;
  });
  forgetOrgMembers(ctx, invitation.organization.id);
  return invitation;
}
