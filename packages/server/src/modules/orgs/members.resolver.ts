import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { notFound } from '../../errors.js';
import { User } from '../accounts/accounts.entity.js';
import { changeMemberRole, leaveOrganization, removeMember } from './members.service.js';
import { Membership, Organization } from './orgs.entity.js';
import {
  ChangeMemberRoleInput,
  ChangeMemberRolePayload,
  LeaveOrganizationInput,
  LeaveOrganizationPayload,
  RemoveMemberInput,
  RemoveMemberPayload,
} from './orgs.types.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';
import { orgLoaders } from './orgs.loaders.js';
import { loadReference } from '../../db/references.js';

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => User, { description: 'The member.' })
  async user(@Root() membership: Membership, @Ctx() ctx: Context): Promise<User> {
    // Team lists load the members' users with the memberships: no query then.
    const user = await loadReference(membership.user, accountLoaders(ctx).userById);
    if (!user) throw notFound('User');
    return user;
  }

  @FieldResolver(() => Organization, { description: 'The organization.' })
  async organization(@Root() membership: Membership, @Ctx() ctx: Context): Promise<Organization> {
    const org = await orgLoaders(ctx).organizationById.load(membership.organization.id);
    if (!org) throw notFound('Organization');
    return org;
  }

  @Access('SIGNED_IN')
  @Mutation(() => ChangeMemberRolePayload, {
    description: 'Makes a member an admin or a developer (admins); the last admin stays admin.',
  })
  async changeMemberRole(
    @Arg('input', { description: 'The membership and its new role.' }) input: ChangeMemberRoleInput,
    @Ctx() ctx: Context,
  ): Promise<ChangeMemberRolePayload> {
    return { membership: await changeMemberRole(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => RemoveMemberPayload, {
    description: 'Removes a member (admins); the apps they own move to you.',
  })
  async removeMember(
    @Arg('input', { description: 'The membership to end.' }) input: RemoveMemberInput,
    @Ctx() ctx: Context,
  ): Promise<RemoveMemberPayload> {
    return removeMember(ctx, input);
  }

  @Access('SIGNED_IN')
  @Mutation(() => LeaveOrganizationPayload, {
    description: 'Leaves an organization; the apps you own move to its longest-standing admin.',
  })
  async leaveOrganization(
    @Arg('input', { description: 'The organization to leave.' }) input: LeaveOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<LeaveOrganizationPayload> {
    return { organizationId: await leaveOrganization(ctx, input) };
  }
}
