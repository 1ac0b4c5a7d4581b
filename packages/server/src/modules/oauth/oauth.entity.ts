import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../accounts/accounts.entity.js';
import { App } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';

/**
 * What the authorization server (oidc-provider) stores: authorization codes, refresh tokens,
 * grants, sessions, interactions, replay-detection entries, and one row per issued JWT access
 * token (its `jti`, so that a revoked token is refused). `payload` is the library's own record;
 * rows past `expiresAt` are dead and deleted by a job.
 */
@Entity({ tableName: 'oauth_record' })
@Index({ properties: ['grantId'] })
@Index({ properties: ['expiresAt'] })
@Index({
  name: 'oauth_record_uid_index',
  expression:
    'create index "oauth_record_uid_index" on "oauth_record" ("uid") where "uid" is not null',
})
export class OAuthRecord {
  @PrimaryKey({ type: 'text' })
  kind: string;

  @PrimaryKey({ type: 'text' })
  id: string;

  @Property({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Property({ type: 'text', nullable: true })
  grantId: string | null = null;

  @Property({ type: 'text', nullable: true })
  uid: string | null = null;

  @Property({ type: 'text', nullable: true })
  userCode: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  consumedAt: Date | null = null;

  constructor(kind: string, id: string, payload: Record<string, unknown>) {
    this.kind = kind;
    this.id = id;
    this.payload = payload;
  }
}

/** A key the authorization server signs access and ID tokens with (ES256). */
@Entity({ tableName: 'oauth_signing_key' })
export class OAuthSigningKey extends BaseEntity {
  @Property({ type: 'text', unique: true })
  kid: string;

  /** The public JWK, published in the JWKS. */
  @Property({ type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  /** The private JWK, encrypted with OAUTH_KEY_SECRET when it is set (see oauth.keys.ts). */
  @Property({ type: 'text', hidden: true, lazy: true })
  privateJwk: string;

  /** When it stopped signing (a newer key took over). */
  @Property({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null = null;

  /** When its last token expired: from then on it is no longer published. */
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  constructor(kid: string, publicJwk: Record<string, unknown>, privateJwk: string) {
    super('osk');
    this.kid = kid;
    this.publicJwk = publicJwk;
    this.privateJwk = privateJwk;
  }
}

/** A user's consent to an app acting on their behalf (what account settings list). */
@ObjectType({ description: 'An app the viewer allowed to act on their behalf (OAuth 2.0).' })
@Entity({ tableName: 'oauth_authorization' })
@Unique({ properties: ['user', 'app'] })
@Index({ properties: ['app'] })
export class OAuthAuthorization extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @ManyToOne(() => App, { ref: true, deleteRule: 'cascade' })
  app: Ref<App>;

  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  /** The client id the consent was given to. */
  @Property({ type: 'text' })
  clientId: string;

  /** The authorization server's grant (its tokens are revoked with it). */
  @Property({ type: 'text' })
  grantId: string;

  @Field(() => [String], { description: 'The scopes the user approved.' })
  @Property({ type: 'text[]' })
  scopes: string[];

  @Field({ description: 'When the user last approved it.' })
  @Property({ type: 'timestamptz' })
  approvedAt: Date = new Date();

  @Field(() => Date, {
    nullable: true,
    description: 'When the app last got a token for the user (sign-in or refresh).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  constructor(fields: {
    user: Ref<User>;
    app: Ref<App>;
    organization: Ref<Organization>;
    clientId: string;
    grantId: string;
    scopes: string[];
  }) {
    super('oaz');
    this.user = fields.user;
    this.app = fields.app;
    this.organization = fields.organization;
    this.clientId = fields.clientId;
    this.grantId = fields.grantId;
    this.scopes = fields.scopes;
  }
}

/**
 * A public key (or a JWKS URL) an app authenticates with (`private_key_jwt`) instead of its
 * client secret. Only the public part is ever stored.
 */
@ObjectType({
  description: 'A public key the app signs its client assertions with (private_key_jwt).',
})
@Entity({ tableName: 'app_key' })
@Index({ properties: ['app'] })
export class AppKey extends BaseEntity {
  @ManyToOne(() => App, { ref: true, deleteRule: 'cascade' })
  app: Ref<App>;

  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @Field({ description: 'The key id (`kid`) the assertions name.' })
  @Property({ type: 'text' })
  kid: string;

  @Field({ description: 'EC P-256, or RSA and its size.' })
  @Property({ type: 'text' })
  keyType: string;

  @Property({ type: 'jsonb', nullable: true })
  publicJwk: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'Where the app publishes its keys.' })
  @Property({ type: 'text', nullable: true })
  jwksUrl: string | null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy: Ref<User> | null;

  @Property({ type: 'timestamptz', nullable: true })
  removedAt: Date | null = null;

  constructor(fields: {
    app: Ref<App>;
    organization: Ref<Organization>;
    kid: string;
    keyType: string;
    publicJwk: Record<string, unknown> | null;
    jwksUrl: string | null;
    createdBy: Ref<User> | null;
  }) {
    super('akp');
    this.app = fields.app;
    this.organization = fields.organization;
    this.kid = fields.kid;
    this.keyType = fields.keyType;
    this.publicJwk = fields.publicJwk;
    this.jwksUrl = fields.jwksUrl;
    this.createdBy = fields.createdBy;
  }
}
