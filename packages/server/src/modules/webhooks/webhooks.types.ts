import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection.js';
import { WebhookDelivery, WebhookEndpoint, WebhookEventType } from './webhooks.entity.js';

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, 'WebhookDelivery');
export type WebhookDeliveryConnection = InstanceType<typeof WebhookDeliveryConnection>;

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => ID)
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

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  endpointId!: string;

  @Field(() => String, { nullable: true, description: 'A new URL, checked as when created.' })
  url?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [WebhookEventType], { nullable: true })
  eventTypes?: WebhookEventType[] | null;
}

@InputType()
export class WebhookEndpointIdInput {
  @Field(() => ID)
  endpointId!: string;
}

@InputType()
export class DisableWebhookEndpointInput extends WebhookEndpointIdInput {}

@InputType()
export class EnableWebhookEndpointInput extends WebhookEndpointIdInput {}

@InputType()
export class DeleteWebhookEndpointInput extends WebhookEndpointIdInput {}

@InputType()
export class SendTestWebhookInput extends WebhookEndpointIdInput {}

@InputType()
export class RotateWebhookSecretInput extends WebhookEndpointIdInput {
  @Field(() => Int, {
    nullable: true,
    description:
      'Hours (0 to 168) the old secret keeps signing beside the new one; 24 by default, 0 ends it at once.',
  })
  overlapHours?: number | null;
}

@InputType()
export class ReplayWebhookDeliveryInput {
  @Field(() => ID)
  deliveryId!: string;
}

@ObjectType()
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field({
    description:
      'The signing secret (`whsec_…`, Standard Webhooks). It is shown here once and cannot be read again.',
  })
  secret!: string;
}

@ObjectType()
export class RotateWebhookSecretPayload {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field({ description: 'The new signing secret. It is shown here once and cannot be read again.' })
  secret!: string;
}

@ObjectType()
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;
}

@ObjectType()
export class DeleteWebhookEndpointPayload {
  @Field(() => ID)
  deletedEndpointId!: string;
}

@ObjectType()
export class WebhookDeliveryPayload {
  @Field(() => WebhookDelivery)
  delivery!: WebhookDelivery;
}
