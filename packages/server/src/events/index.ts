import type { PubSub } from 'type-graphql';

export { EventBus } from './event-bus.js';
export {
  EVENT_DEFINITIONS,
  EVENT_KINDS,
  isEvent,
  isEventKind,
  kindsWithField,
  type EventInput,
  type EventKind,
  type EventMap,
  type EventOf,
  type EventPayload,
} from './domain-events.js';
export {
  EVENTS_CHANNEL,
  onPublish,
  publish,
  type EventRecord,
  type PublishedEvent,
  type PublishHandler,
} from './events.service.js';
export { formatTopic, parseTopic, topics, type EventTopic, type ParsedTopic } from './topics.js';
export { subscribeWithContextPerEvent } from './per-event-context.js';

/**
 * type-graphql refuses to build subscriptions without a `pubSub`, even when each declares its
 * own `subscribe` (ours do, over the EventBus). This one is never used; it fails loudly if it is.
 */
export const unusedPubSub: PubSub = {
  publish() {
    throw new Error('Publish events with publish() inside the transaction.');
  },
  subscribe() {
    throw new Error('Subscriptions declare their own subscribe function.');
  },
};
