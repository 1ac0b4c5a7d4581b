import { LockMode } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { requireViewer } from '../../auth/permissions.js';
import { PlatformRole } from '../../auth/roles.js';
import {
  AREA_SCOPES,
  areaAllowed,
  TokenAccess,
  TokenArea,
  TokenPolicy,
  type TokenPermissions,
} from '../../auth/token-permissions.js';
import { generateToken, sha256 } from '../../crypto.js';
import { badInput, conflict, notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { publish } from '../../events/events.service.js';
import {
  PersonalAccessToken,
  PersonalAccessTokenKind,
  TokenApproval,
  User,
} from '../accounts/accounts.entity.js';
import {
  FINE_GRAINED_PAT_PREFIX,
  PersonalAccessTokenStatus,
  tokenStatus,
} from '../accounts/personal-access-tokens.js';
import { notify } from '../notifications/notifications.service.js';
import { assertOrgAction, assertOrgActionOn, lockOrganization } from '../orgs/orgs.access.js';
import { MemberRole, Membership, Organization } from '../orgs/orgs.entity.js';
import { forgetOrgMembers } from '../orgs/orgs.loaders.js';
import { TokenReviewDecision } from './tokens.types.js';
import { tokenRequestedNotice, tokenReviewedNotice } from './tokens.notices.js';

const DAY_MS = 86_400_000;
/** The longest a fine-grained token may live. */
export const MAX_TOKEN_DAYS = 365;

const CreateInput = z.object({
  name: fields.name('Name'),
  organizationId: z
    .string()
    .trim()
    .nullish()
    .transform((id) => id || null),
  permissions: z
    .array(z.object({ area: z.enum(TokenArea), level: z.enum(TokenAccess) }))
    .max(Object.keys(TokenArea).length, 'Give each area at most once.')
    .superRefine((permissions, ctx) => {
      const seen = new Set<TokenArea>();
      permissions.forEach((permission, i) => {
        if (seen.has(permission.area)) {
          ctx.addIssue({ code: 'custom', path: [i, 'area'], message: 'Give each area once.' });
        }
        seen.add(permission.area);
      });
      if (!permissions.some((permission) => permission.level !== TokenAccess.NONE)) {
        ctx.addIssue({ code: 'custom', message: 'Give the token READ or WRITE on an area.' });
      }
    }),
  expiresInDays: z
    .number({ message: 'A fine-grained token must expire: give 1 to 365 days.' })
    .int('Give a whole number of days.')
    .min(1, 'A token lasts at least 1 day.')
    .max(MAX_TOKEN_DAYS, `A token lasts at most ${MAX_TOKEN_DAYS} days.`),
});

/** Why an area cannot be given to a token bound to what it is bound to. */
function areaRefusal(area: TokenArea): string {
  return AREA_SCOPES[area] === 'account'
    ? `${area} is for tokens bound to your own account.`
    : `${area} is for staff members' tokens bound to their own account.`;
}

/**
 * Makes a fine-grained personal access token for the viewer, bound to one organization they
 * are a member of (or to their own account), with permissions per area and an expiry of 1 to
 * 365 days. The secret is returned here, once: only its SHA-256 and last four characters are
 * stored. An organization that forbids tokens refuses; one that requires approval gets a
 * PENDING token (its admins are told) unless the viewer is one of its admins.
 */
export async function createFineGrainedToken(
  ctx: Context,
  input: z.input<typeof CreateInput>,
): Promise<{ token: string; personalAccessToken: PersonalAccessToken }> {
  const viewer = requireViewer(ctx);
  const data = parseInput(CreateInput, input);
  const staffUser = viewer.user.platformRole === PlatformRole.STAFF;
  const permissions: Partial<Record<TokenArea, TokenAccess>> = {};
  data.permissions.forEach(({ area, level }, i) => {
    if (level === TokenAccess.NONE) return;
    if (!areaAllowed(area, data.organizationId, staffUser)) {
      throw badInput(`permissions.${i}.area`, areaRefusal(area));
    }
    permissions[area] = level;
  });
  const token = generateToken(FINE_GRAINED_PAT_PREFIX);
  const expiresAt = new Date(Date.now() + data.expiresInDays * DAY_MS);
  const personalAccessToken = await ctx.em.transactional(async (em) => {
    let organization: Organization | null = null;
    let approval = TokenApproval.NOT_REQUIRED;
    if (data.organizationId) {
      const membership = await assertOrgActionOn(
        ctx,
        data.organizationId,
        'org:read',
        'Organization',
        'organizationId',
      );
      if (!membership) throw notFound('Organization', 'organizationId');
      organization = await em.findOneOrFail(
        Organization,
        { id: data.organizationId },
        { lockMode: LockMode.PESSIMISTIC_READ, refresh: true },
      );
      if (organization.tokenPolicy === TokenPolicy.FORBID) {
        throw badInput(
          'organizationId',
          'This organization does not allow personal access tokens.',
        );
      }
      if (
        organization.tokenPolicy === TokenPolicy.REQUIRE_APPROVAL &&
        membership.role !== MemberRole.ADMIN
      ) {
        approval = TokenApproval.PENDING;
      }
    }
    const row = new PersonalAccessToken(
      em.getReference(User, viewer.user.id, { wrapped: true }),
      data.name,
      [],
      sha256(token),
      token.slice(-4),
      expiresAt,
    );
    row.kind = PersonalAccessTokenKind.FINE_GRAINED;
    row.organization = organization
      ? em.getReference(Organization, organization.id, { wrapped: true })
      : null;
    row.permissions = permissions satisfies TokenPermissions;
    row.approval = approval;
    em.persist(row);
    recordAudit(em, ctx, {
      organizationId: organization?.id ?? null,
      action: 'token.create',
      targetType: 'PersonalAccessToken',
      targetId: row.id,
      data: {
        name: row.name,
        kind: row.kind,
        organizationId: organization?.id ?? null,
        permissions,
        approval,
        expiresAt: expiresAt.toISOString(),
      },
    });
    if (organization && approval === TokenApproval.PENDING) {
      await publish(em, 'personal_access_token.requested', {
        subjectId: row.id,
        organizationId: organization.id,
        userId: viewer.user.id,
      });
      const admins = await em.find(
        Membership,
        { organization: organization.id, role: MemberRole.ADMIN },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      for (const admin of admins) {
        await notify(em, ctx, {
          userId: admin.user.id,
          ...tokenRequestedNotice(organization, viewer.user, row),
        });
      }
    }
    return row;
  });
  return { token, personalAccessToken };
}

const ReviewInput = z.object({
  tokenId: z.string().trim().min(1, 'The id is missing.'),
  decision: z.enum(TokenReviewDecision),
  reason: fields
    .optionalText('Reason', 500)
    .nullish()
    .transform((reason) => reason?.trim() || null),
});

/**
 * An organization admin approves a member's pending fine-grained token for the organization,
 * or refuses it; refusing a token that works withdraws its access at once (its sockets close).
 * The owner is told, in-app and by mail; every decision is audited.
 */
export async function reviewToken(
  ctx: Context,
  input: z.input<typeof ReviewInput>,
): Promise<PersonalAccessToken> {
  const viewer = requireViewer(ctx);
  const data = parseInput(ReviewInput, input);
  return ctx.em.transactional(async (em) => {
    const found = await em.findOne(PersonalAccessToken, {
      id: data.tokenId,
      kind: PersonalAccessTokenKind.FINE_GRAINED,
      organization: { $ne: null },
    });
    const organizationId = found?.organization?.id;
    if (!found || !organizationId) throw notFound('Personal access token', 'tokenId');
    await assertOrgActionOn(
      ctx,
      organizationId,
      'token:review',
      'Personal access token',
      'tokenId',
    );
    const row = await em.findOneOrFail(
      PersonalAccessToken,
      { id: found.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, populate: ['organization'] },
    );
    const organization = await em.findOneOrFail(Organization, { id: organizationId });
    const before = tokenStatus(row, new Date(), organization);
    const approve = data.decision === TokenReviewDecision.APPROVE;
    assertReviewable(before, approve);
    row.approval = approve ? TokenApproval.APPROVED : TokenApproval.REFUSED;
    row.reviewedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    row.reviewedAt = new Date();
    row.reviewReason = approve ? null : data.reason;
    recordAudit(em, ctx, {
      organizationId,
      action: approve ? 'token.approve' : 'token.refuse',
      targetType: 'PersonalAccessToken',
      targetId: row.id,
      data: {
        name: row.name,
        ownerId: row.user.id,
        wasActive: before === PersonalAccessTokenStatus.ACTIVE,
        reason: row.reviewReason,
      },
    });
    await publish(em, 'personal_access_token.reviewed', {
      subjectId: row.id,
      organizationId,
      userId: row.user.id,
      status: approve ? 'APPROVED' : 'REFUSED',
      decidedById: viewer.user.id,
    });
    if (!approve && before !== PersonalAccessTokenStatus.PENDING_APPROVAL) {
      // It may have signed in live streams: they end with it.
      await publish(em, 'personal_access_token.revoked', {
        subjectId: row.id,
        userId: row.user.id,
      });
    }
    await notify(em, ctx, {
      userId: row.user.id,
      ...tokenReviewedNotice(organization, row, approve),
    });
    return row;
  });
}

/** CONFLICT unless a token in status `status` may be approved (or refused). */
function assertReviewable(status: PersonalAccessTokenStatus, approve: boolean): void {
  if (status === PersonalAccessTokenStatus.PENDING_APPROVAL) return;
  if (approve) throw conflict('decision', 'Only a token waiting for approval can be approved.');
  if (status === PersonalAccessTokenStatus.ACTIVE || status === PersonalAccessTokenStatus.BLOCKED) {
    return;
  }
  throw conflict('decision', `This token is ${status.toLowerCase().replace('_', ' ')} already.`);
}

const PolicyInput = z.object({
  organizationId: z.string().trim().min(1, 'The id is missing.'),
  policy: z.enum(TokenPolicy),
});

/**
 * An organization's admins allow personal access tokens, require their approval of new
 * fine-grained ones, or forbid them: then the organization's fine-grained tokens stop working
 * and classic tokens lose access to its data, until tokens are allowed again. Every instance
 * ends the live streams that lost access (`organization.token_policy_changed`).
 */
export async function setTokenPolicy(
  ctx: Context,
  input: z.input<typeof PolicyInput>,
): Promise<Organization> {
  const data = parseInput(PolicyInput, input);
  await assertOrgAction(ctx, data.organizationId, 'token:policy');
  const organization = await ctx.em.transactional(async (em) => {
    const org = await lockOrganization(em, data.organizationId);
    if (org.tokenPolicy === data.policy) return org;
    const from = org.tokenPolicy;
    org.tokenPolicy = data.policy;
    recordAudit(em, ctx, {
      organizationId: org.id,
      action: 'organization.token_policy',
      targetType: 'Organization',
      targetId: org.id,
      data: { from, to: data.policy },
    });
    await publish(em, 'organization.token_policy_changed', {
      subjectId: org.id,
      organizationId: org.id,
      policy: data.policy,
    });
    return org;
  });
  forgetOrgMembers(ctx, organization.id);
  return organization;
}

/**
 * The fine-grained tokens bound to an organization, newest first, optionally of one status
 * (PENDING_APPROVAL: the requests waiting for its admins). Admins only.
 */
export async function organizationTokens(
  ctx: Context,
  organization: Organization,
  status: PersonalAccessTokenStatus | null | undefined,
): Promise<PersonalAccessToken[]> {
  await assertOrgAction(ctx, organization.id, 'token:review');
  const tokens = await ctx.em.find(
    PersonalAccessToken,
    {
      organization: organization.id,
      kind: PersonalAccessTokenKind.FINE_GRAINED,
      ...(status === PersonalAccessTokenStatus.PENDING_APPROVAL
        ? { approval: TokenApproval.PENDING, revokedAt: null }
        : {}),
    },
    { populate: ['organization'], orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  if (!status) return tokens;
  const now = new Date();
  return tokens.filter((token) => tokenStatus(token, now) === status);
}
