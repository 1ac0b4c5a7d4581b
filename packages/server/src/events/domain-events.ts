import type { EventData } from './events.entity.js';
import { topics, type EventTopic, type TopicName } from './topics.js';
import type { TokenPolicy } from '../auth/token-permissions.js';

/*
 * Every kind of domain event: what it carries and where it goes. `EventMap` is the type, and
 * `EVENT_DEFINITIONS` the same at run time; the compiler keeps the two alike (each payload field
 * and each topic of the type is listed in the table, and nothing else).
 *
 * Payloads are ids and small scalar values, never secrets. The stored rows are read by the web
 * app and by tests: change a payload or a topic only together with its readers.
 */

// The core imports no domain module: these mirror the modules' enums (domain-events.test.ts
// checks that they match).
export type GrantStatusName = 'PENDING' | 'APPROVED' | 'REJECTED' | 'REVOKED' | 'WITHDRAWN';
export type AppStatusName = 'PENDING' | 'ACTIVE' | 'REJECTED' | 'SUSPENDED';
export type ApplicationStatusName = 'PENDING' | 'QUESTION' | 'APPROVED' | 'REJECTED' | 'CLOSED';
export type CredentialKindName = 'CONSUMER_KEY' | 'BEARER_TOKEN' | 'ACCESS_TOKEN' | 'OAUTH2_CLIENT';
export type MemberRoleName = 'ADMIN' | 'DEVELOPER';
export type UsageMetricName = 'requests' | 'units';
export type TokenPolicyName = `${TokenPolicy}`;
export type TokenReviewName = 'APPROVED' | 'REFUSED';

/** A decision on a grant (or its withdrawal); `decidedById` is null when no one made it. */
export type GrantDecisionData = {
  status: GrantStatusName;
  decidedById: string | null;
  appId: string;
  productId: string;
};

export type CredentialStoppedData = {
  appId: string;
  /** The credential's kind (not the event's). */
  kind: CredentialKindName;
};

export type AppStatusData = { status: AppStatusName; setById: string };

export type CatalogChange =
  | 'product.create'
  | 'product.update'
  | 'product.archive'
  | 'plan.create'
  | 'plan.update'
  | 'changelog.publish';

export type EnvironmentChange = 'environment.create' | 'environment.update' | 'environment.delete';

export type BulkRunStatusName = 'PLANNED' | 'QUEUED' | 'RUNNING' | 'FINISHED' | 'REFUSED';

/** A bulk run's counts: items applied, skipped and failed so far, of `total`. */
export type BulkRunProgressData = {
  status: BulkRunStatusName;
  total: number;
  applied: number;
  skipped: number;
  failed: number;
};

/** An event with no payload of its own. */
export type NoData = Record<never, never>;

/**
 * Kind → `topics`: the streams it is written to (`org` needs the event's `organizationId`,
 * `user` its `userId`), and `data`: its payload. Events of the `access` topic say whose access
 * changed; every instance ends the streams (and closes the sockets) that lost it.
 */
