import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { User } from '../accounts/accounts.entity.js';
import { DeveloperApplication } from '../applications/applications.entity.js';
import { ProductGrant } from '../grants/grants.entity.js';
import { Notification } from '../notifications/notifications.entity.js';
import { BulkRun } from '../staff/staff.entity.js';
import { isEvent, kindsWithField } from '../../events/domain-events.js';
import type { EventRecord } from '../../events/events.service.js';
import {
  organizationEventStream,
  reviewQueueEventStream,
  staffEventStream,
  viewerEventStream,
} from './live.subscriptions.js';
import {
  liveEvent,
  LiveEvent,
  OrganizationEvent,
  QueueEvent,
  StaffEvent,
  ViewerEvent,
  type LiveEventType,
} from '../../events/events.types.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';

interface AfterArgs {
  after?: string | null;
}

const AFTER_DESCRIPTION =
  'Resume after this event id: the stored events since are sent first, then live ones.';

@Resolver()
export class EventsSubscriptionResolver {
  @Access('STAFF')
  @Subscription(() => QueueEvent, {
    description: 'Live events of the review queue (staff).',
    subscribe: ({ args, context, info }: SubscribeResolverData<unknown, AfterArgs, Context>) =>
      reviewQueueEventStream(context, info, args.after),
  })
  reviewQueueEvents(
    @Root() event: EventRecord,
    @Arg('after', () => ID, { nullable: true, description: AFTER_DESCRIPTION })
    _after: string | null,
  ): QueueEvent {
    return liveEvent(QueueEvent, event);
  }

  @Access('SIGNED_IN')
  @Subscription(() => OrganizationEvent, {
    description: "Live events of one organization's grants (its members and staff).",
    subscribe: ({
      args,
      context,
      info,
    }: SubscribeResolverData<unknown, AfterArgs & { organizationId: string }, Context>) =>
      organizationEventStream(context, info, args.organizationId, args.after),
  })
  organizationEvents(
    @Root() event: EventRecord,
    @Arg('organizationId', () => ID, { description: 'The organization whose events to receive.' })
    _organizationId: string,
    @Arg('after', () => ID, { nullable: true, description: AFTER_DESCRIPTION })
    _after: string | null,
  ): OrganizationEvent {
    return liveEvent(OrganizationEvent, event);
  }

  @Access('STAFF')
  @Subscription(() => StaffEvent, {
    description: "Live events of the staff console: bulk runs' progress (staff).",
    subscribe: ({ args, context, info }: SubscribeResolverData<unknown, AfterArgs, Context>) =>
      staffEventStream(context, info, args.after),
  })
  staffEvents(
    @Root() event: EventRecord,
    @Arg('after', () => ID, { nullable: true, description: AFTER_DESCRIPTION })
    _after: string | null,
  ): StaffEvent {
    return liveEvent(StaffEvent, event);
  }

  @Access('SIGNED_IN')
  @Subscription(() => ViewerEvent, {
    description: 'Live events for the viewer: their notifications and developer application.',
    subscribe: ({ args, context, info }: SubscribeResolverData<unknown, AfterArgs, Context>) =>
      viewerEventStream(context, info, args.after),
  })
  viewerEvents(
    @Root() event: EventRecord,
    @Arg('after', () => ID, { nullable: true, description: AFTER_DESCRIPTION })
    _after: string | null,
  ): ViewerEvent {
    return liveEvent(ViewerEvent, event);
  }
}

/** The kinds whose payload says who decided (grants and developer applications). */
const DECIDED_KINDS = kindsWithField('decidedById');

const subjectIdWithPrefix = (event: LiveEvent, prefix: string): string | null =>
  event.subjectId.startsWith(`${prefix}_`) ? event.subjectId : null;

/**
 * The objects an event is about, loaded with the event's own context (a fresh `em.fork()` per
 * event, see per-event-context.ts). Access to the topic was checked when subscribing, and is
 * checked again before each event (live.access.ts).
 */
function liveEventFieldsResolver(type: LiveEventType): Function {
  @Resolver(() => type)
  class LiveEventFieldsResolver {
    @FieldResolver(() => ProductGrant, {
      nullable: true,
      description: 'When the subject is a grant.',
    })
    async grant(@Root() event: LiveEvent, @Ctx() ctx: Context): Promise<ProductGrant | null> {
      const id = subjectIdWithPrefix(event, 'grt');
      return id ? ctx.em.findOne(ProductGrant, { id }) : null;
    }

    @FieldResolver(() => DeveloperApplication, {
      nullable: true,
      description: 'When the subject is a developer application.',
    })
    async application(
      @Root() event: LiveEvent,
      @Ctx() ctx: Context,
    ): Promise<DeveloperApplication | null> {
      const id = subjectIdWithPrefix(event, 'dap');
      return id ? ctx.em.findOne(DeveloperApplication, { id }) : null;
    }

    @FieldResolver(() => Notification, {
      nullable: true,
      description: 'When the subject is a notification.',
    })
    async notification(
      @Root() event: LiveEvent,
      @Ctx() ctx: Context,
    ): Promise<Notification | null> {
      const id = subjectIdWithPrefix(event, 'ntf');
      return id ? ctx.em.findOne(Notification, { id }) : null;
    }

    @FieldResolver(() => User, { nullable: true, description: 'Who decided, for a decision.' })
    async decidedBy(@Root() event: LiveEvent, @Ctx() ctx: Context): Promise<User | null> {
      if (!isEvent(event, DECIDED_KINDS)) return null;
      const id = event.data.decidedById;
      return typeof id === 'string' ? accountLoaders(ctx).userById.load(id) : null;
    }
  }
  return LiveEventFieldsResolver;
}

@Resolver(() => StaffEvent)
class StaffEventFieldsResolver {
  @FieldResolver(() => BulkRun, {
    nullable: true,
    description: 'When the subject is a bulk run: the run, with its counts.',
  })
  async bulkRun(@Root() event: LiveEvent, @Ctx() ctx: Context): Promise<BulkRun | null> {
    const id = subjectIdWithPrefix(event, 'blk');
    return id ? ctx.em.findOne(BulkRun, { id }) : null;
  }
}

export const eventResolvers: Function[] = [
  EventsSubscriptionResolver,
  StaffEventFieldsResolver,
  liveEventFieldsResolver(QueueEvent),
  liveEventFieldsResolver(OrganizationEvent),
  liveEventFieldsResolver(ViewerEvent),
];
