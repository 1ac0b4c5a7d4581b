/**
 * The streams events go to. A topic is stored as text in `domain_event.topic`; it is built only
 * by `topics` and read back only by `parseTopic`, never by hand.
 */
export type EventTopic =
  'review_queue' | 'gateway' | 'access' | 'staff' | `org:${string}` | `user:${string}`;

/** Which stream a topic is, with the id it belongs to. */
export type ParsedTopic =
  /** Staff's review queue: grants and developer applications to decide. */
  | { kind: 'reviewQueue' }
  /** What every gateway holds for all organizations: products, plans, plan subscriptions, gateway tokens. */
  | { kind: 'catalog' }
  /** One organization: its grants, apps, credentials, environments and plans. */
  | { kind: 'org'; organizationId: string }
  /** One user: their notifications and developer application. */
  | { kind: 'user'; userId: string }
  /**
   * Who may read what: memberships, sign-in sessions, personal access tokens. Every instance
   * re-checks its open streams (and closes their sockets) from it; no client subscribes to it.
   */
  | { kind: 'access' }
  /** The staff console: bulk runs' progress. */
  | { kind: 'staff' };

/** The name of a kind of topic, e.g. `org`. */
export type TopicName = ParsedTopic['kind'];

const REVIEW_QUEUE = 'review_queue';
/** Stored as `gateway`, as it always was: the one topic whose changes reload every gateway's catalog. */
const CATALOG = 'gateway';
const ACCESS = 'access';
const STAFF = 'staff';
const ORG_PREFIX = 'org:';
const USER_PREFIX = 'user:';

export const topics = {
  reviewQueue: REVIEW_QUEUE,
  catalog: CATALOG,
  access: ACCESS,
  staff: STAFF,
  org: (organizationId: string): EventTopic => `${ORG_PREFIX}${organizationId}`,
  user: (userId: string): EventTopic => `${USER_PREFIX}${userId}`,
} as const satisfies Record<TopicName, EventTopic | ((id: string) => EventTopic)>;

/** The stream `topic` names, or null for text that is no topic (e.g. `org:` without an id). */
export function parseTopic(topic: string): ParsedTopic | null {
  if (topic === REVIEW_QUEUE) return { kind: 'reviewQueue' };
  if (topic === CATALOG) return { kind: 'catalog' };
  if (topic === ACCESS) return { kind: 'access' };
  if (topic === STAFF) return { kind: 'staff' };
  if (topic.startsWith(ORG_PREFIX) && topic.length > ORG_PREFIX.length) {
    return { kind: 'org', organizationId: topic.slice(ORG_PREFIX.length) };
  }
  if (topic.startsWith(USER_PREFIX) && topic.length > USER_PREFIX.length) {
    return { kind: 'user', userId: topic.slice(USER_PREFIX.length) };
  }
  return null;
}

/** The topic a parsed one came from: `formatTopic(parseTopic(t)) === t` for every topic. */
export function formatTopic(topic: ParsedTopic): EventTopic {
  switch (topic.kind) {
    case 'reviewQueue':
      return topics.reviewQueue;
    case 'catalog':
      return topics.catalog;
    case 'access':
      return topics.access;
    case 'staff':
      return topics.staff;
    case 'org':
      return topics.org(topic.organizationId);
    case 'user':
      return topics.user(topic.userId);
  }
}