export interface EventMap {
  /** An app asked for products; the subject is the grant (auto-decided requests included). */
  'grant.requested': {
    topics: 'reviewQueue' | 'org';
    data: { status: GrantStatusName; appId: string; productId: string; decidedById: null };
  };
  /** Staff (or a rule) approved, rejected or revoked a grant. */
  'grant.decided': { topics: 'reviewQueue' | 'org'; data: GrantDecisionData };
  /** A pending grant was withdrawn (by its app's owner, or with the app). */
  'grant.withdrawn': { topics: 'reviewQueue' | 'org'; data: GrantDecisionData };
  /** A credential stopped working; the subject is the credential. */
  'credential.revoked': { topics: 'org'; data: CredentialStoppedData };
  /** A credential was rotated out and works until its grace period ends. */
  'credential.rotated': { topics: 'org'; data: CredentialStoppedData };
  /** An app's settings changed; `changed` lists the settings, comma-separated. */
  'app.updated': { topics: 'org'; data: { changed: string } };
  'app.suspended': { topics: 'org'; data: AppStatusData };
  /** An app was deleted (a tombstone); `deletedById` is the member who deleted it. */
  'app.deleted': { topics: 'org'; data: { deletedById: string } };
  /**
   * A credential stops working within a day (its rotation grace period ends); the subject is the
   * credential. Written once per credential, by the reminders job.
   */
  'credential.expiring': {
    topics: 'org';
    data: CredentialStoppedData & { expiresAt: string };
  };
  /** Someone accepted an invitation; the subject is the invitation, `userId` the new member. */
  'invitation.accepted': { topics: 'org'; data: { memberId: string; role: MemberRoleName } };
  /**
   * An organization's usage of a product crossed a share of its plan's monthly cap (50, 80 or
   * 100 %); the subject is the plan subscription. `metric` is `requests` or `units`.
   */
  'usage.threshold_reached': {
    topics: 'org';
    data: {
      productId: string;
      metric: UsageMetricName;
      percent: number;
      used: number;
      cap: number;
      period: string;
    };
  };
  'app.unsuspended': { topics: 'org'; data: AppStatusData };
  /** The subject is the developer application; `userId` is its applicant. */
  'application.submitted': {
    topics: 'reviewQueue' | 'user';
    data: { status: ApplicationStatusName; applicantId: string };
  };
  /** A question or an answer was added to the application's thread. */
  'application.updated': {
    topics: 'reviewQueue' | 'user';
    data: { status: ApplicationStatusName; messageId: string };
  };
  /** Approved, rejected, or closed for want of an answer (then `decidedById` is null). */
  'application.decided': {
    topics: 'reviewQueue' | 'user';
    data: { status: ApplicationStatusName; decidedById: string | null };
  };
  /** The subject is the notification; `kind` is the notification's kind (e.g. `grant.decided`). */
  'notification.created': { topics: 'user'; data: { kind: string } };
  /** A product or a plan changed; the subject is the product or the plan. */
  'catalog.changed': { topics: 'catalog'; data: { change: CatalogChange } };
  /**
   * An organization moved to another plan of a product; the subject is its plan subscription.
   * On the organization's stream (as it always was: its members' clients see it) and on the
   * catalog topic (gateways reload the plan subscriptions from there).
   */
  'plan.changed': { topics: 'org' | 'catalog'; data: { productId: string; planId: string } };
  'environment.changed': {
    topics: 'org';
    data: { change: EnvironmentChange; productId: string; appId: string | null };
  };
  'gateway_token.created': { topics: 'catalog'; data: NoData };
  'gateway_token.revoked': { topics: 'catalog'; data: NoData };
  /** A member was removed from an organization, or left it; the subject is the membership. */
  'member.removed': {
    topics: 'access';
    data: { organizationId: string; userId: string; reason: 'removed' | 'left' };
  };
  /** A member's role changed; the subject is the membership. */
  'member.role_changed': {
    topics: 'access';
    data: { organizationId: string; userId: string; role: MemberRoleName };
  };
  /** A sign-in session ended (its user signed out); the subject is the session. */
  'session.ended': { topics: 'access'; data: { userId: string } };
  /**
   * Every session of a user ended but `keptSessionId` (the one that changed the password, or
   * none); the subject is the user.
   */
  'sessions.ended': { topics: 'access'; data: { userId: string; keptSessionId: string | null } };
  /**
   * A personal access token was revoked, or an organization admin withdrew the access of a
   * fine-grained one that worked; the subject is the token.
   */
  'personal_access_token.revoked': { topics: 'access'; data: { userId: string } };
  /**
   * A member made a fine-grained token for an organization that requires approval: it waits for
   * an admin. The subject is the token; `userId` its owner.
   */
  'personal_access_token.requested': { topics: 'org'; data: { userId: string } };
  /** An organization admin approved or refused a fine-grained token; the subject is the token. */
  'personal_access_token.reviewed': {
    topics: 'org';
    data: { userId: string; status: TokenReviewName; decidedById: string };
  };
  /**
   * An organization's admins changed what they allow of personal access tokens; the subject is
   * the organization. On the access topic: with FORBID, its fine-grained tokens stop working
   * and no token reaches its streams any more.
   */
  'organization.token_policy_changed': {
    topics: 'access' | 'org';
    data: { organizationId: string; policy: TokenPolicyName };
  };
  /**
   * What a user's sign-in carries changed (name, verified email, activation, platform role):
   * every instance forgets the sessions it cached for them. The subject is the user.
   */
  'user.updated': { topics: 'access'; data: { userId: string } };
  /** A staff bulk run was queued, progressed or finished; the subject is the run. */
  'bulk_run.changed': { topics: 'staff'; data: BulkRunProgressData };
  /**
   * OAuth tokens an app holds were revoked (a token, a user's authorization, a grant found
   * reused); the subject is what was revoked. Gateways drop what they cached for the org.
   */
  'oauth.tokens_revoked': { topics: 'org'; data: { appId: string } };
  /** The authorization server's signing keys changed (rotation); the subject is the new key. */
  'oauth.signing_keys_changed': { topics: 'catalog'; data: NoData };
}

