import { Field, ID, ObjectType } from 'type-graphql';
import type { EventData } from './events.entity.js';
import type { EventRecord } from './events.service.js';

/** The fields every live event has; each subscription has its own object type. */
@ObjectType()
export abstract class LiveEvent {
  @Field(() => ID, {
    description:
      'The event id. It increases over time: pass the highest one you saw as `after` when you subscribe again, to be sent what you missed.',
  })
  id!: string;

  @Field({ description: 'What happened, e.g. `grant.requested`, `grant.decided`.' })
  kind!: string;

  @Field(() => ID, { description: 'The id of what it happened to (a grant, an application…).' })
  subjectId!: string;

  @Field({ description: 'When it happened.' })
  createdAt!: Date;

  /** Not exposed: ids the field resolvers read (e.g. `decidedById`). */
  data!: EventData;
}

@ObjectType({
  description: "An event of staff's review queue (grants and developer applications).",
})
export class QueueEvent extends LiveEvent {}

@ObjectType({ description: 'An event of one organization (its grants).' })
export class OrganizationEvent extends LiveEvent {}

@ObjectType({ description: 'An event for the viewer alone (their notifications and application).' })
export class ViewerEvent extends LiveEvent {}

@ObjectType({ description: "An event of the staff console (a bulk run's progress)." })
export class StaffEvent extends LiveEvent {}

export type LiveEventType = typeof QueueEvent | typeof OrganizationEvent | typeof ViewerEvent;

export function liveEvent<T extends LiveEvent>(type: new () => T, record: EventRecord): T {
  const event = new type();
  event.id = record.id;
  event.kind = record.kind;
  event.subjectId = record.subjectId;
  event.createdAt = record.createdAt;
  event.data = record.data;
  return event;
}
