import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection.js';
import {
  Invitation,
  InvitationStatus,
  MemberRole,
  Membership,
  Organization,
} from './orgs.entity.js';

@InputType()
export class CreateOrganizationInput {
  @Field()
  name!: string;
}

@ObjectType()
export class CreateOrganizationPayload {
  @Field(() => Organization)
  organization!: Organization;
}

@InputType()
export class UpdateOrganizationInput {
  @Field(() => ID)
  organizationId!: string;

  @Field()
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A new slug (lowercase letters, digits and dashes); unchanged when omitted.',
  })
  slug?: string | null;
}

@ObjectType()
export class UpdateOrganizationPayload {
  @Field(() => Organization)
  organization!: Organization;
}

@InputType()
export class InviteMemberInput {
  @Field(() => ID)
  organizationId!: string;

  @Field()
  email!: string;

  @Field(() => MemberRole)
  role!: MemberRole;
}

@ObjectType()
export class InviteMemberPayload {
  @Field(() => Invitation)
  invitation!: Invitation;
}

@InputType()
export class ResendInvitationInput {
  @Field(() => ID)
  invitationId!: string;
}

@ObjectType()
export class ResendInvitationPayload {
  @Field(() => Invitation)
  invitation!: Invitation;
}

@InputType()
export class RevokeInvitationInput {
  @Field(() => ID)
  invitationId!: string;
}

@ObjectType()
export class RevokeInvitationPayload {
  @Field(() => Invitation)
  invitation!: Invitation;
}

@ObjectType({ description: 'What the invitation landing page shows, to anyone holding the link.' })
export class InvitationPreview {
  @Field()
  organizationName!: string;

  @Field()
  email!: string;

  @Field(() => MemberRole)
  role!: MemberRole;

  @Field(() => InvitationStatus)
  status!: InvitationStatus;

  @Field(() => String, { nullable: true })
  invitedByName!: string | null;

  @Field()
  expiresAt!: Date;
}

@InputType()
export class AcceptInvitationInput {
  @Field()
  token!: string;
}

@ObjectType()
export class AcceptInvitationPayload {
  @Field(() => Membership)
  membership!: Membership;

  @Field(() => Organization)
  organization!: Organization;
}

@InputType()
export class DeclineInvitationInput {
  @Field()
  token!: string;
}

@ObjectType()
export class DeclineInvitationPayload {
  @Field(() => Invitation)
  invitation!: Invitation;
}

@InputType()
export class ChangeMemberRoleInput {
  @Field(() => ID)
  membershipId!: string;

  @Field(() => MemberRole)
  role!: MemberRole;
}

@ObjectType()
export class ChangeMemberRolePayload {
  @Field(() => Membership)
  membership!: Membership;
}

@InputType()
export class RemoveMemberInput {
  @Field(() => ID)
  membershipId!: string;
}

@ObjectType()
export class RemoveMemberPayload {
  @Field(() => Organization)
  organization!: Organization;

  @Field(() => ID)
  removedMembershipId!: string;
}

@InputType()
export class LeaveOrganizationInput {
  @Field(() => ID)
  organizationId!: string;
}

@ObjectType()
export class LeaveOrganizationPayload {
  @Field(() => ID)
  organizationId!: string;
}

/** A page of an organization's members, oldest first. */
export const MembershipConnection = ConnectionType(Membership, 'Membership');
export type MembershipConnection = InstanceType<typeof MembershipConnection>;

/** A page of an organization's invitations, newest first. */
export const InvitationConnection = ConnectionType(Invitation, 'Invitation');
export type InvitationConnection = InstanceType<typeof InvitationConnection>;
