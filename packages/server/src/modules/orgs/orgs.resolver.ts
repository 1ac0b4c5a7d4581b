import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs } from '../../graphql/connection.js';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { User } from '../accounts/accounts.entity.js';
import {
  Invitation,
  InvitationStatus,
  MemberRole,
  Membership,
  Organization,
} from './orgs.entity.js';
import {
  createOrganization,
  getOrganization,
  organizationInvitations,
  organizationInvitationsPage,
  organizationMembers,
  organizationMembersPage,
  organizationsOf,
  updateOrganization,
  viewerRole,
} from './orgs.service.js';
import {
  CreateOrganizationInput,
  CreateOrganizationPayload,
  InvitationConnection,
  MembershipConnection,
  UpdateOrganizationInput,
  UpdateOrganizationPayload,
} from './orgs.types.js';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Access('SIGNED_IN')
  @Query(() => Organization, {
    nullable: true,
    description: 'An organization you belong to (staff: any); NOT_FOUND otherwise.',
  })
  async organization(
    @Arg('id', () => ID, { description: "The organization's id." }) id: string,
    @Ctx() ctx: Context,
  ): Promise<Organization> {
    return getOrganization(ctx, id);
  }

  @Access('SIGNED_IN')
  @Mutation(() => CreateOrganizationPayload, {
    description: 'Creates a team organization with you as its admin.',
  })
  async createOrganization(
    @Arg('input', { description: 'The new organization.' }) input: CreateOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<CreateOrganizationPayload> {
    return { organization: await createOrganization(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => UpdateOrganizationPayload, { description: 'Renames an organization (admins).' })
  async updateOrganization(
    @Arg('input', { description: 'The organization and its new name.' })
    input: UpdateOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateOrganizationPayload> {
    return { organization: await updateOrganization(ctx, input) };
  }

  @FieldResolver(() => MemberRole, {
    nullable: true,
    description: 'Your role here; null when you are staff looking in without being a member.',
  })
  async viewerRole(@Root() org: Organization, @Ctx() ctx: Context): Promise<MemberRole | null> {
    return viewerRole(ctx, org);
  }

  @FieldResolver(() => [Membership], {
    description: 'Members, oldest first.',
    deprecationReason: 'Use membersConnection: a page at a time, with totalCount.',
  })
  async members(@Root() org: Organization, @Ctx() ctx: Context): Promise<Membership[]> {
    return organizationMembers(ctx, org);
  }

  @FieldResolver(() => MembershipConnection, {
    description: 'Members, oldest first, a page at a time, with their total.',
  })
  async membersConnection(
    @Root() org: Organization,
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<MembershipConnection> {
    return organizationMembersPage(ctx, org, page);
  }

  @FieldResolver(() => InvitationConnection, {
    description:
      'Invitations, newest first, a page at a time, with their total; of one status if given.',
  })
  async invitationsConnection(
    @Root() org: Organization,
    @Arg('status', () => InvitationStatus, {
      nullable: true,
      description: 'Only invitations in this status (EXPIRED: pending ones past their expiry too).',
    })
    status: InvitationStatus | null,
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<InvitationConnection> {
    return organizationInvitationsPage(ctx, org, status, page);
  }

  @FieldResolver(() => [Invitation], {
    description: 'Invitations, newest first.',
    deprecationReason: 'Use invitationsConnection: a page at a time, with totalCount.',
  })
  async invitations(
    @Root() org: Organization,
    @Arg('status', () => InvitationStatus, {
      nullable: true,
      description: 'Only invitations with this status (as `status` shows it); all when null.',
    })
    status: InvitationStatus | null,
    @Ctx() ctx: Context,
  ): Promise<Invitation[]> {
    return organizationInvitations(ctx, org, status);
  }
}

@Resolver(() => User)
export class UserOrganizationsResolver {
  @FieldResolver(() => [Organization], {
    description: 'The organizations you belong to (empty for anyone but yourself).',
  })
  async organizations(@Root() user: User, @Ctx() ctx: Context): Promise<Organization[]> {
    return organizationsOf(ctx, user);
  }
}
