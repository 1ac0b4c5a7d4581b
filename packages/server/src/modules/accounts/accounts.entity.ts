import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Node } from '../../graphql/node.types.js';
import { PatScope, PlatformRole } from '../../auth/roles.js';
import type { TokenPermissions, TokenPolicy } from '../../auth/token-permissions.js';

export enum EmailTokenPurpose {
  VERIFY_EMAIL = 'VERIFY_EMAIL',
  RESET_PASSWORD = 'RESET_PASSWORD',
}

@ObjectType({ implements: Node, description: 'A person with an account.' })
@Entity({ tableName: 'users' })
export class User extends BaseEntity {
  @Field({ description: 'The email address the user signs in with, in lowercase.' })
  @Property({ type: 'text', unique: true })
  email: string;

  @Field({ description: 'The name the user goes by, 1 to 100 characters.' })
  @Property({ type: 'text' })
  name: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash: string;

  @Field(() => Date, {
    nullable: true,
    description: 'When the user verified their email address; null until then.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null = null;

  /**
   * When the account became usable: for a sign-up, when the link mailed to the address was
   * opened (or a password reset proved the address). Until then no password signs in, so
   * signing up tells nobody whether the address already had an account.
   */
  @Property({ type: 'timestamptz', nullable: true })
  activatedAt: Date | null = null;

  @Field(() => PlatformRole, { description: "The user's role on the platform." })
  @Enum({ items: () => PlatformRole, nativeEnumName: 'platform_role' })
  platformRole: PlatformRole = PlatformRole.DEVELOPER;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(email: string, name: string, passwordHash: string) {
    super('usr');
    this.email = email;
    this.name = name;
    this.passwordHash = passwordHash;
  }
}

@Entity()
export class Session extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash: string;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'text', nullable: true })
  userAgent: string | null = null;

  @Property({ type: 'text', nullable: true })
  ip: string | null = null;

  constructor(user: Ref<User>, tokenHash: string, expiresAt: Date) {
    super('ses');
    this.user = user;
    this.tokenHash = tokenHash;
    this.expiresAt = expiresAt;
  }
}

@Entity()
export class EmailToken extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @Enum({ items: () => EmailTokenPurpose, nativeEnumName: 'email_token_purpose' })
  purpose: EmailTokenPurpose;

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash: string;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  constructor(user: Ref<User>, purpose: EmailTokenPurpose, tokenHash: string, expiresAt: Date) {
    super('etk');
    this.user = user;
    this.purpose = purpose;
    this.tokenHash = tokenHash;
    this.expiresAt = expiresAt;
  }
}

export enum PersonalAccessTokenKind {
  CLASSIC = 'CLASSIC',
  FINE_GRAINED = 'FINE_GRAINED',
}
registerEnumType(PersonalAccessTokenKind, {
  name: 'PersonalAccessTokenKind',
  description:
    'FINE_GRAINED: bound to one organization or to your own account, with per-area permissions and an expiry. CLASSIC: the former READ / WRITE tokens, which work until they expire and can no longer be made.',
  valuesConfig: {
    CLASSIC: { description: 'A former READ / WRITE token: works until it expires.' },
    FINE_GRAINED: { description: 'Bound to one organization or account, with a level per area.' },
  },
});

/** Where a fine-grained token stands with its organization's admins. */
export enum TokenApproval {
  /** Bound to the user's own account, made by an admin, or no approval was asked. */
  NOT_REQUIRED = 'NOT_REQUIRED',
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REFUSED = 'REFUSED',
}
registerEnumType(TokenApproval, {
  name: 'TokenApproval',
  description: "Where a fine-grained token stands with its organization's admins.",
  valuesConfig: {
    NOT_REQUIRED: {
      description: 'Bound to your own account, made by an admin, or its organization asks none.',
    },
    PENDING: { description: 'Waiting for an admin: it does not work yet.' },
    APPROVED: { description: 'An admin approved it.' },
    REFUSED: { description: 'An admin refused it or withdrew its access: it does not work.' },
  },
});

/**
 * What a token reads of the organization a fine-grained token is bound to, named by entity so
 * that accounts sits below the organizations module (orgs.entity.ts has the whole row).
 */
export interface TokenOrganization {
  readonly id: string;
  readonly tokenPolicy: TokenPolicy;
}

@ObjectType({ implements: Node, description: 'A token for the API; its secret is shown once.' })
@Entity()
@Index({ properties: ['user', 'createdAt'] })
@Index({ properties: ['organization', 'createdAt'] })
export class PersonalAccessToken extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @Field({ description: 'What the token is for, 1 to 100 characters.' })
  @Property({ type: 'text' })
  name: string;

  @Field(() => PersonalAccessTokenKind, {
    description:
      'FINE_GRAINED: bound to one organization or account, with a level per area; CLASSIC: READ or WRITE everywhere.',
  })
  @Enum({
    items: () => PersonalAccessTokenKind,
    nativeEnumName: 'personal_access_token_kind',
    default: PersonalAccessTokenKind.CLASSIC,
  })
  kind: PersonalAccessTokenKind = PersonalAccessTokenKind.CLASSIC;

  @Field(() => [PatScope], {
    description: "A classic token's scopes; empty for a fine-grained one.",
  })
  @Enum({ items: () => PatScope, array: true, nativeEnumName: 'pat_scope' })
  scopes: PatScope[];

  /** The organization a fine-grained token is bound to; null: the user's own account. */
  @ManyToOne({ entity: 'Organization', ref: true, nullable: true, deleteRule: 'cascade' })
  organization: Ref<TokenOrganization> | null = null;

  /** A fine-grained token's permissions by area (areas at NONE left out); empty for classic. */
  @Property({ type: 'jsonb', default: '{}' })
  permissions: TokenPermissions = {};

  @Field(() => TokenApproval, {
    description: "Where the token stands with its organization's admins.",
  })
  @Enum({
    items: () => TokenApproval,
    nativeEnumName: 'token_approval',
    default: TokenApproval.NOT_REQUIRED,
  })
  approval: TokenApproval = TokenApproval.NOT_REQUIRED;

  /** The admin who approved or refused it. */
  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  reviewedBy: Ref<User> | null = null;

  @Field(() => Date, { nullable: true, description: 'When an admin approved or refused it.' })
  @Property({ type: 'timestamptz', nullable: true })
  reviewedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Why an admin refused it, if they said.' })
  @Property({ type: 'text', nullable: true })
  reviewReason: string | null = null;

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash: string;

  @Field({ description: 'The last four characters of the token, to recognise it.' })
  @Property({ type: 'text' })
  lastFour: string;

  @Field(() => Date, {
    nullable: true,
    description: 'When the token stops working; null when it never expires.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was last used, to the minute (it is written at most once a minute).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'The address it was last used from.' })
  @Property({ type: 'text', nullable: true })
  lastUsedIp: string | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the token was revoked; null while it works.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  /** When the user was reminded that the token expires (at most once per token). */
  @Property({ type: 'timestamptz', nullable: true })
  expiryRemindedAt: Date | null = null;

  constructor(
    user: Ref<User>,
    name: string,
    scopes: PatScope[],
    tokenHash: string,
    lastFour: string,
    expiresAt: Date | null,
  ) {
    super('pat');
    this.user = user;
    this.name = name;
    this.scopes = scopes;
    this.tokenHash = tokenHash;
    this.lastFour = lastFour;
    this.expiresAt = expiresAt;
  }
}

declare module '../../context.js' {
  /** The viewer of a request is a signed-in `User`. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- widens the core's type
  interface ViewerUser extends User {}
}
