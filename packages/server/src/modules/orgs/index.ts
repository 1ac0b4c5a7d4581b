import { assertOrgAction } from './orgs.access.js';
import { registerNodeFinder } from '../../graphql/node.service.js';
import { InvitationResolver } from './invitations.resolver.js';
import { MembershipResolver } from './members.resolver.js';
import { Invitation, Membership } from './orgs.entity.js';
import { OrganizationResolver, UserOrganizationsResolver } from './orgs.resolver.js';
import { orgLoaders } from './orgs.loaders.js';

registerNodeFinder('org', async (ctx, id) => {
  await assertOrgAction(ctx, id, 'org:read');
  return orgLoaders(ctx).organizationById.load(id);
});

registerNodeFinder('mem', async (ctx, id) => {
  const membership = await ctx.em.findOne(Membership, { id });
  if (!membership) return null;
  await assertOrgAction(ctx, membership.organization.id, 'member:read');
  return membership;
});

registerNodeFinder('inv', async (ctx, id) => {
  const invitation = await ctx.em.findOne(Invitation, { id });
  if (!invitation) return null;
  await assertOrgAction(ctx, invitation.organization.id, 'member:read');
  return invitation;
});

export const orgsResolvers: Function[] = [
  OrganizationResolver,
  UserOrganizationsResolver,
  MembershipResolver,
  InvitationResolver,
];
