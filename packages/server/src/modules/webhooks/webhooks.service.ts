import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { requireViewer } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import type { Env } from '../../env.js';
import { badInput, conflict, hidingAsNotFound, notFound } from '../../errors.js';
import { paginate, type Connection, type PageArgs } from '../../graphql/connection.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { randomBase62 } from '../../ids.js';
import { User } from '../accounts/accounts.entity.js';
import { assertOrgAction } from '../orgs/orgs.access.js';
import { Organization } from '../orgs/orgs.entity.js';
import {
  TEST_EVENT_TYPE,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
} from './webhooks.entity.js';
import { payloadOf, type WebhookEvent } from './webhooks.events.js';
import { endpointUrlProblem, systemResolve, type NetworkPolicy } from './webhooks.network.js';
import { generateSigningSecret, SecretBox } from './webhooks.secrets.js';

/** Every instance LISTENs here; a transaction that enqueues deliveries NOTIFYs it. */
export const WEBHOOKS_CHANNEL = 'portico_webhooks';
/** Endpoints one organization may have. */
export const MAX_ENDPOINTS_PER_ORGANIZATION = 20;
/** How long a rotated-out secret keeps signing by default, and at most. */
export const DEFAULT_OVERLAP_HOURS = 24;
export const MAX_OVERLAP_HOURS = 7 * 24;

/** Whether endpoints may use http:// and the deployment's own networks. */
export function allowsPrivateNetwork(
  env: Pick<Env, 'WEBHOOKS_ALLOW_PRIVATE_NETWORK' | 'NODE_ENV'>,
): boolean {
  return env.WEBHOOKS_ALLOW_PRIVATE_NETWORK ?? env.NODE_ENV !== 'production';
}

export function networkPolicyOf(
  env: Pick<Env, 'WEBHOOKS_ALLOW_PRIVATE_NETWORK' | 'NODE_ENV'>,
): NetworkPolicy {
  return { allowPrivate: allowsPrivateNetwork(env), resolve: systemResolve };
}

/** The scheme and host of a URL: what audit entries keep (a path may carry a token). */
export function urlOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

const id = (label: string) =>
  z
    .string({ error: `${label} is missing.` })
    .trim()
    .min(1, `${label} is missing.`);
const Url = fields.line('URL').min(1, 'URL is required.').max(2048, 'URL is too long.');
const EventTypes = z
  .array(z.enum(WebhookEventType), { error: 'Choose the events to send.' })
  .min(1, 'Choose at least one event.')
  .transform((types) => [...new Set(types)]);
const Description = fields
  .optionalText('Description', 500)
  .nullish()
  .transform((value) => value ?? '');

const EndpointOrg = z.object({ organizationId: id('The organization id') });
const CreateInput = z.object({
  organizationId: id('The organization id'),
  url: Url,
  description: Description,
  eventTypes: EventTypes,
});
const UpdateInput = z.object({
  endpointId: id('The endpoint id'),
  url: Url.nullish(),
  description: fields.optionalText('Description', 500).nullish(),
  eventTypes: EventTypes.nullish(),
});
const EndpointInput = z.object({ endpointId: id('The endpoint id') });
const RotateInput = z.object({
  endpointId: id('The endpoint id'),
  overlapHours: z
    .number()
    .int('Give whole hours.')
    .min(0, 'The overlap cannot be negative.')
    .max(MAX_OVERLAP_HOURS, `The overlap is at most ${MAX_OVERLAP_HOURS} hours (7 days).`)
    .nullish()
    .transform((value) => value ?? DEFAULT_OVERLAP_HOURS),
});
const DeliveryInput = z.object({ deliveryId: id('The delivery id') });

function audit(
  em: EntityManager,
  ctx: Context,
  action: string,
  endpoint: WebhookEndpoint,
  data: Record<string, unknown> = {},
): void {
  // Never the secret, and only the origin of the URL: its path or query may hold a token.
  recordAudit(em, ctx, {
    organizationId: endpoint.organization.id,
    action,
    targetType: 'WebhookEndpoint',
    targetId: endpoint.id,
    data: { urlOrigin: urlOrigin(endpoint.url), ...data },
  });
}

