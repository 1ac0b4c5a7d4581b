import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Node } from '../../graphql/node.types.js';
import { PatScope, PlatformRole } from '../../auth/roles.js';

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

@ObjectType({ implements: Node, description: 'A token for the API; its secret is shown once.' })
@Entity()
@Index({ properties: ['user', 'createdAt'] })
@Index({
  name: 'personal_access_token_expiry_reminder_index',
  expression:
    'create index "personal_access_token_expiry_reminder_index" on "personal_access_token" ("expires_at") where "revoked_at" is null and "expiry_reminded_at" is null and "expires_at" is not null',
})
export class PersonalAccessToken extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @Field({ description: 'What the token is for, 1 to 100 characters.' })
  @Property({ type: 'text' })
  name: string;

  @Field(() => [PatScope], { description: 'What the token may do.' })
  @Enum({ items: () => PatScope, array: true, nativeEnumName: 'pat_scope' })
  scopes: PatScope[];

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
    description: 'When a request last used the token (to the minute); null if never used.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

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
