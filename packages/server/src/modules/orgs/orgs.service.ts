import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction } from './orgs.access.js';
import type { Context } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { paginate, type Connection, type PageArgs } from '../../graphql/connection.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { User } from '../accounts/accounts.entity.js';
import { recordAudit } from '../../audit/record.js';
import { invitationStatus } from './invitations.service.js';
import { assertOrgActionOn, lockOrganization } from './orgs.access.js';
import { orgLoaders } from './orgs.loaders.js';
import {
  Invitation,
  InvitationStatus,
  MemberRole,
  Membership,
  Organization,
  OrganizationKind,
} from './orgs.entity.js';
import { mappingConstraintErrors, violatedConstraint } from '../../db/constraints.js';

const SLUG_CONSTRAINT = 'organization_slug_unique';
const slugTaken = () => conflict('slug', 'Another organization already uses this slug.');

const SLUG_MAX = 40;
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** A URL-friendly slug from a name: "Acme Ünïcorns, Inc." → "acme-unicorns-inc". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
  return slug || 'org';
}

/** `base`, or `base-2`, `base-3`… whichever is free first. */
async function uniqueSlug(em: EntityManager, base: string): Promise<string> {
  const taken = new Set(
    (
      await em.find(
        Organization,
        { slug: { $re: `^${base}(-[0-9]+)?$` } },
        { fields: ['slug'], disableIdentityMap: true },
      )
    ).map((org) => org.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The organizations the user belongs to; only the viewer's own are visible. */
export async function organizationsOf(ctx: Context, user: User): Promise<Organization[]> {
  if (ctx.viewer?.user.id !== user.id) return [];
  const memberships = await orgLoaders(ctx).membershipsByUser.load(user.id);
  return memberships.map((membership) => membership.organization.getEntity());
}

export async function getOrganization(ctx: Context, id: string): Promise<Organization> {
  await assertOrgActionOn(ctx, id, 'org:read', 'Organization', 'id');
  const org = await orgLoaders(ctx).organizationById.load(id);
  if (!org) throw notFound('Organization', 'id');
  return org;
}

export async function viewerRole(ctx: Context, org: Organization): Promise<MemberRole | null> {
  const membership = await orgLoaders(ctx).viewerMembershipByOrg.load(org.id);
  return membership?.role ?? null;
}

export async function organizationMembers(ctx: Context, org: Organization): Promise<Membership[]> {
  await assertOrgAction(ctx, org.id, 'member:read');
  return orgLoaders(ctx).membershipsByOrg.load(org.id);
}

export async function organizationInvitations(
  ctx: Context,
  org: Organization,
  status: InvitationStatus | null | undefined,
): Promise<Invitation[]> {
  await assertOrgAction(ctx, org.id, 'member:read');
  const invitations = await orgLoaders(ctx).invitationsByOrg.load(org.id);
  if (!status) return invitations;
  const now = new Date();
  return invitations.filter((invitation) => invitationStatus(invitation, now) === status);
}

/** One page of the organization's members, oldest first, with their total. */
export async function organizationMembersPage(
  ctx: Context,
  org: Organization,
  args: PageArgs,
): Promise<Connection<Membership>> {
  await assertOrgAction(ctx, org.id, 'member:read');
  return paginate(ctx.em, Membership, { organization: org.id }, args, 'asc');
}

/** Invitations in `status` (an expired one is still PENDING in its row, past its expiry). */
function invitationsIn(status: InvitationStatus, now: Date): FilterQuery<Invitation> {
  if (status === InvitationStatus.PENDING) {
    return { status: InvitationStatus.PENDING, expiresAt: { $gt: now } };
  }
  if (status === InvitationStatus.EXPIRED) {
    return {
      $or: [
        { status: InvitationStatus.EXPIRED },
        { status: InvitationStatus.PENDING, expiresAt: { $lte: now } },
      ],
    };
  }
  return { status };
}

/** One page of the organization's invitations (maybe of one status), newest first. */
export async function organizationInvitationsPage(
  ctx: Context,
  org: Organization,
  status: InvitationStatus | null | undefined,
  args: PageArgs,
): Promise<Connection<Invitation>> {
  await assertOrgAction(ctx, org.id, 'member:read');
  const where: FilterQuery<Invitation> = status
    ? { $and: [{ organization: org.id }, invitationsIn(status, new Date())] }
    : { organization: org.id };
  return paginate(ctx.em, Invitation, where, args, 'desc');
}

const CreateOrganizationInput = z.object({ name: fields.name('Name') });

export async function createOrganization(
  ctx: Context,
  input: z.input<typeof CreateOrganizationInput>,
): Promise<Organization> {
  const viewer = requireViewer(ctx);
  const data = parseInput(CreateOrganizationInput, input);
  const base = slugify(data.name);
  // Two people creating "Acme" at once both pick `acme`; the loser retries with the next slug.
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.em.transactional(async (em) => {
        const org = new Organization(data.name, await uniqueSlug(em, base), OrganizationKind.TEAM);
        em.persist(org);
        const membership = new Membership(
          em.getReference(Organization, org.id, { wrapped: true }),
          em.getReference(User, viewer.user.id, { wrapped: true }),
          MemberRole.ADMIN,
        );
        em.persist(membership);
        recordAudit(em, ctx, {
          organizationId: org.id,
          action: 'organization.create',
          targetType: 'Organization',
          targetId: org.id,
          data: { name: org.name, slug: org.slug },
        });
        return org;
      });
    } catch (error) {
      // Two organizations made at once can draw the same slug: try another one.
      if (!violatedConstraint(error, [SLUG_CONSTRAINT]) || attempt >= 3) throw error;
    } finally {
      orgLoaders(ctx).membershipsByUser.clearAll();
    }
  }
}

const UpdateOrganizationInput = z.object({
  organizationId: z.string(),
  name: fields.name('Name'),
  slug: fields
    .line('Slug')
    .toLowerCase()
    .max(SLUG_MAX, `Slug must be at most ${SLUG_MAX} characters.`)
    .regex(SLUG_PATTERN, 'Use lowercase letters, digits and dashes, not at either end.')
    .nullish(),
});

export async function updateOrganization(
  ctx: Context,
  input: z.input<typeof UpdateOrganizationInput>,
): Promise<Organization> {
  await assertOrgAction(ctx, input.organizationId, 'org:update');
  const data = parseInput(UpdateOrganizationInput, input);
  try {
    return await mappingConstraintErrors({ [SLUG_CONSTRAINT]: slugTaken }, () =>
      ctx.em.transactional(async (em) => {
        const org = await lockOrganization(em, data.organizationId);
        const before = { name: org.name, slug: org.slug };
        if (data.slug && data.slug !== org.slug) {
          if (await em.count(Organization, { slug: data.slug, id: { $ne: org.id } })) {
            throw slugTaken();
          }
          org.slug = data.slug;
        }
        org.name = data.name;
        if (before.name !== org.name || before.slug !== org.slug) {
          recordAudit(em, ctx, {
            organizationId: org.id,
            action: 'organization.update',
            targetType: 'Organization',
            targetId: org.id,
            data: { before, after: { name: org.name, slug: org.slug } },
          });
        }
        return org;
      }),
    );
  } finally {
    orgLoaders(ctx).organizationById.clear(data.organizationId);
  }
}
