import { Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../accounts/accounts.entity.js';
import { Node } from '../../graphql/node.types.js';
import { TokenPolicy } from '../../auth/token-permissions.js';

export enum OrganizationKind {
  PERSONAL = 'PERSONAL',
  TEAM = 'TEAM',
}
registerEnumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: 'Whether an organization belongs to one person or to a team.',
  valuesConfig: {
    PERSONAL: { description: "One person's own organization." },
    TEAM: { description: 'A team organization; `createOrganization` makes these.' },
  },
});

export enum MemberRole {
  ADMIN = 'ADMIN',
  DEVELOPER = 'DEVELOPER',
}
registerEnumType(MemberRole, {
  name: 'MemberRole',
  description:
    'ADMIN manages everything in the organization; DEVELOPER creates apps and manages the apps they own.',
  valuesConfig: {
    ADMIN: { description: 'Manages the organization, its members, projects and every app.' },
    DEVELOPER: { description: 'Creates apps and manages the apps they own.' },
  },
});

export enum InvitationStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(InvitationStatus, {
  name: 'InvitationStatus',
  description: 'Where an invitation stands.',
  valuesConfig: {
    PENDING: { description: 'Sent and not yet answered; the link works until `expiresAt`.' },
    ACCEPTED: { description: 'The invitee joined the organization.' },
    DECLINED: { description: 'The invitee turned it down.' },
    EXPIRED: { description: 'Not answered before `expiresAt`; an admin may send it again.' },
    REVOKED: { description: 'An admin withdrew it; its link no longer works.' },
  },
});

@ObjectType({ implements: Node, description: 'A personal or team organization.' })
@Entity()
export class Organization extends BaseEntity {
  @Field({ description: "The organization's display name, 1 to 100 characters." })
  @Property({ type: 'text' })
  name: string;

  @Field({
    description:
      'A unique, URL-friendly name: lowercase letters, digits and dashes, at most 40 characters.',
  })
  @Property({ type: 'text', unique: true })
  slug: string;

  @Field(() => OrganizationKind, {
    description: 'Whether it is a personal or a team organization.',
  })
  @Enum({ items: () => OrganizationKind, nativeEnumName: 'organization_kind' })
  kind: OrganizationKind;

  @Field(() => Date, { nullable: true, description: 'When staff verified the organization.' })
  @Property({ type: 'timestamptz', nullable: true })
  verifiedAt: Date | null = null;

  @Field(() => TokenPolicy, {
    description: "What the organization's admins allow of personal access tokens.",
  })
  @Enum({ items: () => TokenPolicy, nativeEnumName: 'token_policy', default: TokenPolicy.ALLOW })
  tokenPolicy: TokenPolicy = TokenPolicy.ALLOW;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(name: string, slug: string, kind: OrganizationKind) {
    super('org');
    this.name = name;
    this.slug = slug;
    this.kind = kind;
  }
}

@ObjectType({ implements: Node, description: "A user's membership of an organization." })
@Entity()
@Unique({ properties: ['organization', 'user'] })
@Index({ properties: ['user'] })
export class Membership extends BaseEntity {
  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @Field(() => MemberRole, { description: "The member's role in the organization." })
  @Enum({ items: () => MemberRole, nativeEnumName: 'member_role' })
  role: MemberRole;

  constructor(organization: Ref<Organization>, user: Ref<User>, role: MemberRole) {
    super('mem');
    this.organization = organization;
    this.user = user;
    this.role = role;
  }
}

@ObjectType({ implements: Node, description: 'An invitation to join an organization, by email.' })
@Entity()
@Index({ properties: ['organization', 'createdAt'] })
@Index({ properties: ['email'] })
export class Invitation extends BaseEntity {
  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @Field({
    description: 'The email address the invitation was sent to; only its owner may accept it.',
  })
  @Property({ type: 'text' })
  email: string;

  @Field(() => MemberRole, { description: 'The role the invitee gets on accepting.' })
  @Enum({ items: () => MemberRole, nativeEnumName: 'member_role' })
  role: MemberRole;

  @Enum({ items: () => InvitationStatus, nativeEnumName: 'invitation_status' })
  status: InvitationStatus = InvitationStatus.PENDING;

  @ManyToOne(() => User, { ref: true, deleteRule: 'set null', nullable: true })
  invitedBy: Ref<User> | null;

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash: string;

  @Field({
    description: 'Until when the emailed link works; sending the invitation again gives a new one.',
  })
  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the invitee accepted or declined it; null while unanswered.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  respondedAt: Date | null = null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the invitation email was last sent (at first or again); null when not recorded.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastSentAt: Date | null = null;

  constructor(
    organization: Ref<Organization>,
    email: string,
    role: MemberRole,
    invitedBy: Ref<User> | null,
    tokenHash: string,
    expiresAt: Date,
  ) {
    super('inv');
    this.organization = organization;
    this.email = email;
    this.role = role;
    this.invitedBy = invitedBy;
    this.tokenHash = tokenHash;
    this.expiresAt = expiresAt;
  }
}
