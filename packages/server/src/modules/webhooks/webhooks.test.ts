import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import { auditEntriesFor } from '../../../test/app-builders.js';
import { createOrgWithAdmin, inviteAndJoin } from '../../../test/org-builders.js';
import {
  createEndpoint,
  CREATE_ENDPOINT,
  deliveriesOf,
  ENDPOINT_FIELDS,
  sendTestEvent,
  waitForAttempts,
  WebhookReceiver,
  type DeliveryFields,
  type EndpointFields,
  type ReceivedWebhook,
} from '../../../test/webhook-builders.js';
import { publish } from '../../events/events.service.js';
import { DISABLE_AFTER_MS, retryDelayMs, WebhookDeliveries } from './webhooks.delivery.js';
import { systemResolve } from './webhooks.network.js';

const server = useTestServer();
const receiver = new WebhookReceiver();

beforeAll(async () => {
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
});

/** The Standard Webhooks headers of a received request, as the verifier takes them. */
interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

function headersOf(request: ReceivedWebhook): WebhookHeaders {
  const header = (name: string): string => {
    const value = request.headers[name];
    if (typeof value !== 'string') throw new Error(`No ${name} header.`);
    return value;
  };
  return {
    'webhook-id': header('webhook-id'),
    'webhook-timestamp': header('webhook-timestamp'),
    'webhook-signature': header('webhook-signature'),
  };
}

/** Verifies with the `standardwebhooks` package, as a receiver would; returns the payload. */
function verify(secret: string, request: ReceivedWebhook): { type: string; data: unknown } {
  return new Webhook(secret).verify(request.body, { ...headersOf(request) }) as {
    type: string;
    data: unknown;
  };
}

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

async function deliveryRows(endpointId: string): Promise<{ id: string; event_type: string }[]> {
  return sql('select id, event_type from webhook_delivery where endpoint_id = ?', [endpointId]);
}

const ENDPOINTS = `query ($id: ID!) { webhookEndpoints(organizationId: $id) { ${ENDPOINT_FIELDS} } }`;

