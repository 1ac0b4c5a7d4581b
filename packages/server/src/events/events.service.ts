import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { eventRows, type EventInput, type EventKind, type EventRowInput } from './domain-events.js';
import { DomainEvent, type EventData } from './events.entity.js';
import type { EventTopic } from './topics.js';

export const EVENTS_CHANNEL = 'portico_events';
/** Advisory lock key that orders event-publishing transactions. */
const EVENTS_LOCK_KEY = 7_260_114_001;

/**
 * Records an event in the transaction of `em`, one row per topic of its kind (see
 * `EVENT_DEFINITIONS`), and NOTIFYs every instance with their ids. The notifications are
 * delivered only if the transaction commits, so a rolled-back change never notifies. Call it
 * inside `em.transactional(...)`:
 *
 *     await publish(em, 'grant.decided', { subjectId: grant.id, organizationId, ...decision });
 *
 * Returns the rows written, in id order.
 */
export async function publish<K extends EventKind>(
  em: EntityManager,
  kind: K,
  input: EventInput<K>,
): Promise<DomainEvent[]> {
  const rows = eventRows(kind, input);
  const events = await appendEvents(em, rows);
  const data = rows[0]?.data ?? {};
  const given = input as EventInput<K> & { organizationId?: unknown; userId?: unknown };
  const published: PublishedEvent = {
    kind,
    subjectId: input.subjectId,
    organizationId: typeof given.organizationId === 'string' ? given.organizationId : null,
    userId: typeof given.userId === 'string' ? given.userId : null,
    data,
  };
  for (const handler of publishHandlers) await handler(em, published);
  return events;
}

/** An event as the in-transaction handlers see it: its kind, subject, route ids and payload. */
export interface PublishedEvent {
  readonly kind: EventKind;
  readonly subjectId: string;
  /** The organization of an event on an organization's stream; null otherwise. */
  readonly organizationId: string | null;
  /** The user of an event on a user's stream; null otherwise. */
  readonly userId: string | null;
  readonly data: EventData;
}

/** Work a module does in the transaction of every event `publish` writes (an outbox, say). */
export type PublishHandler = (em: EntityManager, event: PublishedEvent) => Promise<void>;

const publishHandlers: PublishHandler[] = [];

/**
 * Runs `handler` inside the publishing transaction for every event, after its rows are written:
 * what it writes commits or rolls back with the change (the webhooks module writes its
 * deliveries so). A handler that throws fails the change. Register once, when a module loads.
 */
export function onPublish(handler: PublishHandler): void {
  if (!publishHandlers.includes(handler)) publishHandlers.push(handler);
}

/**
 * The transport under `publish`: writes these rows as they are, whatever their topic, kind and
 * data. For the event bus's own tests and benchmarks; application code calls `publish`.
 */
export async function appendEvent(em: EntityManager, row: RawEventInput): Promise<DomainEvent> {
  const [event] = await appendEvents(em, [
    { topic: row.topic, kind: row.kind, subjectId: row.subjectId, data: row.data ?? {} },
  ]);
  if (!event) throw new Error('No event was written.');
  return event;
}

/** A row for `appendEvent`: any topic and kind, data optional. */
export interface RawEventInput {
  topic: EventTopic;
  kind: string;
  subjectId: string;
  /** Ids and small values only (never secrets); the NOTIFY payload carries just the event id. */
  data?: EventData;
}

async function appendEvents(em: EntityManager, rows: EventRowInput[]): Promise<DomainEvent[]> {
  if (rows.length === 0) return [];
  // Held until this transaction ends: transactions that publish commit in the order of their
  // event ids, so a client resuming after id N can never miss a lower id committed later.
  await em.execute('select pg_advisory_xact_lock(?)', [EVENTS_LOCK_KEY]);
  const events: DomainEvent[] = [];
  for (const row of rows) {
    const event = new DomainEvent(row.topic, row.kind, row.subjectId, row.data);
    em.persist(event);
    // One flush per row, so the ids follow the order of the topics.
    await em.flush();
    await em.execute('select pg_notify(?, ?)', [EVENTS_CHANNEL, `${event.id}`]);
    events.push(event);
  }
  noteUncommitted(em, events);
  return events;
}

