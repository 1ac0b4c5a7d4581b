import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection.js';
import { WebhookDelivery, WebhookEndpoint, WebhookEventType } from './webhooks.entity.js';

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, 'WebhookDelivery');
export type WebhookDeliveryConnection = InstanceType<typeof WebhookDeliveryConnection>;

@InputType({ description: 'A new webhook endpoint of an organization.' })
export class CreateWebhookEndpointInput {
  @Field(() => ID, { description: 'The organization; you must be one of its admins.' })
  organizationId!: string;

  @Field({
    description:
      'Where to POST events: an https:// URL whose host resolves to public addresses only (http:// and private addresses only where the deployment allows them).',
  })
  url!: string;

  @Field(() => String, { nullable: true, description: 'What the endpoint is for (500 at most).' })
  description?: string | null;

  @Field(() => [WebhookEventType], { description: 'The events to send (at least one).' })
  eventTypes!: WebhookEventType[];
}

@InputType({ description: 'The endpoint to change; fields left out or null are not changed.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: 'The endpoint to change.' })
  endpointId!: string;

  @Field(() => String, { nullable: true, description: 'A new URL, checked as when created.' })
  url?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the endpoint is for (500 characters at most); empty clears it.',
  })
  description?: string | null;

  @Field(() => [WebhookEventType], {
    nullable: true,
    description: 'Replaces the events to send (at least one).',
  })
  eventTypes?: WebhookEventType[] | null;
}

@InputType()
export class WebhookEndpointIdInput {
  @Field(() => ID, { description: 'The webhook endpoint.' })
  endpointId!: string;
}

@InputType({ description: 'The endpoint to stop sending to.' })
export class DisableWebhookEndpointInput extends WebhookEndpointIdInput {}

@InputType({ description: 'The disabled endpoint to send to again.' })
export class EnableWebhookEndpointInput extends WebhookEndpointIdInput {}

@InputType({ description: 'The endpoint to delete.' })
export class DeleteWebhookEndpointInput extends WebhookEndpointIdInput {}

@InputType({ description: 'The endpoint to send a `webhook.test` event to.' })
export class SendTestWebhookInput extends WebhookEndpointIdInput {}

@InputType({ description: 'The endpoint whose signing secret to replace, and the overlap.' })
export class RotateWebhookSecretInput extends WebhookEndpointIdInput {
  @Field(() => Int, {
    nullable: true,
    description:
      'Hours (0 to 168) the old secret keeps signing beside the new one; 24 by default, 0 ends it at once.',
  })
  overlapHours?: number | null;
}

@InputType({ description: 'The delivery to send again.' })
export class ReplayWebhookDeliveryInput {
  @Field(() => ID, { description: 'The delivery, of an endpoint of your organization.' })
  deliveryId!: string;
}

@ObjectType({
  description: 'The result of `createWebhookEndpoint`: the endpoint and its secret, shown once.',
})
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { description: 'The new endpoint, enabled.' })
  endpoint!: WebhookEndpoint;

  @Field({
    description:
      'The signing secret (`whsec_…`, Standard Webhooks). It is shown here once and cannot be read again.',
  })
  secret!: string;
}

@ObjectType({ description: 'The result of `rotateWebhookSecret`: the new secret, shown once.' })
export class RotateWebhookSecretPayload {
  @Field(() => WebhookEndpoint, { description: 'The endpoint, with its new secret in use.' })
  endpoint!: WebhookEndpoint;

  @Field({ description: 'The new signing secret. It is shown here once and cannot be read again.' })
  secret!: string;
}

@ObjectType({ description: 'A webhook endpoint as a mutation left it.' })
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { description: 'The endpoint as it is now.' })
  endpoint!: WebhookEndpoint;
}

@ObjectType({ description: 'The result of `deleteWebhookEndpoint`.' })
export class DeleteWebhookEndpointPayload {
  @Field(() => ID, { description: 'The id of the deleted endpoint.' })
  deletedEndpointId!: string;
}

@ObjectType({ description: 'A delivery a mutation enqueued.' })
export class WebhookDeliveryPayload {
  @Field(() => WebhookDelivery, { description: 'The delivery, PENDING until it is sent.' })
  delivery!: WebhookDelivery;
}
