import type { GraphQLResolveInfo } from 'graphql';
import { ACCESS_EXTENSION, checkAccess, type AccessRule } from '../../auth/access.js';
import { OPERATION_PERMISSIONS } from '../../auth/token-permissions.js';
import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { badInput } from '../../errors.js';
import { assertStorableArgumentsOf } from '../../graphql/storable-arguments.js';
import { EventStream } from '../../events/event-stream.js';
import { isEventId, loadEventsAfter } from '../../events/events.service.js';
import { topics, type EventTopic } from '../../events/topics.js';
import { liveAccess } from './live.access.js';
import { detachedViewer } from './live.viewer.js';

/**
 * The schema's field guards (`guardFields` in schema.ts) wrap a subscription's `resolve`, i.e.
 * run per event, not its `subscribe`: so the declared rule and the arguments are checked here,
 * before anything streams.
 */
function assertDeclaredAccess(ctx: Context, info: GraphQLResolveInfo): void {
  const field = info.parentType.getFields()[info.fieldName];
  const rule = field?.extensions?.[ACCESS_EXTENSION] as AccessRule | undefined;
  const permission = OPERATION_PERMISSIONS[`Subscription.${info.fieldName}`];
  checkAccess(rule, ctx, 'Subscription', permission);
  assertStorableArgumentsOf(info);
}

/**
 * The viewer's stream of `topic`. Their access must hold for its whole life: each event is
 * checked before it is sent, and the stream ends (typed) as soon as access is gone, with the
 * organization's membership when `organizationId` is given (see `LiveAccess`).
 */
function openStream(
  ctx: Context,
  topic: EventTopic,
  after: string | null | undefined,
  organizationId: string | null,
): EventStream {
  if (after != null && !isEventId(after)) {
    throw badInput('after', 'Pass the id of an event you received.');
  }
  // The stream keeps the viewer, without the EntityManager of the operation that opened it.
  const viewer = detachedViewer(requireViewer(ctx));
  const access = liveAccess(ctx);
  const { orm } = ctx;
  const stream = new EventStream({
    bus: ctx.events,
    topic,
    after: after ?? null,
    loadAfter: (cursor, limit) => loadEventsAfter(orm.em.fork(), topic, cursor, limit),
    admit: access.checker(viewer, organizationId),
  });
  access.watch(viewer.user.id, stream);
  return stream;
}

/** Staff's review queue: grants and developer applications to decide. */
export function reviewQueueEventStream(
  ctx: Context,
  info: GraphQLResolveInfo,
  after: string | null | undefined,
): EventStream {
  assertDeclaredAccess(ctx, info);
  return openStream(ctx, topics.reviewQueue, after, null);
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
  return openStream(ctx, topics.org(organizationId), after, organizationId);
}

/** The viewer's own events. */
export function viewerEventStream(
  ctx: Context,
  info: GraphQLResolveInfo,
  after: string | null | undefined,
): EventStream {
  assertDeclaredAccess(ctx, info);
  return openStream(ctx, topics.user(requireViewer(ctx).user.id), after, null);
}

/** The staff console's events: bulk runs queued, progressing, finished or refused. */
export function staffEventStream(
  ctx: Context,
  info: GraphQLResolveInfo,
  after: string | null | undefined,
): EventStream {
  assertDeclaredAccess(ctx, info);
  return openStream(ctx, topics.staff, after, null);
}