/**
 * The events each open transaction of this process wrote, by its outermost transaction: handed
 * to this instance's own-commit handlers when it commits (see `deliverOwnCommits`), dropped
 * when it rolls back.
 */
const uncommitted = new WeakMap<object, EventRecord[]>();

function noteUncommitted(em: EntityManager, events: DomainEvent[]): void {
  const transaction: unknown = em.getTransactionContext();
  // Outside a transaction each row committed on its own: its notification is all there is.
  if (!isTransaction(transaction)) return;
  const root = outermostTransaction(transaction);
  const written = uncommitted.get(root) ?? [];
  for (const event of events) {
    written.push(
      Object.freeze({
        id: String(event.id),
        topic: event.topic,
        kind: event.kind,
        subjectId: event.subjectId,
        data: event.data,
        createdAt: event.createdAt,
      }),
    );
  }
  uncommitted.set(root, written);
}

/** A transaction of the ORM's driver (a Knex transaction: a function with properties). */
function isTransaction(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/**
 * The transaction that commits for `transaction`: itself, or for a nested one (a savepoint,
 * from `em.transactional` inside another) the outermost one. MikroORM links a savepoint to its
 * parent with a symbol of its own (`parentTransaction`) and tells its subscribers only about
 * the outermost transaction's commit. (`publish.test.ts` checks a nested publish.)
 */
function outermostTransaction(transaction: object): object {
  let current = transaction;
  for (let depth = 0; depth < 100; depth++) {
    const link = Object.getOwnPropertySymbols(current).find(
      (symbol) => symbol.description === 'parentTransaction',
    );
    const parent: unknown = link ? Reflect.get(current, link) : undefined;
    if (!isTransaction(parent)) return current;
    current = parent;
  }
  return current;
}

/**
 * Hands the events each transaction of `orm` wrote to `bus`'s own-commit handlers right after
 * it commits, before the operation that made them answers: this instance acts on its own
 * changes (e.g. its gateway evicts a revoked credential) without waiting for LISTEN/NOTIFY.
 * Register once per ORM, before requests fork it.
 */
export function deliverOwnCommits(
  orm: MikroORM,
  bus: { deliverOwnCommit(events: readonly EventRecord[]): void },
): void {
  orm.em.getEventManager().registerSubscriber({
    afterTransactionCommit({ transaction }) {
      if (!isTransaction(transaction)) return;
      const written = uncommitted.get(transaction);
      if (!written) return;
      uncommitted.delete(transaction);
      bus.deliverOwnCommit(written);
    },
    afterTransactionRollback({ transaction }) {
      if (isTransaction(transaction)) uncommitted.delete(transaction);
    },
  });
}

/** An event as delivered to subscribers: a plain, immutable copy of its row. */
export interface EventRecord {
  /** The bigint id as a decimal string. */
  readonly id: string;
  readonly topic: string;
  readonly kind: string;
  readonly subjectId: string;
  readonly data: EventData;
  readonly createdAt: Date;
}

/** The columns every event query selects, in the shape `eventFromRow` reads. */
export const EVENT_COLUMNS =
  'id::text as id, topic, kind, subject_id, data, created_at from domain_event';

export interface EventRow {
  id: string;
  topic: string;
  kind: string;
  subject_id: string;
  data: EventData | null;
  created_at: Date | string;
}

export function eventFromRow(row: EventRow): EventRecord {
  return Object.freeze({
    id: row.id,
    topic: row.topic,
    kind: row.kind,
    subjectId: row.subject_id,
    data: row.data ?? {},
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  });
}

/** Compares two event ids (decimal strings of bigints). */
export function compareEventIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export const isEventId = (value: string): boolean => /^(0|[1-9][0-9]{0,18})$/.test(value);

/**
 * Stored events of `topic` with an id above `after`, oldest first, at most `limit` of them:
 * the backlog a subscriber that resumes from `after` missed.
 */
export async function loadEventsAfter(
  em: EntityManager,
  topic: string,
  after: string,
  limit: number,
): Promise<EventRecord[]> {
  const rows = await em
    .getConnection()
    .execute<EventRow[]>(
      `select ${EVENT_COLUMNS} where topic = ? and id > ?::bigint order by id limit ?`,
      [topic, after, limit],
    );
  return rows.map(eventFromRow);
}