describe('webhook endpoints', () => {
  it('an admin registers one; events are delivered, signed as Standard Webhooks, and logged', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const { endpoint, secret } = await createEndpoint(admin, org.id, receiver.url('/portico'), [
      'INVITATION_ACCEPTED',
      'MEMBER_REMOVED',
    ]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(endpoint).toMatchObject({
      url: receiver.url('/portico'),
      description: '',
      eventTypes: ['INVITATION_ACCEPTED', 'MEMBER_REMOVED'],
      enabled: true,
      failingSince: null,
      previousSecretExpiresAt: null,
    });
    expect(endpoint.id).toMatch(/^whk_/);

    const before = receiver.received.length;
    const member = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const request = await receiver.waitFor(before + 1);
    expect(request.path).toBe('/portico');
    expect(request.headers['content-type']).toBe('application/json');
    const payload = verify(secret, request);
    expect(payload).toMatchObject({
      type: 'invitation.accepted',
      data: { organizationId: org.id, userId: member.id, role: 'DEVELOPER' },
    });
    expect(JSON.parse(request.body)).toHaveProperty('timestamp');
    expect(headersOf(request)['webhook-id']).toMatch(/^msg_[0-9A-Za-z]{24}$/);

    // The delivery log shows the attempt.
    const [queued] = await deliveryRows(endpoint.id);
    await waitForAttempts(server, queued!.id, 1);
    const [delivery] = await deliveriesOf(admin, endpoint.id);
    expect(delivery).toMatchObject({
      status: 'SUCCEEDED',
      messageId: headersOf(request)['webhook-id'],
      eventType: 'invitation.accepted',
      payload: request.body,
      attemptCount: 1,
      responseStatus: 200,
      responseExcerpt: 'ok',
      lastError: null,
      nextAttemptAt: null,
      replayOfId: null,
    });
    expect(delivery?.attempts).toEqual([
      expect.objectContaining({ status: 200, error: null, responseTimeMs: expect.any(Number) }),
    ]);

    // An event it did not subscribe to is not sent; one it did, is.
    await admin.client.ok(
      `mutation ($id: ID!) { removeMember(input: { membershipId: $id }) { removedMembershipId } }`,
      { id: member.membershipId },
    );
    const removal = verify(secret, await receiver.waitFor(before + 2));
    expect(removal).toMatchObject({
      type: 'member.removed',
      data: { organizationId: org.id, userId: member.id, reason: 'removed' },
    });
    expect((await deliveriesOf(admin, endpoint.id)).map((d) => d.eventType)).toEqual([
      'member.removed',
      'invitation.accepted',
    ]);

    // The secret is stored encrypted, and is in no audit entry, event or log.
    const [row] = await sql<{ secret_ciphertext: string }>(
      'select secret_ciphertext from webhook_endpoint where id = ?',
      [endpoint.id],
    );
    expect(row?.secret_ciphertext).toMatch(/^v1\./);
    const stored = await sql<{ text: string }>(
      `select (select coalesce(json_agg(w)::text, '') from webhook_endpoint w)
         || (select coalesce(json_agg(d)::text, '') from webhook_delivery d)
         || (select coalesce(json_agg(a)::text, '') from audit_entry a)
         || (select coalesce(json_agg(e)::text, '') from domain_event e) as text`,
    );
    expect(stored[0]?.text).not.toContain(secret.slice(6));
    const audit = await auditEntriesFor(server, endpoint.id);
    expect(audit.map((entry) => [entry.action, entry.actor?.id])).toEqual([
      ['webhook_endpoint.create', admin.id],
    ]);
    expect(audit[0]?.data).toEqual({
      urlOrigin: `http://127.0.0.1:${receiver.port}`,
      eventTypes: ['invitation.accepted', 'member.removed'],
    });
  });

  it('has no field that could read a secret back', async () => {
    const { admin } = await createOrgWithAdmin(server);
    const data = await admin.client.ok<{ __type: { fields: { name: string }[] } }>(
      `{ __type(name: "WebhookEndpoint") { fields { name } } }`,
    );
    const names = data.__type.fields.map((f) => f.name);
    expect(names.filter((name) => /secret|cipher|key/i.test(name)).sort()).toEqual([
      'previousSecretExpiresAt',
      'secretCreatedAt',
    ]);
  });

  it.each([
    [
      'an ftp URL',
      { url: 'ftp://example.com/hooks' },
      'url',
      'The URL must start with https:// or http://.',
    ],
    ['no URL at all', { url: 'not a url' }, 'url', 'Enter an absolute https:// URL.'],
    [
      'the metadata address',
      { url: 'http://169.254.169.254/latest' },
      'url',
      'The URL must not point to a link-local, cloud metadata or unspecified address.',
    ],
    [
      'a URL with a password',
      { url: 'https://user:pass@example.com/hooks' },
      'url',
      'The URL must not hold a user name or password.',
    ],
    ['no events', { eventTypes: [] }, 'eventTypes', 'Choose at least one event.'],
    [
      'a long description',
      { description: 'x'.repeat(501) },
      'description',
      'Description must be at most 500 characters.',
    ],
  ])(
    'refuses %s naming the field, and registers nothing',
    async (_label, change, field, message) => {
      const { admin, org } = await createOrgWithAdmin(server);
      const input = {
        organizationId: org.id,
        url: receiver.url(),
        eventTypes: ['APP_DELETED'],
        ...change,
      };
      const failure = await admin.client.fails(CREATE_ENDPOINT, { input });
      expect(failure).toEqual({ code: 'BAD_USER_INPUT', field, message });
      const listed = await admin.client.ok<{ webhookEndpoints: unknown[] }>(ENDPOINTS, {
        id: org.id,
      });
      expect(listed.webhookEndpoints).toEqual([]);
    },
  );

  it('writes deliveries in the transaction of the change: a rolled-back change sends nothing', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const { endpoint } = await createEndpoint(admin, org.id, receiver.url('/tx'), ['APP_DELETED']);
    const event = { organizationId: org.id, deletedById: admin.id };

    await expect(
      server.orm.em.fork().transactional(async (em) => {
        await publish(em, 'app.deleted', { ...event, subjectId: 'app_rolledback' });
        // The delivery is there inside the transaction…
        await em.flush();
        const inside = await em.execute<{ count: string }[]>(
          'select count(*) from webhook_delivery where endpoint_id = ?',
          [endpoint.id],
        );
        expect(inside[0]?.count).toBe('1');
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    // …and gone with it.
    expect(await deliveryRows(endpoint.id)).toEqual([]);

    const before = receiver.received.length;
    await server.orm.em
      .fork()
      .transactional((em) => publish(em, 'app.deleted', { ...event, subjectId: 'app_committed' }));
    expect(await deliveryRows(endpoint.id)).toHaveLength(1);
    const request = await receiver.waitFor(before + 1);
    expect(JSON.parse(request.body)).toMatchObject({
      type: 'app.deleted',
      data: { organizationId: org.id, appId: 'app_committed', deletedById: admin.id },
    });
    expect(receiver.received.some((r) => r.body.includes('app_rolledback'))).toBe(false);
  });

  it('retries after a failure with backoff: 500, then 200', async () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs)).toEqual([
      30_000, 120_000, 480_000, 1_920_000, 7_680_000, 30_720_000, 43_200_000,
    ]);
    const { admin, org } = await createOrgWithAdmin(server);
    const { endpoint, secret } = await createEndpoint(admin, org.id, receiver.url('/flaky'));
    const before = receiver.received.length;
    receiver.answerWith({ status: 500, body: 'database on fire' });
    const { id } = await sendTestEvent(admin, endpoint.id);
    const first = await receiver.waitFor(before + 1);
    await waitForAttempts(server, id, 1);

    let [delivery] = await deliveriesOf(admin, endpoint.id);
    expect(delivery).toMatchObject({
      status: 'PENDING',
      attemptCount: 1,
      responseStatus: 500,
      responseExcerpt: 'database on fire',
    });
    const lastAttempt = new Date(delivery!.lastAttemptAt!).getTime();
    expect(new Date(delivery!.nextAttemptAt!).getTime() - lastAttempt).toBe(30_000);
    const [failing] = (
      await admin.client.ok<{ webhookEndpoints: EndpointFields[] }>(ENDPOINTS, { id: org.id })
    ).webhookEndpoints;
    expect(failing?.failingSince).not.toBeNull();

    // Nothing more before the retry is due; at it, the second attempt succeeds.
    await server.app.webhookDeliveries.deliverDue(new Date(lastAttempt + 29_000));
    expect(receiver.received).toHaveLength(before + 1);
    await server.app.webhookDeliveries.deliverDue(new Date(lastAttempt + 30_000));
    const second = await receiver.waitFor(before + 2);

    [delivery] = await deliveriesOf(admin, endpoint.id);
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2, responseStatus: 200 });
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 200]);
    // The same message both times, each attempt signed anew with its own timestamp.
    expect(headersOf(second)['webhook-id']).toBe(headersOf(first)['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(verify(secret, first).type).toBe('webhook.test');
    expect(verify(secret, second).type).toBe('webhook.test');
    const [recovered] = (
      await admin.client.ok<{ webhookEndpoints: EndpointFields[] }>(ENDPOINTS, { id: org.id })
    ).webhookEndpoints;
    expect(recovered?.failingSince).toBeNull();
  });

  it('disables an endpoint that failed for three days and tells every admin, in-app and by email', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const second = await inviteAndJoin(server, admin, org.id, 'ADMIN', { name: 'Second Admin' });
    const { endpoint } = await createEndpoint(admin, org.id, receiver.url('/down'));
    receiver.answerWith(...Array.from({ length: 5 }, () => ({ status: 503, body: 'unavailable' })));
    const { id } = await sendTestEvent(admin, endpoint.id);
    await waitForAttempts(server, id, 1);
    const [row] = await sql<{ failing_since: Date }>(
      'select failing_since from webhook_endpoint where id = ?',
      [endpoint.id],
    );
    const since = new Date(row!.failing_since).getTime();
    const deliveries = server.app.webhookDeliveries;

    // A day, then just under three days of failures: still enabled.
    await deliveries.deliverDue(new Date(since + 86_400_000));
    await deliveries.deliverDue(new Date(since + DISABLE_AFTER_MS - 1_000));
    let [current] = (
      await admin.client.ok<{ webhookEndpoints: EndpointFields[] }>(ENDPOINTS, { id: org.id })
    ).webhookEndpoints;
    expect(current).toMatchObject({ enabled: true, disabledAt: null });

    // Three days after the first failure, the next failure disables it.
    const disabledAt = new Date(since + DISABLE_AFTER_MS + 600_000);
    await deliveries.deliverDue(disabledAt);
    [current] = (
      await admin.client.ok<{ webhookEndpoints: EndpointFields[] }>(ENDPOINTS, { id: org.id })
    ).webhookEndpoints;
    expect(current).toMatchObject({
      enabled: false,
      disabledAt: disabledAt.toISOString(),
      disabledReason: 'Every delivery failed for three days.',
    });
    const [delivery] = await deliveriesOf(admin, endpoint.id);
    expect(delivery).toMatchObject({ status: 'PENDING', attemptCount: 4, responseStatus: 503 });

    for (const user of [admin, second]) {
      const data = await user.client.ok<{
        viewer: { notifications: { nodes: { kind: string; title: string; link: string }[] } };
      }>(`{ viewer { notifications(first: 5) { nodes { kind title link } } } }`);
      expect(data.viewer.notifications.nodes[0]).toEqual({
        kind: 'webhook_endpoint.disabled',
        title: `Webhook endpoint http://127.0.0.1:${receiver.port} was disabled`,
        link: `/orgs/${org.id}/webhooks`,
      });
      const mail = await server.mail.waitFor(user.email, /^Webhook endpoint .* was disabled$/);
      expect(mail.text).toContain('has failed for three days');
    }
    const audit = await auditEntriesFor(server, endpoint.id);
    expect(audit.map((entry) => [entry.action, entry.actor?.id ?? null])).toContainEqual([
      'webhook_endpoint.auto_disable',
      null,
    ]);

    // Disabled: nothing is sent, and new events are not queued for it.
    const received = receiver.received.length;
    await deliveries.deliverDue(new Date(disabledAt.getTime() + 86_400_000));
    await server.orm.em.fork().transactional((em) =>
      publish(em, 'app.deleted', {
        subjectId: 'app_while_disabled',
        organizationId: org.id,
        deletedById: admin.id,
      }),
    );
    expect(await deliveryRows(endpoint.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(received);

    // Enabled again, the pending delivery goes out and failures count afresh.
    const enabled = await admin.client.ok<{ enableWebhookEndpoint: { endpoint: EndpointFields } }>(
      `mutation ($id: ID!) { enableWebhookEndpoint(input: { endpointId: $id }) { endpoint { ${ENDPOINT_FIELDS} } } }`,
      { id: endpoint.id },
    );
    expect(enabled.enableWebhookEndpoint.endpoint).toMatchObject({
      enabled: true,
      failingSince: null,
      disabledReason: null,
    });
    await deliveries.deliverDue(new Date(disabledAt.getTime() + 86_400_000));
    await receiver.waitFor(received + 1);
  });

  it('rotates the secret with an overlap: both secrets verify until it ends', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const { endpoint, secret: oldSecret } = await createEndpoint(
      admin,
      org.id,
      receiver.url('/rotate'),
    );
    const ROTATE = `mutation ($input: RotateWebhookSecretInput!) {
      rotateWebhookSecret(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } }
    }`;
    const rotated = await admin.client.ok<{
      rotateWebhookSecret: { secret: string; endpoint: EndpointFields };
    }>(ROTATE, { input: { endpointId: endpoint.id } });
    const newSecret = rotated.rotateWebhookSecret.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const until = new Date(rotated.rotateWebhookSecret.endpoint.previousSecretExpiresAt!);
    const hours =
      (until.getTime() - new Date(rotated.rotateWebhookSecret.endpoint.secretCreatedAt).getTime()) /
      3_600_000;
    expect(hours).toBe(24);

    const before = receiver.received.length;
    await sendTestEvent(admin, endpoint.id);
    const during = await receiver.waitFor(before + 1);
    expect(headersOf(during)['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(newSecret, during).type).toBe('webhook.test');
    expect(verify(oldSecret, during).type).toBe('webhook.test');

    // Without an overlap the replaced secret stops at once.
    const again = await admin.client.ok<{ rotateWebhookSecret: { secret: string } }>(ROTATE, {
      input: { endpointId: endpoint.id, overlapHours: 0 },
    });
    const newest = again.rotateWebhookSecret.secret;
    await sendTestEvent(admin, endpoint.id);
    const after = await receiver.waitFor(before + 2);
    expect(headersOf(after)['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verify(newest, after).type).toBe('webhook.test');
    expect(() => verify(newSecret, after)).toThrow();
    expect(() => verify(oldSecret, after)).toThrow();

    const audit = await auditEntriesFor(server, endpoint.id);
    expect(audit.map((entry) => [entry.action, entry.data.overlapHours ?? null])).toEqual([
      ['webhook_endpoint.create', null],
      ['webhook_endpoint.rotate_secret', 24],
      ['webhook_endpoint.test', null],
      ['webhook_endpoint.rotate_secret', 0],
      ['webhook_endpoint.test', null],
    ]);
    expect(JSON.stringify(audit)).not.toContain(newSecret.slice(6));
  });

  it('replays a delivery with the same webhook-id and body', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const { endpoint, secret } = await createEndpoint(admin, org.id, receiver.url('/replay'));
    const before = receiver.received.length;
    const original = await sendTestEvent(admin, endpoint.id);
    const first = await receiver.waitFor(before + 1);
    const replay = await admin.client.ok<{ replayWebhookDelivery: { delivery: DeliveryFields } }>(
      `mutation ($id: ID!) { replayWebhookDelivery(input: { deliveryId: $id }) { delivery { id messageId replayOfId status } } }`,
      { id: original.id },
    );
    expect(replay.replayWebhookDelivery.delivery).toMatchObject({
      messageId: original.messageId,
      replayOfId: original.id,
      status: 'PENDING',
    });
    const second = await receiver.waitFor(before + 2);
    expect(headersOf(second)['webhook-id']).toBe(headersOf(first)['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(verify(secret, second).type).toBe('webhook.test');
  });

  it('refuses at delivery an address that is no longer allowed, and sends nothing there', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    // Saved while its host resolves to the receiver (loopback, which tests allow).
    const { endpoint } = await createEndpoint(admin, org.id, receiver.url('/moved', 'localhost'));
    const own = server.app.webhookDeliveries;
    await own.stop();
    try {
      const before = receiver.received.length;
      const { id } = await sendTestEvent(admin, endpoint.id);
      // Its name now resolves to the cloud metadata address.
      const rebound = new WebhookDeliveries({
        services: server.app.services,
        policy: {
          allowPrivate: true,
          resolve: async () => [{ address: '169.254.169.254', family: 4 }],
        },
      });
      await rebound.deliverDue();
      // A deployment that does not allow its own networks refuses the loopback address.
      const strict = new WebhookDeliveries({
        services: server.app.services,
        policy: { allowPrivate: false, resolve: systemResolve },
      });
      const [row] = await sql<{ next_attempt_at: Date }>(
        'select next_attempt_at from webhook_delivery where id = ?',
        [id],
      );
      await strict.deliverDue(new Date(row!.next_attempt_at));
      const [delivery] = await deliveriesOf(admin, endpoint.id);
      expect(delivery?.attempts.map((a) => [a.status, a.error])).toEqual([
        [null, 'blocked_address'],
        [null, 'insecure_url'],
      ]);
      expect(delivery?.status).toBe('PENDING');
      expect(receiver.received).toHaveLength(before);
    } finally {
      own.start();
    }
  });

  it('is for the organization admins only: not its developers, staff or other organizations', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const developer = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const outsider = await createOrgWithAdmin(server);
    const staff = await signUpUser(server, { staff: true });
    const { endpoint } = await createEndpoint(admin, org.id, receiver.url('/private'));
    const delivery = await sendTestEvent(admin, endpoint.id);

    const asOutsiders = [
      [outsider.admin, 'NOT_FOUND'],
      [staff, 'NOT_FOUND'],
      [developer, 'FORBIDDEN'],
    ] as const;
    for (const [user, code] of asOutsiders) {
      expect((await user.client.fails(ENDPOINTS, { id: org.id })).code).toBe(code);
      for (const id of [endpoint.id, delivery.id]) {
        const node = await user.client.ok<{ node: unknown }>(
          `query ($id: ID!) { node(id: $id) { id } }`,
          { id },
        );
        expect(node.node).toBeNull();
      }
      const update = await user.client.fails(
        `mutation ($id: ID!) { updateWebhookEndpoint(input: { endpointId: $id, url: "http://127.0.0.1:9/stolen" }) { endpoint { id } } }`,
        { id: endpoint.id },
      );
      expect(update).toMatchObject({
        code,
        field: code === 'NOT_FOUND' ? 'endpointId' : undefined,
      });
      const replay = await user.client.fails(
        `mutation ($id: ID!) { replayWebhookDelivery(input: { deliveryId: $id }) { delivery { id } } }`,
        { id: delivery.id },
      );
      expect(replay.code).toBe(code);
      const create = await user.client.fails(CREATE_ENDPOINT, {
        input: {
          organizationId: org.id,
          url: receiver.url('/planted'),
          eventTypes: ['APP_DELETED'],
        },
      });
      expect(create.code).toBe(code);
    }
    const listed = await admin.client.ok<{ webhookEndpoints: EndpointFields[] }>(ENDPOINTS, {
      id: org.id,
    });
    expect(listed.webhookEndpoints.map((e) => [e.id, e.url])).toEqual([
      [endpoint.id, receiver.url('/private')],
    ]);
    expect(await deliveryRows(endpoint.id)).toHaveLength(1);
  });

  it('deletes an endpoint with its log, audited', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const { endpoint } = await createEndpoint(admin, org.id, receiver.url('/gone'));
    await sendTestEvent(admin, endpoint.id);
    const data = await admin.client.ok<{ deleteWebhookEndpoint: { deletedEndpointId: string } }>(
      `mutation ($id: ID!) { deleteWebhookEndpoint(input: { endpointId: $id }) { deletedEndpointId } }`,
      { id: endpoint.id },
    );
    expect(data.deleteWebhookEndpoint.deletedEndpointId).toBe(endpoint.id);
    expect(await deliveryRows(endpoint.id)).toEqual([]);
    const listed = await admin.client.ok<{ webhookEndpoints: unknown[] }>(ENDPOINTS, {
      id: org.id,
    });
    expect(listed.webhookEndpoints).toEqual([]);
    expect((await auditEntriesFor(server, endpoint.id)).map((e) => e.action)).toEqual([
      'webhook_endpoint.create',
      'webhook_endpoint.test',
      'webhook_endpoint.delete',
    ]);
  });
});
