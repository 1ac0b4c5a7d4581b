import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { PageArgs } from '../../graphql/connection.js';
import { WebhookEndpoint } from './webhooks.entity.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  disableWebhookEndpoint,
  enableWebhookEndpoint,
  listDeliveries,
  listWebhookEndpoints,
  replayWebhookDelivery,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookEndpoint,
} from './webhooks.service.js';
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  DeleteWebhookEndpointInput,
  DeleteWebhookEndpointPayload,
  DisableWebhookEndpointInput,
  EnableWebhookEndpointInput,
  ReplayWebhookDeliveryInput,
  RotateWebhookSecretInput,
  RotateWebhookSecretPayload,
  SendTestWebhookInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryConnection,
  WebhookDeliveryPayload,
  WebhookEndpointPayload,
} from './webhooks.types.js';

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Access('SIGNED_IN')
  @Query(() => [WebhookEndpoint], {
    description: "Organization admins: the organization's webhook endpoints, newest first.",
  })
  async webhookEndpoints(
    @Arg('organizationId', () => ID, {
      description: 'The organization; you must be one of its admins.',
    })
    organizationId: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint[]> {
    return listWebhookEndpoints(ctx, organizationId);
  }

  @FieldResolver(() => WebhookDeliveryConnection, {
    description: 'What was sent to the endpoint (and what waits to be), newest first.',
  })
  async deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Args() args: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryConnection> {
    return listDeliveries(ctx, endpoint, args);
  }

  @Access('SIGNED_IN')
  @Mutation(() => CreateWebhookEndpointPayload, {
    description:
      'Organization admins register an endpoint; its signing secret is in this payload only.',
  })
  async createWebhookEndpoint(
    @Arg('input', { description: 'The organization, URL and events.' })
    input: CreateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<CreateWebhookEndpointPayload> {
    return createWebhookEndpoint(ctx, input);
  }

  @Access('SIGNED_IN')
  @Mutation(() => WebhookEndpointPayload, {
    description: "Organization admins change an endpoint's URL, description or events.",
  })
  async updateWebhookEndpoint(
    @Arg('input', { description: 'The endpoint and the fields to change.' })
    input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointPayload> {
    return { endpoint: await updateWebhookEndpoint(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => WebhookEndpointPayload, {
    description: 'Organization admins stop deliveries to an endpoint.',
  })
  async disableWebhookEndpoint(
    @Arg('input', { description: 'The endpoint to disable.' }) input: DisableWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointPayload> {
    return { endpoint: await disableWebhookEndpoint(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => WebhookEndpointPayload, {
    description: 'Organization admins send to a disabled endpoint again.',
  })
  async enableWebhookEndpoint(
    @Arg('input', { description: 'The endpoint to enable.' }) input: EnableWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointPayload> {
    return { endpoint: await enableWebhookEndpoint(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => DeleteWebhookEndpointPayload, {
    description: 'Organization admins delete an endpoint and its delivery log.',
  })
  async deleteWebhookEndpoint(
    @Arg('input', { description: 'The endpoint to delete.' }) input: DeleteWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<DeleteWebhookEndpointPayload> {
    return { deletedEndpointId: await deleteWebhookEndpoint(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => RotateWebhookSecretPayload, {
    description:
      "Organization admins replace an endpoint's signing secret; the old one keeps signing for the overlap.",
  })
  async rotateWebhookSecret(
    @Arg('input', { description: 'The endpoint and the overlap.' }) input: RotateWebhookSecretInput,
    @Ctx() ctx: Context,
  ): Promise<RotateWebhookSecretPayload> {
    return rotateWebhookSecret(ctx, input);
  }

  @Access('SIGNED_IN')
  @Mutation(() => WebhookDeliveryPayload, {
    description: 'Organization admins send a `webhook.test` event to an endpoint.',
  })
  async sendTestWebhook(
    @Arg('input', { description: 'The endpoint to test.' }) input: SendTestWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryPayload> {
    return { delivery: await sendTestWebhook(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => WebhookDeliveryPayload, {
    description: 'Organization admins send a delivery again, with the same webhook-id and body.',
  })
  async replayWebhookDelivery(
    @Arg('input', { description: 'The delivery to send again.' }) input: ReplayWebhookDeliveryInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryPayload> {
    return { delivery: await replayWebhookDelivery(ctx, input) };
  }
}
