import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../accounts/accounts.entity.js';
import { App } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { Node } from '../../graphql/node.types.js';

export enum CredentialKind {
  CONSUMER_KEY = 'CONSUMER_KEY',
  BEARER_TOKEN = 'BEARER_TOKEN',
  ACCESS_TOKEN = 'ACCESS_TOKEN',
  OAUTH2_CLIENT = 'OAUTH2_CLIENT',
}
registerEnumType(CredentialKind, {
  name: 'CredentialKind',
  description:
    'CONSUMER_KEY: API key and secret; BEARER_TOKEN: app-only token; ACCESS_TOKEN: access token and secret on behalf of the owner; OAUTH2_CLIENT: OAuth 2.0 client id and secret.',
  valuesConfig: {
    CONSUMER_KEY: { description: 'An API key (`pck_…`) and its secret (`pcs_…`).' },
    BEARER_TOKEN: { description: 'An app-only bearer token (`pbt_…`), with no public identifier.' },
    ACCESS_TOKEN: {
      description: "An access token (`pac_…`) and its secret (`pas_…`), acting as the app's owner.",
    },
    OAUTH2_CLIENT: { description: 'An OAuth 2.0 client id (`poi_…`) and client secret (`pos_…`).' },
  },
});

export enum CredentialStatus {
  ACTIVE = 'ACTIVE',
  IN_GRACE = 'IN_GRACE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(CredentialStatus, {
  name: 'CredentialStatus',
  description:
    'ACTIVE works; IN_GRACE was rotated out and works until expiresAt; EXPIRED and REVOKED no longer work.',
  valuesConfig: {
    ACTIVE: { description: 'Works, with no end date.' },
    IN_GRACE: { description: 'Rotated out: works until its `expiresAt`.' },
    EXPIRED: { description: 'Rotated out and past its grace period: no longer works.' },
    REVOKED: { description: 'Revoked: no longer works.' },
  },
});

/**
 * The token prefixes of each kind, defined here only. `publicId` is the public identifier
 * (stored in clear) for the kinds that have one; `secret` is the prefix of the secret, of
 * which only the SHA-256 and last four characters are stored.
 */
export const CREDENTIAL_PREFIXES: Readonly<
  Record<CredentialKind, { readonly publicId: string | null; readonly secret: string }>
> = {
  [CredentialKind.CONSUMER_KEY]: { publicId: 'pck', secret: 'pcs' },
  [CredentialKind.BEARER_TOKEN]: { publicId: null, secret: 'pbt' },
  [CredentialKind.ACCESS_TOKEN]: { publicId: 'pac', secret: 'pas' },
  [CredentialKind.OAUTH2_CLIENT]: { publicId: 'poi', secret: 'pos' },
};

/** A credential of an app. A rotation or regeneration makes a new row (`rotatedFrom`). */
@ObjectType({
  implements: Node,
  description: 'A credential of an app; its secret is never shown again.',
})
@Entity()
@Index({ properties: ['app', 'createdAt'] })
@Index({ name: 'credential_app_last_used_index', properties: ['app', 'lastUsedAt'] })
@Index({
  name: 'credential_expiry_reminder_index',
  expression:
    'create index "credential_expiry_reminder_index" on "credential" ("expires_at") where "revoked_at" is null and "expiry_reminded_at" is null and "expires_at" is not null',
})
export class Credential extends BaseEntity {
  @ManyToOne(() => App, { ref: true, deleteRule: 'cascade' })
  app: Ref<App>;

  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @Field(() => CredentialKind, {
    description: 'What kind of credential it is, which decides its parts and how it is sent.',
  })
  @Enum({ items: () => CredentialKind, nativeEnumName: 'credential_kind' })
  kind: CredentialKind;

  @Field(() => String, {
    nullable: true,
    description:
      'The public identifier (consumer key, access token, client id); null for bearer tokens.',
  })
  @Property({ type: 'text', nullable: true, unique: true })
  publicId: string | null;

  @Property({ type: 'text', unique: true, hidden: true })
  secretHash: string;

  @Field({ description: 'The last four characters of the secret, to recognise it.' })
  @Property({ type: 'text' })
  lastFour: string;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy: Ref<User> | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the gateway last accepted it (written in batches, so it may lag by a minute or so); null if never used.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked; null unless it was.' })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  revokedBy: Ref<User> | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'For a rotated-out credential, the end of its grace period.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  /** When the owner was reminded that the grace period ends (at most once per credential). */
  @Property({ type: 'timestamptz', nullable: true })
  expiryRemindedAt: Date | null = null;

  @ManyToOne(() => Credential, { ref: true, nullable: true, deleteRule: 'set null' })
  rotatedFrom: Ref<Credential> | null = null;

  constructor(fields: {
    app: Ref<App>;
    organization: Ref<Organization>;
    kind: CredentialKind;
    publicId: string | null;
    secretHash: string;
    lastFour: string;
    createdBy: Ref<User> | null;
    rotatedFrom?: Ref<Credential> | null;
  }) {
    super('crd');
    this.app = fields.app;
    this.organization = fields.organization;
    this.kind = fields.kind;
    this.publicId = fields.publicId;
    this.secretHash = fields.secretHash;
    this.lastFour = fields.lastFour;
    this.createdBy = fields.createdBy;
    this.rotatedFrom = fields.rotatedFrom ?? null;
  }

  /** Whether it works now (active, or still in its grace period). */
  statusAt(now: Date = new Date()): CredentialStatus {
    if (this.revokedAt) return CredentialStatus.REVOKED;
    if (this.expiresAt) {
      return this.expiresAt.getTime() <= now.getTime()
        ? CredentialStatus.EXPIRED
        : CredentialStatus.IN_GRACE;
    }
    return CredentialStatus.ACTIVE;
  }
}
