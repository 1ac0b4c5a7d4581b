import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Node } from '../../graphql/node.types.js';
import { User } from '../accounts/accounts.entity.js';
import { Organization } from '../orgs/orgs.entity.js';

/** What an endpoint can subscribe to; the value is the `type` of the delivered payload. */
export enum WebhookEventType {
  APP_APPROVED = 'app.approved',
  APP_REJECTED = 'app.rejected',
  APP_SUSPENDED = 'app.suspended',
  APP_DELETED = 'app.deleted',
  CREDENTIAL_EXPIRING = 'credential.expiring',
  CREDENTIAL_ROTATED = 'credential.rotated',
  CREDENTIAL_REVOKED = 'credential.revoked',
  USAGE_THRESHOLD_REACHED = 'usage.threshold_reached',
  INVITATION_ACCEPTED = 'invitation.accepted',
  MEMBER_REMOVED = 'member.removed',
}
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description:
    'An event a webhook endpoint can subscribe to. The payload `type` is the lower-case dotted form, e.g. `app.approved`.',
  valuesConfig: {
    APP_APPROVED: { description: 'Staff (or an approval rule) approved a product for an app.' },
    APP_REJECTED: { description: 'Staff rejected a product request of an app.' },
    APP_SUSPENDED: { description: 'Staff suspended an app: its credentials stopped working.' },
    APP_DELETED: { description: 'A member deleted an app; its credentials were revoked.' },
    CREDENTIAL_EXPIRING: {
      description: 'A rotated-out credential stops working within 24 hours.',
    },
    CREDENTIAL_ROTATED: { description: 'A credential was rotated; the old one is in its grace.' },
    CREDENTIAL_REVOKED: { description: 'A credential was revoked and stopped working.' },
    USAGE_THRESHOLD_REACHED: {
      description: "The organization's usage of a product reached 50, 80 or 100 % of its cap.",
    },
    INVITATION_ACCEPTED: { description: 'Someone accepted an invitation and joined.' },
    MEMBER_REMOVED: { description: 'A member was removed from the organization, or left it.' },
  },
});

/** The `type` of a test event sent from the dashboard (never subscribed to). */
export const TEST_EVENT_TYPE = 'webhook.test';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING waits for its (next) attempt; SUCCEEDED was answered with a 2xx status; FAILED was given up after its last attempt.',
  valuesConfig: {
    PENDING: { description: 'Waits for its (next) attempt.' },
    SUCCEEDED: { description: 'The endpoint answered with a 2xx status.' },
    FAILED: { description: 'Given up after its last attempt; it can be replayed.' },
  },
});

/**
 * Where an organization's admins want events sent. The signing secret is stored encrypted
 * (it must be usable to sign), never hashed and never readable through the API; during a
 * rotation the previous secret also signs until `previousSecretExpiresAt`.
 */
@ObjectType({ implements: Node, description: 'A URL that receives the events it subscribes to.' })
@Entity()
@Index({ properties: ['organization', 'createdAt'] })
export class WebhookEndpoint extends BaseEntity {
  @ManyToOne(() => Organization, { ref: true, deleteRule: 'cascade' })
  organization: Ref<Organization>;

  @Field({ description: 'Where deliveries are POSTed.' })
  @Property({ type: 'text' })
  url: string;

  @Field({ description: 'What the endpoint is for; may be empty.' })
  @Property({ type: 'text' })
  description: string;

  @Field(() => [WebhookEventType], {
    description: 'The events sent to the endpoint (at least one).',
  })
  @Property({ type: 'text[]' })
  eventTypes: WebhookEventType[];

  @Property({ type: 'text', hidden: true, lazy: true })
  secretCiphertext: string;

  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  previousSecretCiphertext: string | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'Until when the secret replaced by the last rotation still signs deliveries.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null = null;

  @Field(() => Date, { description: 'When the current signing secret was made.' })
  @Property({ type: 'timestamptz' })
  secretCreatedAt: Date;

