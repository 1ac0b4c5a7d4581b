import { onPublish } from '../../events/events.service.js';
import { registerNodeFinder } from '../../graphql/node.service.js';
import { webhookEventsFor } from './webhooks.events.js';
import { WebhookResolver } from './webhooks.resolver.js';
import {
  enqueueWebhookEvent,
  findWebhookDelivery,
  findWebhookEndpoint,
} from './webhooks.service.js';

registerNodeFinder('whk', findWebhookEndpoint);
registerNodeFinder('whd', findWebhookDelivery);

// Deliveries are written in the transaction of the event that causes them.
onPublish(async (em, event) => {
  for (const webhookEvent of webhookEventsFor(event)) await enqueueWebhookEvent(em, webhookEvent);
});

export { WebhookDeliveries } from './webhooks.delivery.js';
export { enqueueWebhookEvent, WEBHOOKS_CHANNEL } from './webhooks.service.js';
export { WebhookEventType } from './webhooks.entity.js';

export const webhooksResolvers: Function[] = [WebhookResolver];