export type EventKind = keyof EventMap;
export type EventPayload<K extends EventKind> = EventMap[K]['data'];

/** The ids an event's topics are built from. */
type RouteOf<T extends TopicName> = ('org' extends T ? { organizationId: string } : unknown) &
  ('user' extends T ? { userId: string } : unknown);

/** What `publish` takes for a kind: its subject, the ids of its topics, and its payload. */
export type EventInput<K extends EventKind> = EventSubject &
  RouteOf<EventMap[K]['topics']> &
  EventPayload<K>;

/** What an event happened to (a grant, an application…): its id. */
type EventSubject = { subjectId: string };

/** `true`: always written to that topic; a function: only when it says so for the payload. */
export type TopicRule<K extends EventKind> = true | ((data: EventPayload<K>) => boolean);

export interface EventDefinition<K extends EventKind> {
  /** Every payload field: these, and only these, are stored (whatever else a caller passes). */
  readonly data: { readonly [F in keyof EventPayload<K>]-?: true };
  /** Every topic, in the order its rows are written. */
  readonly topics: { readonly [T in EventMap[K]['topics']]-?: TopicRule<K> };
}

const GRANT_DECISION = { status: true, decidedById: true, appId: true, productId: true } as const;
const CREDENTIAL_STOPPED = { appId: true, kind: true } as const;
const APP_STATUS = { status: true, setById: true } as const;
const MEMBER = { organizationId: true, userId: true } as const;

export const EVENT_DEFINITIONS: { readonly [K in EventKind]: EventDefinition<K> } = {
  'grant.requested': {
    data: { status: true, appId: true, productId: true, decidedById: true },
    // Only a pending request waits in the review queue.
    topics: { reviewQueue: (data) => data.status === 'PENDING', org: true },
  },
  'grant.decided': { data: GRANT_DECISION, topics: { reviewQueue: true, org: true } },
  'grant.withdrawn': { data: GRANT_DECISION, topics: { reviewQueue: true, org: true } },
  'credential.revoked': { data: CREDENTIAL_STOPPED, topics: { org: true } },
  'credential.rotated': { data: CREDENTIAL_STOPPED, topics: { org: true } },
  'app.updated': { data: { changed: true }, topics: { org: true } },
  'app.suspended': { data: APP_STATUS, topics: { org: true } },
  'app.deleted': { data: { deletedById: true }, topics: { org: true } },
  'credential.expiring': {
    data: { ...CREDENTIAL_STOPPED, expiresAt: true },
    topics: { org: true },
  },
  'invitation.accepted': { data: { memberId: true, role: true }, topics: { org: true } },
  'usage.threshold_reached': {
    data: { productId: true, metric: true, percent: true, used: true, cap: true, period: true },
    topics: { org: true },
  },
  'app.unsuspended': { data: APP_STATUS, topics: { org: true } },
  'application.submitted': {
    data: { status: true, applicantId: true },
    topics: { reviewQueue: true, user: true },
  },
  'application.updated': {
    data: { status: true, messageId: true },
    topics: { reviewQueue: true, user: true },
  },
  'application.decided': {
    data: { status: true, decidedById: true },
    topics: { reviewQueue: true, user: true },
  },
  'notification.created': { data: { kind: true }, topics: { user: true } },
  'catalog.changed': { data: { change: true }, topics: { catalog: true } },
  'plan.changed': { data: { productId: true, planId: true }, topics: { org: true, catalog: true } },
  'environment.changed': {
    data: { change: true, productId: true, appId: true },
    topics: { org: true },
  },
  'gateway_token.created': { data: {}, topics: { catalog: true } },
  'gateway_token.revoked': { data: {}, topics: { catalog: true } },
  'member.removed': { data: { ...MEMBER, reason: true }, topics: { access: true } },
  'member.role_changed': { data: { ...MEMBER, role: true }, topics: { access: true } },
  'session.ended': { data: { userId: true }, topics: { access: true } },
  'sessions.ended': { data: { userId: true, keptSessionId: true }, topics: { access: true } },
  'personal_access_token.revoked': { data: { userId: true }, topics: { access: true } },
  'personal_access_token.requested': { data: { userId: true }, topics: { org: true } },
  'personal_access_token.reviewed': {
    data: { userId: true, status: true, decidedById: true },
    topics: { org: true },
  },
  'organization.token_policy_changed': {
    data: { organizationId: true, policy: true },
    topics: { access: true, org: true },
  },
  'user.updated': { data: { userId: true }, topics: { access: true } },
  'bulk_run.changed': {
    data: { status: true, total: true, applied: true, skipped: true, failed: true },
    topics: { staff: true },
  },
  'oauth.tokens_revoked': { data: { appId: true }, topics: { org: true } },
  'oauth.signing_keys_changed': { data: {}, topics: { catalog: true } },
};