  @Field(() => Date, { nullable: true, description: 'Set while the endpoint is disabled.' })
  @Property({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Why the endpoint was disabled.' })
  @Property({ type: 'text', nullable: true })
  disabledReason: string | null = null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Since when every attempt failed (null after a success); three days of failures disable the endpoint.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  failingSince: Date | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy: Ref<User> | null;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(
    organization: Ref<Organization>,
    url: string,
    description: string,
    eventTypes: WebhookEventType[],
    secretCiphertext: string,
    createdBy: Ref<User> | null,
  ) {
    super('whk');
    this.organization = organization;
    this.url = url;
    this.description = description;
    this.eventTypes = eventTypes;
    this.secretCiphertext = secretCiphertext;
    this.secretCreatedAt = this.createdAt;
    this.createdBy = createdBy;
  }

  @Field({ description: 'Whether deliveries are sent (false once disabled).' })
  get enabled(): boolean {
    return this.disabledAt === null;
  }
}

/** One attempt at a delivery, as kept in its log. */
@ObjectType({ description: 'One attempt at sending a delivery.' })
export class WebhookAttempt {
  @Field(() => Date, { description: 'When the attempt started.' })
  at!: Date;

  @Field(() => Int, { nullable: true, description: 'The HTTP status answered; null if none.' })
  status!: number | null;

  @Field(() => Int, { description: 'How long the attempt took, in milliseconds.' })
  responseTimeMs!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Why no status came back (e.g. `timeout`, `ECONNREFUSED`, `blocked_address`).',
  })
  error!: string | null;
}

/** What `attempt_log` holds per attempt (dates as ISO text). */
export interface StoredAttempt {
  at: string;
  status: number | null;
  responseTimeMs: number;
  error: string | null;
}

/**
 * One event for one endpoint: the outbox row written in the transaction of the change, then
 * the log of its attempts. The body is kept as sent (ids and small values, never a secret), so
 * replays send the very same bytes.
 */
@ObjectType({ implements: Node, description: 'An event sent (or to be sent) to an endpoint.' })
@Entity()
@Index({ properties: ['endpoint', 'createdAt'] })
@Index({
  name: 'webhook_delivery_due',
  expression:
    'create index "webhook_delivery_due" on "webhook_delivery" ("next_attempt_at", "id") where "status" = \'PENDING\'',
})
export class WebhookDelivery extends BaseEntity {
  @ManyToOne(() => WebhookEndpoint, { ref: true, deleteRule: 'cascade' })
  endpoint: Ref<WebhookEndpoint>;

  @Field({
    description:
      'The `webhook-id` header: the same for every attempt and replay, so receivers can drop repeats.',
  })
  @Property({ type: 'text' })
  messageId: string;

  @Field({ description: 'The payload `type`, e.g. `app.approved` or `webhook.test`.' })
  @Property({ type: 'text' })
  eventType: string;

  @Field({ description: 'The JSON body sent.' })
  @Property({ type: 'text' })
  payload: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Where the delivery stands.' })
  @Enum({ items: () => WebhookDeliveryStatus, nativeEnumName: 'webhook_delivery_status' })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Field(() => Int, { description: 'Attempts made so far.' })
  @Property({ type: 'integer' })
  attemptCount = 0;

  @Field(() => Date, { nullable: true, description: 'When a PENDING delivery is (next) tried.' })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** Claimed by a worker until then (a crashed worker's claim runs out). */
  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  lockedUntil: Date | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was last tried; null before the first attempt.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null = null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last attempt.' })
  @Property({ type: 'integer', nullable: true })
  responseStatus: number | null = null;

  @Field(() => Int, { nullable: true, description: 'How long the last attempt took (ms).' })
  @Property({ type: 'integer', nullable: true })
  responseTimeMs: number | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'The start of the last response body (at most 1,000 characters).',
  })
  @Property({ type: 'text', nullable: true })
  responseExcerpt: string | null = null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt got no status.' })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'jsonb' })
  attemptLog: StoredAttempt[] = [];

  @Field(() => Date, { nullable: true, description: 'When a 2xx answer came back.' })
  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'The delivery this one replays.' })
  @Property({ type: 'text', nullable: true })
  replayOfId: string | null = null;

  constructor(
    endpoint: Ref<WebhookEndpoint>,
    messageId: string,
    eventType: string,
    payload: string,
    now = new Date(),
  ) {
    super('whd');
    this.endpoint = endpoint;
    this.messageId = messageId;
    this.eventType = eventType;
    this.payload = payload;
    this.createdAt = now;
    this.nextAttemptAt = now;
  }

  @Field(() => [WebhookAttempt], { description: 'Every attempt, oldest first.' })
  get attempts(): WebhookAttempt[] {
    return this.attemptLog.map((attempt) => ({ ...attempt, at: new Date(attempt.at) }));
  }
}
