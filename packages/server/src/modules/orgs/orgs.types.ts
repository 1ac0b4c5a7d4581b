import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection.js';
import {
  Invitation,
  InvitationStatus,
  MemberRole,
  Membership,
  Organization,
} from './orgs.entity.js';

@InputType({ description: 'A new team organization.' })
export class CreateOrganizationInput {
  @Field({ description: "The organization's name, 1 to 100 characters; its slug is made from it." })
  name!: string;
}

@ObjectType({ description: 'The result of `createOrganization`.' })
export class CreateOrganizationPayload {
  @Field(() => Organization, { description: 'The new organization, with you as its admin.' })
  organization!: Organization;
}

@InputType({ description: 'The organization to rename, and its new name and slug.' })
export class UpdateOrganizationInput {
  @Field(() => ID, { description: 'The organization to change; you must be one of its admins.' })
  organizationId!: string;

  @Field({ description: 'The new name, 1 to 100 characters.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A new slug (lowercase letters, digits and dashes); unchanged when omitted.',
  })
  slug?: string | null;
}

@ObjectType({ description: 'The result of `updateOrganization`.' })
export class UpdateOrganizationPayload {
  @Field(() => Organization, { description: 'The organization as it is now.' })
  organization!: Organization;
}

@InputType({ description: 'Whom to invite to an organization, and with which role.' })
export class InviteMemberInput {
  @Field(() => ID, { description: 'The organization to invite to; you must be one of its admins.' })
  organizationId!: string;

  @Field({ description: 'The email address to send the invitation to.' })
  email!: string;

  @Field(() => MemberRole, { description: 'The role the invitee gets on accepting.' })
  role!: MemberRole;
}

@ObjectType({ description: 'The result of `inviteMember`.' })
export class InviteMemberPayload {
  @Field(() => Invitation, {
    description: 'The invitation, PENDING; its link is in the email only.',
  })
  invitation!: Invitation;
}

@InputType({ description: 'The invitation to send again.' })
export class ResendInvitationInput {
  @Field(() => ID, { description: 'A PENDING or EXPIRED invitation.' })
  invitationId!: string;
}

@ObjectType({ description: 'The result of `resendInvitation`.' })
export class ResendInvitationPayload {
  @Field(() => Invitation, {
    description: 'The invitation, PENDING again with a new link and expiry.',
  })
  invitation!: Invitation;
}

@InputType({ description: 'The invitation to withdraw.' })
export class RevokeInvitationInput {
  @Field(() => ID, { description: 'An open invitation.' })
  invitationId!: string;
}

@ObjectType({ description: 'The result of `revokeInvitation`.' })
export class RevokeInvitationPayload {
  @Field(() => Invitation, { description: 'The invitation, now REVOKED.' })
  invitation!: Invitation;
}

@ObjectType({ description: 'What the invitation landing page shows, to anyone holding the link.' })
export class InvitationPreview {
  @Field({ description: 'The name of the organization it invites to.' })
  organizationName!: string;

  @Field({ description: 'The email address it was sent to; only that account may accept it.' })
  email!: string;

  @Field(() => MemberRole, { description: 'The role the invitee gets on accepting.' })
  role!: MemberRole;

  @Field(() => InvitationStatus, {
    description: 'Whether it can still be answered (PENDING) or why not.',
  })
  status!: InvitationStatus;

  @Field(() => String, {
    nullable: true,
    description: 'The name of who sent it; null when their account is gone.',
  })
  invitedByName!: string | null;

  @Field({ description: 'Until when the link works.' })
  expiresAt!: Date;
}

@InputType({ description: 'The invitation to accept.' })
export class AcceptInvitationInput {
  @Field({ description: 'The token from the invitation link (`pti_…`).' })
  token!: string;
}

@ObjectType({ description: 'The result of `acceptInvitation`.' })
export class AcceptInvitationPayload {
  @Field(() => Membership, { description: 'Your new membership.' })
  membership!: Membership;

  @Field(() => Organization, { description: 'The organization you joined.' })
  organization!: Organization;
}

@InputType({ description: 'The invitation to turn down.' })
export class DeclineInvitationInput {
  @Field({ description: 'The token from the invitation link (`pti_…`).' })
  token!: string;
}

@ObjectType({ description: 'The result of `declineInvitation`.' })
export class DeclineInvitationPayload {
  @Field(() => Invitation, { description: 'The invitation, now DECLINED.' })
  invitation!: Invitation;
}

@InputType({ description: 'The membership and its new role.' })
export class ChangeMemberRoleInput {
  @Field(() => ID, { description: 'The membership to change.' })
  membershipId!: string;

  @Field(() => MemberRole, { description: 'The new role.' })
  role!: MemberRole;
}

@ObjectType({ description: 'The result of `changeMemberRole`.' })
export class ChangeMemberRolePayload {
  @Field(() => Membership, { description: 'The membership with its new role.' })
  membership!: Membership;
}

@InputType({ description: 'The membership to end.' })
export class RemoveMemberInput {
  @Field(() => ID, {
    description: 'The membership to end; you must be an admin of its organization.',
  })
  membershipId!: string;
}

@ObjectType({ description: 'The result of `removeMember`.' })
export class RemoveMemberPayload {
  @Field(() => Organization, { description: 'The organization, without the member.' })
  organization!: Organization;

  @Field(() => ID, { description: 'The id of the ended membership.' })
  removedMembershipId!: string;
}

@InputType({ description: 'The organization to leave.' })
export class LeaveOrganizationInput {
  @Field(() => ID, { description: 'The organization to leave.' })
  organizationId!: string;
}

@ObjectType({ description: 'The result of `leaveOrganization`.' })
export class LeaveOrganizationPayload {
  @Field(() => ID, { description: 'The organization you left.' })
  organizationId!: string;
}

/** A page of an organization's members, oldest first. */
export const MembershipConnection = ConnectionType(Membership, 'Membership');
export type MembershipConnection = InstanceType<typeof MembershipConnection>;

/** A page of an organization's invitations, newest first. */
export const InvitationConnection = ConnectionType(Invitation, 'Invitation');
export type InvitationConnection = InstanceType<typeof InvitationConnection>;
