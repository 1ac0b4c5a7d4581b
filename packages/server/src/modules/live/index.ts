import { eventResolvers } from './live.resolver.js';

export { LiveConnections, UNAUTHORIZED_CLOSE_CODE, type LiveSocket } from './live.connections.js';
export { liveAccess } from './live.access.js';
export { detachedViewer } from './live.viewer.js';

/** The live streams (GraphQL subscriptions over the event bus), checked for access per event. */
export const liveResolvers: Function[] = [...eventResolvers];
