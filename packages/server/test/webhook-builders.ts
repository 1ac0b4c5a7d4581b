import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SignedInUser } from './builders.js';
import type { TestServer } from './harness.js';
import { rememberSecret } from './log-capture.js';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One answer of the receiver: a status, and optionally a body and headers. */
export interface ReceiverAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (the request hangs until the sender gives up). */
  hang?: boolean;
}

/**
 * A real HTTP server on 127.0.0.1 that keeps every request it receives and answers them with
 * the queued answers, in order, then with `fallback` (200 "ok" unless changed).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  fallback: ReceiverAnswer = { status: 200, body: 'ok' };
  private readonly answers: ReceiverAnswer[] = [];
  private waiters: (() => void)[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      for (const wake of this.waiters.splice(0)) wake();
      const answer = this.answers.shift() ?? this.fallback;
      if (answer.hang) return;
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The URL of a path on this receiver, by `host` (127.0.0.1 or localhost). */
  url(path = '/hooks', host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  /** Answers the next requests with these, in order. */
  answerWith(...answers: ReceiverAnswer[]): void {
    this.answers.push(...answers);
  }

  /** Waits until `count` requests have arrived in all and returns the last. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`Expected ${count} webhook(s), received ${this.received.length}.`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received[count - 1] as ReceivedWebhook;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const ENDPOINT_FIELDS = `id url description eventTypes enabled disabledAt disabledReason
  failingSince secretCreatedAt previousSecretExpiresAt createdAt`;
export const DELIVERY_FIELDS = `id messageId eventType payload status attemptCount nextAttemptAt
  lastAttemptAt responseStatus responseTimeMs responseExcerpt lastError deliveredAt replayOfId
  attempts { at status responseTimeMs error }`;

export interface EndpointFields {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  failingSince: string | null;
  secretCreatedAt: string;
  previousSecretExpiresAt: string | null;
  createdAt: string;
}

export interface DeliveryFields {
  id: string;
  messageId: string;
  eventType: string;
  payload: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  attemptCount: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  responseStatus: number | null;
  responseTimeMs: number | null;
  responseExcerpt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  replayOfId: string | null;
  attempts: { at: string; status: number | null; responseTimeMs: number; error: string | null }[];
}

export const CREATE_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } }
}`;

/** Registers an endpoint as `admin`; returns it with its signing secret. */
export async function createEndpoint(
  admin: SignedInUser,
  organizationId: string,
  url: string,
  eventTypes: string[] = ['APP_DELETED'],
): Promise<{ endpoint: EndpointFields; secret: string }> {
  const data = await admin.client.ok<{
    createWebhookEndpoint: { endpoint: EndpointFields; secret: string };
  }>(CREATE_ENDPOINT, { input: { organizationId, url, eventTypes } });
  rememberSecret(data.createWebhookEndpoint.secret);
  return data.createWebhookEndpoint;
}

/** An endpoint's deliveries, newest first, as its admin sees them. */
export async function deliveriesOf(
  admin: SignedInUser,
  endpointId: string,
): Promise<DeliveryFields[]> {
  const data = await admin.client.ok<{
    node: { deliveries: { nodes: DeliveryFields[] } } | null;
  }>(
    `query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { deliveries(first: 50) { nodes { ${DELIVERY_FIELDS} } } } } }`,
    { id: endpointId },
  );
  if (!data.node) throw new Error(`Endpoint ${endpointId} is not visible.`);
  return data.node.deliveries.nodes;
}

/** Queues a test event to the endpoint; returns the delivery. */
export async function sendTestEvent(
  admin: SignedInUser,
  endpointId: string,
): Promise<DeliveryFields> {
  const data = await admin.client.ok<{ sendTestWebhook: { delivery: DeliveryFields } }>(
    `mutation ($id: ID!) { sendTestWebhook(input: { endpointId: $id }) { delivery { ${DELIVERY_FIELDS} } } }`,
    { id: endpointId },
  );
  return data.sendTestWebhook.delivery;
}

/** Waits until the delivery has been attempted `attempts` times (by any worker). */
export async function waitForAttempts(
  server: TestServer,
  deliveryId: string,
  attempts: number,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ attempt_count: number; locked_until: Date | null }[]>(
        'select attempt_count, locked_until from webhook_delivery where id = ?',
        [deliveryId],
      );
    if (row && row.attempt_count >= attempts && row.locked_until === null) return;
    if (Date.now() > deadline) {
      throw new Error(`Delivery ${deliveryId} has ${row?.attempt_count ?? 0} attempt(s).`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
