import { registerNodeFinder } from '../../graphql/node.service.js';
import { UserNotificationsResolver } from './notifications.resolver.js';
import { findNotification } from './notifications.service.js';

registerNodeFinder('ntf', findNotification);

export const notificationsResolvers: Function[] = [UserNotificationsResolver];
