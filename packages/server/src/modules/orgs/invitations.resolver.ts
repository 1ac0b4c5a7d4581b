import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { notFound } from '../../errors.js';
import { User } from '../accounts/accounts.entity.js';
import {
  acceptInvitation,
  declineInvitation,
  invitationPreview,
  invitationStatus,
  inviteMember,
  resendInvitation,
  revokeInvitation,
} from './invitations.service.js';
import { Invitation, InvitationStatus, Organization } from './orgs.entity.js';
import {
  AcceptInvitationInput,
  AcceptInvitationPayload,
  DeclineInvitationInput,
  DeclineInvitationPayload,
  InvitationPreview,
  InviteMemberInput,
  InviteMemberPayload,
  ResendInvitationInput,
  ResendInvitationPayload,
  RevokeInvitationInput,
  RevokeInvitationPayload,
} from './orgs.types.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';
import { orgLoaders } from './orgs.loaders.js';

@Resolver(() => Invitation)
export class InvitationResolver {
  @FieldResolver(() => InvitationStatus, {
    description: 'PENDING until answered; EXPIRED once past `expiresAt` without an answer.',
  })
  status(@Root() invitation: Invitation): InvitationStatus {
    return invitationStatus(invitation);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who sent it, if still around.' })
  async invitedBy(@Root() invitation: Invitation, @Ctx() ctx: Context): Promise<User | null> {
    return invitation.invitedBy ? accountLoaders(ctx).userById.load(invitation.invitedBy.id) : null;
  }

  @FieldResolver(() => Organization, { description: 'The organization it invites to.' })
  async organization(@Root() invitation: Invitation, @Ctx() ctx: Context): Promise<Organization> {
    const org = await orgLoaders(ctx).organizationById.load(invitation.organization.id);
    if (!org) throw notFound('Organization');
    return org;
  }

  @Access('PUBLIC')
  @Query(() => InvitationPreview, {
    nullable: true,
    description: 'The invitation behind an emailed link, for its landing page; null if unknown.',
  })
  async invitationByToken(
    @Arg('token', { description: 'The token from the invitation link (`pti_…`).' }) token: string,
    @Ctx() ctx: Context,
  ): Promise<InvitationPreview | null> {
    return invitationPreview(ctx, token);
  }

  @Access('SIGNED_IN')
  @Mutation(() => InviteMemberPayload, {
    description: 'Invites someone by email (admins); the link in the mail is valid for 7 days.',
  })
  async inviteMember(
    @Arg('input', { description: 'Whom to invite, and with which role.' }) input: InviteMemberInput,
    @Ctx() ctx: Context,
  ): Promise<InviteMemberPayload> {
    return { invitation: await inviteMember(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => ResendInvitationPayload, {
    description: 'Sends a pending or expired invitation again with a new link and expiry.',
  })
  async resendInvitation(
    @Arg('input', { description: 'The invitation to send again.' }) input: ResendInvitationInput,
    @Ctx() ctx: Context,
  ): Promise<ResendInvitationPayload> {
    return { invitation: await resendInvitation(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => RevokeInvitationPayload, { description: 'Withdraws an open invitation.' })
  async revokeInvitation(
    @Arg('input', { description: 'The invitation to withdraw.' }) input: RevokeInvitationInput,
    @Ctx() ctx: Context,
  ): Promise<RevokeInvitationPayload> {
    return { invitation: await revokeInvitation(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => AcceptInvitationPayload, {
    description: 'Joins the organization; the invitation must be addressed to your email.',
  })
  async acceptInvitation(
    @Arg('input', { description: 'The invitation token.' }) input: AcceptInvitationInput,
    @Ctx() ctx: Context,
  ): Promise<AcceptInvitationPayload> {
    return acceptInvitation(ctx, input);
  }

  @Access('SIGNED_IN')
  @Mutation(() => DeclineInvitationPayload, {
    description: 'Turns the invitation down; it must be addressed to your email.',
  })
  async declineInvitation(
    @Arg('input', { description: 'The invitation token.' }) input: DeclineInvitationInput,
    @Ctx() ctx: Context,
  ): Promise<DeclineInvitationPayload> {
    return { invitation: await declineInvitation(ctx, input) };
  }
}