export const EVENT_KINDS = Object.keys(EVENT_DEFINITIONS) as readonly EventKind[];

export function isEventKind(kind: string): kind is EventKind {
  return Object.hasOwn(EVENT_DEFINITIONS, kind);
}

/** One row to write: the same event is one row per topic. */
export interface EventRowInput {
  topic: EventTopic;
  kind: string;
  subjectId: string;
  data: EventData;
}

/** The rows `publish` writes for an event, in order: one per topic, all with the same payload. */
export function eventRows<K extends EventKind>(kind: K, input: EventInput<K>): EventRowInput[] {
  const definition: EventDefinition<K> = EVENT_DEFINITIONS[kind];
  const given = input as EventInput<K> & Record<string, unknown>;
  const data: EventData = {};
  for (const field of Object.keys(definition.data)) {
    const value = given[field];
    if (!isScalar(value)) {
      throw new Error(`Event ${kind} needs ${field} to be a string, number, boolean or null.`);
    }
    data[field] = value;
  }
  const payload = data as EventPayload<K>;
  const rows: EventRowInput[] = [];
  const rules: Partial<Record<TopicName, TopicRule<K>>> = definition.topics;
  for (const name of Object.keys(rules) as TopicName[]) {
    const rule = rules[name];
    if (rule === undefined || (rule !== true && !rule(payload))) continue;
    rows.push({ topic: topicOf(kind, name, given), kind, subjectId: input.subjectId, data });
  }
  return rows;
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function topicOf(kind: string, name: TopicName, route: Record<string, unknown>): EventTopic {
  const id = (field: string): string => {
    const value = route[field];
    if (typeof value !== 'string' || value === '') {
      throw new Error(`Event ${kind} needs ${field} for its ${name} topic.`);
    }
    return value;
  };
  switch (name) {
    case 'reviewQueue':
      return topics.reviewQueue;
    case 'catalog':
      return topics.catalog;
    case 'access':
      return topics.access;
    case 'staff':
      return topics.staff;
    case 'org':
      return topics.org(id('organizationId'));
    case 'user':
      return topics.user(id('userId'));
  }
}

/** The parts of an event that say what it is (a stored record, a GraphQL live event…). */
export interface KindedEvent {
  readonly kind: string;
  readonly data: EventData;
}

/** `E` narrowed to kind `K`, its payload typed (distributes over a union of kinds). */
export type EventOf<K extends EventKind, E extends KindedEvent = KindedEvent> = K extends EventKind
  ? E & { readonly kind: K; readonly data: EventPayload<K> }
  : never;

/**
 * Whether `event` is of `kind` (or of one of `kinds`), narrowing its payload:
 * `if (isEvent(event, 'credential.revoked')) event.data.appId`.
 */
export function isEvent<E extends KindedEvent, K extends EventKind>(
  event: E,
  kinds: K | readonly K[],
): event is EventOf<K, E> {
  return typeof kinds === 'string'
    ? event.kind === kinds
    : (kinds as readonly string[]).includes(event.kind);
}

/** The kinds whose payload has `field`, e.g. `decidedById`. */
export type KindWithField<F extends string> = {
  [K in EventKind]: F extends keyof EventPayload<K> ? K : never;
}[EventKind];

export function kindsWithField<F extends string>(field: F): readonly KindWithField<F>[] {
  return EVENT_KINDS.filter((kind): kind is KindWithField<F> =>
    Object.hasOwn(EVENT_DEFINITIONS[kind].data, field),
  );
}