async function checkUrl(ctx: Context, url: string): Promise<void> {
  const problem = await endpointUrlProblem(url, networkPolicyOf(ctx.env));
  if (problem) throw badInput('url', problem);
}

/**
 * The endpoint, if the viewer administers its organization: a non-member is told it does not
 * exist (on `field`), a developer that their role does not allow it.
 */
async function loadEndpointToManage(
  ctx: Context,
  em: EntityManager,
  endpointId: string,
  options: { field?: string; lock?: boolean } = {},
): Promise<WebhookEndpoint> {
  const field = options.field ?? 'endpointId';
  const endpoint = await em.findOne(
    WebhookEndpoint,
    { id: endpointId },
    options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {},
  );
  if (!endpoint) throw notFound('Webhook endpoint', field);
  await hidingAsNotFound('Webhook endpoint', field, () =>
    assertOrgAction(ctx, endpoint.organization.id, 'webhook:manage'),
  );
  return endpoint;
}

/** The organization's endpoints, newest first: admins only. */
export async function listWebhookEndpoints(
  ctx: Context,
  organizationId: string,
): Promise<WebhookEndpoint[]> {
  await assertOrgAction(ctx, organizationId, 'webhook:manage');
  return ctx.em.find(
    WebhookEndpoint,
    { organization: organizationId },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
}

/** An endpoint's deliveries, newest first (the endpoint was reached through an admin check). */
export async function listDeliveries(
  ctx: Context,
  endpoint: WebhookEndpoint,
  args: PageArgs,
): Promise<Connection<WebhookDelivery>> {
  return paginate(ctx.em, WebhookDelivery, { endpoint: endpoint.id }, args, 'desc');
}

/** `node(id:)` finders: null unless the viewer administers the organization. */
export async function findWebhookEndpoint(
  ctx: Context,
  endpointId: string,
): Promise<WebhookEndpoint | null> {
  if (!ctx.viewer) return null;
  return loadEndpointToManage(ctx, ctx.em, endpointId).catch(() => null);
}

export async function findWebhookDelivery(
  ctx: Context,
  deliveryId: string,
): Promise<WebhookDelivery | null> {
  if (!ctx.viewer) return null;
  const delivery = await ctx.em.findOne(WebhookDelivery, { id: deliveryId });
  if (!delivery) return null;
  const endpoint = await findWebhookEndpoint(ctx, delivery.endpoint.id);
  return endpoint ? delivery : null;
}

/**
 * An admin registers an endpoint: the URL is checked (https, and every address its host
 * resolves to public, unless the deployment allows its own networks), and the signing secret
 * is returned here, once. It is stored encrypted, never hashed: it must sign.
 */
export async function createWebhookEndpoint(
  ctx: Context,
  input: z.input<typeof CreateInput>,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const viewer = requireViewer(ctx);
  const organizationId = parseInput(EndpointOrg, input).organizationId;
  await assertOrgAction(ctx, organizationId, 'webhook:manage');
  const data = parseInput(CreateInput, input);
  await checkUrl(ctx, data.url);
  const box = new SecretBox(ctx.env);
  const secret = generateSigningSecret();
  const sealed = box.seal(secret);
  const endpoint = await ctx.em.transactional(async (em) => {
    await em.findOne(
      Organization,
      { id: organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    const count = await em.count(WebhookEndpoint, { organization: organizationId });
    if (count >= MAX_ENDPOINTS_PER_ORGANIZATION) {
      throw conflict(
        'organizationId',
        `An organization has at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints.`,
      );
    }
    const row = new WebhookEndpoint(
      em.getReference(Organization, organizationId, { wrapped: true }),
      data.url,
      data.description,
      data.eventTypes,
      sealed,
      em.getReference(User, viewer.user.id, { wrapped: true }),
    );
    em.persist(row);
    audit(em, ctx, 'webhook_endpoint.create', row, { eventTypes: row.eventTypes });
    return row;
  });
  return { endpoint, secret };
}

/** An admin changes an endpoint's URL (checked again), description or events. */
export async function updateWebhookEndpoint(
  ctx: Context,
  input: z.input<typeof UpdateInput>,
): Promise<WebhookEndpoint> {
  const { endpointId } = parseInput(EndpointInput, input);
  await loadEndpointToManage(ctx, ctx.em, endpointId);
  const data = parseInput(UpdateInput, input);
  if (data.url != null) await checkUrl(ctx, data.url);
  return ctx.em.transactional(async (em) => {
    const endpoint = await loadEndpointToManage(ctx, em, endpointId, { lock: true });
    const changed: string[] = [];
    if (data.url != null && data.url !== endpoint.url) {
      endpoint.url = data.url;
      changed.push('url');
    }
    if (data.description != null && data.description !== endpoint.description) {
      endpoint.description = data.description;
      changed.push('description');
    }
    if (data.eventTypes != null) {
      const before = [...endpoint.eventTypes].sort().join(',');
      if (before !== [...data.eventTypes].sort().join(',')) {
        endpoint.eventTypes = data.eventTypes;
        changed.push('eventTypes');
      }
    }
    if (changed.length) {
      audit(em, ctx, 'webhook_endpoint.update', endpoint, {
        changed,
        eventTypes: endpoint.eventTypes,
      });
    }
    return endpoint;
  });
}

/** An admin stops deliveries to an endpoint (events meanwhile are not queued for it). */
export async function disableWebhookEndpoint(
  ctx: Context,
  input: z.input<typeof EndpointInput>,
): Promise<WebhookEndpoint> {
  const { endpointId } = parseInput(EndpointInput, input);
  return ctx.em.transactional(async (em) => {
    const endpoint = await loadEndpointToManage(ctx, em, endpointId, { lock: true });
    if (endpoint.disabledAt) return endpoint;
    endpoint.disabledAt = new Date();
    endpoint.disabledReason = 'Disabled by an admin.';
    audit(em, ctx, 'webhook_endpoint.disable', endpoint);
    return endpoint;
  });
}

/** An admin sends to an endpoint again: what was pending goes out, failures count afresh. */
export async function enableWebhookEndpoint(
  ctx: Context,
  input: z.input<typeof EndpointInput>,
): Promise<WebhookEndpoint> {
  const { endpointId } = parseInput(EndpointInput, input);
  return ctx.em.transactional(async (em) => {
    const endpoint = await loadEndpointToManage(ctx, em, endpointId, { lock: true });
    if (!endpoint.disabledAt) return endpoint;
    endpoint.disabledAt = null;
    endpoint.disabledReason = null;
    endpoint.failingSince = null;
    audit(em, ctx, 'webhook_endpoint.enable', endpoint);
    await em.execute('select pg_notify(?, ?)', [WEBHOOKS_CHANNEL, '']);
    return endpoint;
  });
}

/** An admin deletes an endpoint, with its delivery log. */
export async function deleteWebhookEndpoint(
  ctx: Context,
  input: z.input<typeof EndpointInput>,
): Promise<string> {
  const { endpointId } = parseInput(EndpointInput, input);
  return ctx.em.transactional(async (em) => {
    const endpoint = await loadEndpointToManage(ctx, em, endpointId, { lock: true });
    audit(em, ctx, 'webhook_endpoint.delete', endpoint, { eventTypes: endpoint.eventTypes });
    await em.nativeDelete(WebhookDelivery, { endpoint: endpoint.id });
    em.remove(endpoint);
    return endpointId;
  });
}

/**
 * An admin replaces the signing secret. The new one is returned here, once; the old one keeps
 * signing beside it (a second `v1,` signature) for `overlapHours` (24 by default), so that
 * receivers can switch without missing a delivery.
 */
export async function rotateWebhookSecret(
  ctx: Context,
  input: z.input<typeof RotateInput>,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const { endpointId } = parseInput(EndpointInput, input);
  await loadEndpointToManage(ctx, ctx.em, endpointId);
  const data = parseInput(RotateInput, input);
  const box = new SecretBox(ctx.env);
  const secret = generateSigningSecret();
  const sealed = box.seal(secret);
  const endpoint = await ctx.em.transactional(async (em) => {
    const row = await loadEndpointToManage(ctx, em, endpointId, { lock: true });
    await em.populate(row, ['secretCiphertext']);
    const now = new Date();
    row.previousSecretCiphertext = data.overlapHours > 0 ? row.secretCiphertext : null;
    row.previousSecretExpiresAt =
      data.overlapHours > 0 ? new Date(now.getTime() + data.overlapHours * 3_600_000) : null;
    row.secretCiphertext = sealed;
    row.secretCreatedAt = now;
    audit(em, ctx, 'webhook_endpoint.rotate_secret', row, { overlapHours: data.overlapHours });
    return row;
  });
  return { endpoint, secret };
}

/** Queues a `webhook.test` event for one endpoint, whatever it subscribes to. */
export async function sendTestWebhook(
  ctx: Context,
  input: z.input<typeof EndpointInput>,
): Promise<WebhookDelivery> {
  const { endpointId } = parseInput(EndpointInput, input);
  return ctx.em.transactional(async (em) => {
    const endpoint = await loadEndpointToManage(ctx, em, endpointId, { lock: true });
    if (endpoint.disabledAt) {
      throw badInput('endpointId', 'The endpoint is disabled: enable it to send a test event.');
    }
    const now = new Date();
    const delivery = new WebhookDelivery(
      em.getReference(WebhookEndpoint, endpoint.id, { wrapped: true }),
      newMessageId(),
      TEST_EVENT_TYPE,
      payloadOf(
        TEST_EVENT_TYPE,
        {
          organizationId: endpoint.organization.id,
          endpointId: endpoint.id,
          message: 'A test event sent from Portico.',
        },
        now,
      ),
      now,
    );
    em.persist(delivery);
    audit(em, ctx, 'webhook_endpoint.test', endpoint, { deliveryId: delivery.id });
    await em.execute('select pg_notify(?, ?)', [WEBHOOKS_CHANNEL, '']);
    return delivery;
  });
}

/**
 * Sends a delivery again as a new delivery with the same `webhook-id` and body (receivers that
 * drop repeats by id will drop it; the others process it again).
 */
export async function replayWebhookDelivery(
  ctx: Context,
  input: z.input<typeof DeliveryInput>,
): Promise<WebhookDelivery> {
  const { deliveryId } = parseInput(DeliveryInput, input);
  return ctx.em.transactional(async (em) => {
    const original = await em.findOne(WebhookDelivery, { id: deliveryId });
    if (!original) throw notFound('Webhook delivery', 'deliveryId');
    const endpoint = await loadEndpointToManage(ctx, em, original.endpoint.id, {
      field: 'deliveryId',
      lock: true,
    });
    if (endpoint.disabledAt) {
      throw badInput('deliveryId', 'The endpoint is disabled: enable it to replay a delivery.');
    }
    const replay = new WebhookDelivery(
      em.getReference(WebhookEndpoint, endpoint.id, { wrapped: true }),
      original.messageId,
      original.eventType,
      original.payload,
    );
    replay.replayOfId = original.id;
    em.persist(replay);
    audit(em, ctx, 'webhook_delivery.replay', endpoint, {
      deliveryId: replay.id,
      replayOfId: original.id,
    });
    await em.execute('select pg_notify(?, ?)', [WEBHOOKS_CHANNEL, '']);
    return replay;
  });
}

/** A Standard Webhooks message id: the `webhook-id` of every attempt and replay. */
export function newMessageId(): string {
  return `msg_${randomBase62(24)}`;
}

/**
 * Writes one delivery per enabled endpoint of the organization that subscribes to the event, in
 * the transaction of `em` (the change that caused it): nothing is sent if it rolls back, and
 * once it commits the deliveries are not lost. Returns what was queued.
 */
export async function enqueueWebhookEvent(
  em: EntityManager,
  event: WebhookEvent,
  now = new Date(),
): Promise<WebhookDelivery[]> {
  const endpoints = await em.execute<{ id: string }[]>(
    `select id from webhook_endpoint
     where organization_id = ? and disabled_at is null and ? = any(event_types)
     order by created_at, id`,
    [event.organizationId, event.type],
  );
  if (endpoints.length === 0) return [];
  const messageId = newMessageId();
  const payload = payloadOf(event.type, event.data, now);
  const deliveries = endpoints.map(
    ({ id: endpointId }) =>
      new WebhookDelivery(
        em.getReference(WebhookEndpoint, endpointId, { wrapped: true }),
        messageId,
        event.type,
        payload,
        now,
      ),
  );
  em.persist(deliveries);
  await em.execute('select pg_notify(?, ?)', [WEBHOOKS_CHANNEL, '']);
  return deliveries;
}
