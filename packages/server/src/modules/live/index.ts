import { eventResolvers } from './live.resolver.js';

/** The live streams (GraphQL subscriptions over the event bus), checked for access per event. */
export const liveResolvers: Function[] = [...eventResolvers];
