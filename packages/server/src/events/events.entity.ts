import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** What an event carries besides its subject: ids and small values, never secrets. */
export type EventData = Record<string, string | number | boolean | null>;

/**
 * An event, written in the same transaction as the change it describes. Its id increases
 * monotonically; clients resume from the last id they saw. Carries ids only, never secrets.
 */
@Entity()
@Index({ properties: ['topic', 'id'] })
export class DomainEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** Which stream: e.g. `review_queue`, `org:<orgId>`, `user:<userId>` (see topics.ts). */
  @Property({ type: 'text' })
  topic: string;

  /** What happened, e.g. `grant.requested`, `grant.decided` (see `EventMap`). */
  @Property({ type: 'text' })
  kind: string;

  @Property({ type: 'text' })
  subjectId: string;

  @Property({ type: 'jsonb' })
  data: EventData;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  constructor(topic: string, kind: string, subjectId: string, data: EventData = {}) {
    this.topic = topic;
    this.kind = kind;
    this.subjectId = subjectId;
    this.data = data;
  }
}
