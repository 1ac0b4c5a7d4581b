import type { GraphQLResolveInfo } from 'graphql';
import { ACCESS_EXTENSION, checkAccess, type AccessRule } from '../../auth/access.js';
import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { badInput } from '../../errors.js';
import { assertStorableArgumentsOf } from '../../graphql/storable-arguments.js';
import { EventStream } from '../../events/event-stream.js';
import { isEventId, loadEventsAfter } from '../../events/events.service.js';
import { topics, type EventTopic } from '../../events/topics.js';

/**
 * type-graphql runs global middlewares (our `enforceAccess` and `refuseUnstorableArguments`)
 * around a subscription's `resolve`, i.e. per event, not around its `subscribe`: so the
 * declared rule and the arguments are checked here, before anything streams.
 */
function assertDeclaredAccess(ctx: Context, info: GraphQLResolveInfo): void {
  const field = info.parentType.getFields()[info.fieldName];
  const rule = field?.extensions?.[ACCESS_EXTENSION] as AccessRule | undefined;
  checkAccess(rule, ctx, 'Subscription');
  assertStorableArgumentsOf(info);
}

function openStream(
  ctx: Context,
  topic: EventTopic,
  after: string | null | undefined,
): EventStream {
  if (after != null && !isEventId(after)) {
    throw badInput('after', 'Pass the id of an event you received.');
  }
  return new EventStream({
    bus: ctx.events,
    topic,
    after: after ?? null,
    loadAfter: (cursor, limit) => loadEventsAfter(ctx.orm.em.fork(), topic, cursor, limit),
  });
}

/** Staff's review queue: grants and developer applications to decide. */
export function reviewQueueEventStream(
  ctx: Context,
  info: GraphQLResolveInfo,
  after: string | null | undefined,
): EventStream {
  assertDeclaredAccess(ctx, info);
  return openStream(ctx, topics.reviewQueue, after);
}

/** One organization's events: its members (any role) and staff. NOT_FOUND for others. */
export async function organizationEventStream(
  ctx: Context,
  info: GraphQLResolveInfo,
  organizationId: string,
  after: string | null | undefined,
): Promise<EventStream> {
  assertDeclaredAccess(ctx, info);
  await assertOrgAction(ctx, organizationId, 'org:read');
  return openStream(ctx, topics.org(organizationId), after);
}

/** The viewer's own events. */
export function viewerEventStream(
  ctx: Context,
  info: GraphQLResolveInfo,
  after: string | null | undefined,
): EventStream {
  assertDeclaredAccess(ctx, info);
  return openStream(ctx, topics.user(requireViewer(ctx).user.id), after);
}
