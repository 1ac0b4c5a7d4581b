import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../audit/record.js';
import { createContext, NO_COOKIES, type Services } from '../../context.js';
import { MemberRole, Membership } from '../orgs/orgs.entity.js';
import { notify } from '../notifications/notifications.service.js';
import {
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  type StoredAttempt,
} from './webhooks.entity.js';
import { postWebhook, type AttemptResult, type NetworkPolicy } from './webhooks.network.js';
import { SecretBox, signPayload } from './webhooks.secrets.js';
import { networkPolicyOf, urlOrigin } from './webhooks.service.js';

/** The wait after the first failed attempt; each next wait is four times longer, up to 12 h. */
export const FIRST_RETRY_DELAY_MS = 30_000;
export const MAX_RETRY_DELAY_MS = 12 * 3_600_000;
/** Attempts of one delivery before it is FAILED (about three days of retries). */
export const MAX_ATTEMPTS = 12;
/** An endpoint whose every attempt failed for this long is disabled. */
export const DISABLE_AFTER_MS = 3 * 86_400_000;
/** How long a worker holds a delivery it claimed (a crashed worker's claim runs out). */
const CLAIM_MS = 60_000;
/** When the next due delivery is held by another instance, look again after this long. */
const RECHECK_DELAY_MS = 1_000;
/** Longest wait of the wake-up timer (the job sweeps every minute anyway). */
const MAX_TIMER_MS = 3_600_000;
/** Attempts kept in a delivery's log. */
const LOGGED_ATTEMPTS = 20;

/** The wait before the next attempt after `attempts` failed ones: ×4 each time, capped. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 4 ** Math.max(0, attempts - 1));
}

export interface WebhookDeliveryCounts {
  succeeded: number;
  retrying: number;
  failed: number;
}

type Outcome = keyof WebhookDeliveryCounts;

/** What an attempt needs of a claimed delivery and its endpoint. */
interface ClaimedDelivery {
  id: string;
  message_id: string;
  payload: string;
  attempt_count: number;
  endpoint_id: string;
  url: string;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Date | null;
}

export interface WebhookDeliveriesOptions {
  services: Services;
  /** Where deliveries may go; by default what the environment allows, with the system's DNS. */
  policy?: NetworkPolicy;
}

/**
 * Sends the webhook outbox (`webhook_delivery`); one per server instance. A due PENDING row
 * whose endpoint is enabled is claimed (`for update skip locked`, then held by `locked_until`
 * while its request runs, so no connection stays busy meanwhile and no two workers send it at
 * once), signed with the endpoint's secret (and the previous one during a rotation's overlap),
 * POSTed under the network policy, and its outcome recorded: SUCCEEDED on a 2xx, otherwise the
 * next attempt after an exponential backoff, FAILED after the last one. An endpoint that has
 * failed every attempt for three days is disabled and its admins are told.
 *
 * It runs when woken (a commit that enqueued deliveries NOTIFYs every instance), when the next
 * retry is due (a timer), at start-up and from the `deliver-webhooks` job.
 */
export class WebhookDeliveries {
  private readonly policy: NetworkPolicy;
  private active: Promise<WebhookDeliveryCounts> | null = null;
  private queued: Promise<WebhookDeliveryCounts> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly options: WebhookDeliveriesOptions) {
    this.policy = options.policy ?? networkPolicyOf(options.services.env);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  /** Deliveries were committed (or may have been): send soon, without waiting. */
  wake(): void {
    if (!this.running) return;
    void this.deliverDue();
  }

  /**
   * Sends every delivery due at `now` (the clock by default; tests pass a later time), one after
   * the other. A call during a run waits for it and runs once more after it.
   */
  deliverDue(now?: Date): Promise<WebhookDeliveryCounts> {
    if (!this.active) {
      this.active = this.run(now).finally(() => {
        this.active = null;
      });
      return this.active;
    }
    this.queued ??= this.active.then(() => {
      this.queued = null;
      return this.deliverDue(now);
    });
    return this.queued;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.queued;
    await this.active;
  }

  private async run(at: Date | undefined): Promise<WebhookDeliveryCounts> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const counts: WebhookDeliveryCounts = { succeeded: 0, retrying: 0, failed: 0 };
    const log = this.options.services.log;
    try {
      for (;;) {
        const now = at ?? new Date();
        const claimed = await this.claimNext(now);
        if (!claimed) break;
        counts[await this.attempt(claimed, now)] += 1;
      }
      await this.scheduleNextAttempt();
    } catch (error) {
      log.error({ error: describe(error) }, 'webhook delivery interrupted');
      this.schedule(RECHECK_DELAY_MS * 5);
    }
    return counts;
  }

  private async claimNext(now: Date): Promise<ClaimedDelivery | null> {
    const em = this.options.services.orm.em.fork();
    const clock = new Date();
    const rows = await em.getConnection().execute<ClaimedDelivery[]>(
      `update webhook_delivery d set locked_until = ?
       from webhook_endpoint e
       where e.id = d.endpoint_id and d.id = (
         select d2.id from webhook_delivery d2
         join webhook_endpoint e2 on e2.id = d2.endpoint_id
         where d2.status = ? and d2.next_attempt_at <= ? and e2.disabled_at is null
           and (d2.locked_until is null or d2.locked_until < ?)
         order by d2.next_attempt_at, d2.id
         limit 1 for update of d2 skip locked)
       returning d.id, d.message_id, d.payload, d.attempt_count, d.endpoint_id, e.url,
         e.secret_ciphertext, e.previous_secret_ciphertext, e.previous_secret_expires_at`,
      [new Date(clock.getTime() + CLAIM_MS), WebhookDeliveryStatus.PENDING, now, clock],
    );
    return rows[0] ?? null;
  }

  private async attempt(claimed: ClaimedDelivery, now: Date): Promise<Outcome> {
    const { services } = this.options;
    const box = new SecretBox(services.env);
    const timestamp = Math.floor(now.getTime() / 1000);
    const secrets = [claimed.secret_ciphertext];
    const previousUntil = claimed.previous_secret_expires_at;
    if (claimed.previous_secret_ciphertext && previousUntil && new Date(previousUntil) > now) {
      secrets.push(claimed.previous_secret_ciphertext);
    }
    let result: AttemptResult;
    try {
      const signature = secrets
        .map((sealed) =>
          signPayload(box.open(sealed), claimed.message_id, timestamp, claimed.payload),
        )
        .join(' ');
      result = await postWebhook(
        {
          url: claimed.url,
          body: claimed.payload,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Portico-Webhooks/1.0',
            'webhook-id': claimed.message_id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signature,
          },
        },
        this.policy,
        services.env.WEBHOOK_TIMEOUT_MS,
      );
    } catch (error) {
      // The secret could not be read (no key, or another key): nothing was sent.
      result = { status: null, responseTimeMs: 0, excerpt: null, error: describe(error) };
    }
    return this.record(claimed, result, now);
  }

  /** Writes an attempt's outcome, and the endpoint's failure streak, in one transaction. */
  private async record(
    claimed: ClaimedDelivery,
    result: AttemptResult,
    now: Date,
  ): Promise<Outcome> {
    const { services } = this.options;
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const outcome = await services.orm.em.fork().transactional(async (em) => {
      const endpoint = await em.findOne(
        WebhookEndpoint,
        { id: claimed.endpoint_id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const delivery = await em.findOne(WebhookDelivery, { id: claimed.id });
      // Deleted meanwhile: nothing to record.
      if (!endpoint || !delivery) return ok ? 'succeeded' : 'failed';
      const attempts = claimed.attempt_count + 1;
      const entry: StoredAttempt = {
        at: now.toISOString(),
        status: result.status,
        responseTimeMs: result.responseTimeMs,
        error: result.error,
      };
      delivery.attemptLog = [...delivery.attemptLog, entry].slice(-LOGGED_ATTEMPTS);
      delivery.attemptCount = attempts;
      delivery.lastAttemptAt = now;
      delivery.responseStatus = result.status;
      delivery.responseTimeMs = result.responseTimeMs;
      delivery.responseExcerpt = result.excerpt;
      delivery.lastError = result.error;
      delivery.lockedUntil = null;
      if (ok) {
        delivery.status = WebhookDeliveryStatus.SUCCEEDED;
        delivery.deliveredAt = now;
        delivery.nextAttemptAt = null;
        endpoint.failingSince = null;
        return 'succeeded';
      }
      endpoint.failingSince ??= now;
      if (
        !endpoint.disabledAt &&
        now.getTime() - endpoint.failingSince.getTime() >= DISABLE_AFTER_MS
      ) {
        await this.disable(em, endpoint, now);
      }
      if (attempts >= MAX_ATTEMPTS) {
        delivery.status = WebhookDeliveryStatus.FAILED;
        delivery.nextAttemptAt = null;
        return 'failed';
      }
      delivery.nextAttemptAt = new Date(now.getTime() + retryDelayMs(attempts));
      return 'retrying';
    });
    const about = {
      deliveryId: claimed.id,
      endpointId: claimed.endpoint_id,
      status: result.status,
      error: result.error,
      attempt: claimed.attempt_count + 1,
      responseTimeMs: result.responseTimeMs,
    };
    if (outcome === 'succeeded') services.log.info(about, 'webhook delivered');
    else services.log.warn({ ...about, outcome }, 'webhook attempt failed');
    return outcome;
  }

  /** Disables a failing endpoint: audited as the system; every admin is told in-app and by mail. */
  private async disable(em: EntityManager, endpoint: WebhookEndpoint, now: Date): Promise<void> {
    const { services } = this.options;
    endpoint.disabledAt = now;
    endpoint.disabledReason = 'Every delivery failed for three days.';
    const ctx = createContext(services, null, { ip: null, userAgent: null }, NO_COOKIES, em);
    const organizationId = endpoint.organization.id;
    recordAudit(em, ctx, {
      organizationId,
      actorId: null,
      action: 'webhook_endpoint.auto_disable',
      targetType: 'WebhookEndpoint',
      targetId: endpoint.id,
      data: {
        urlOrigin: urlOrigin(endpoint.url),
        failingSince: endpoint.failingSince?.toISOString() ?? null,
      },
    });
    const admins = await em.find(
      Membership,
      { organization: organizationId, role: MemberRole.ADMIN },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    const origin = urlOrigin(endpoint.url);
    for (const admin of admins) {
      await notify(em, ctx, {
        userId: admin.user.id,
        kind: 'webhook_endpoint.disabled',
        title: `Webhook endpoint ${origin} was disabled`,
        body: [
          `Every delivery to the webhook endpoint at ${origin} has failed for three days, so Portico stopped sending to it.`,
          'Fix the receiver, then enable the endpoint again on the Webhooks page; deliveries that were still pending go out then, and you can replay the others from the delivery log.',
        ].join('\n'),
        link: `/orgs/${organizationId}/webhooks`,
      });
    }
    services.log.warn({ endpointId: endpoint.id }, 'webhook endpoint disabled after failing');
  }

  /** Wakes this instance when the earliest pending delivery becomes due. */
  private async scheduleNextAttempt(): Promise<void> {
    if (!this.running) return;
    const em = this.options.services.orm.em.fork();
    const rows = await em.getConnection().execute<{ next: Date | string | null }[]>(
      `select min(d.next_attempt_at) as next from webhook_delivery d
       join webhook_endpoint e on e.id = d.endpoint_id
       where d.status = ? and e.disabled_at is null`,
      [WebhookDeliveryStatus.PENDING],
    );
    const next = rows[0]?.next;
    if (!next) return;
    const wait = new Date(next).getTime() - Date.now();
    this.schedule(wait > 0 ? wait : RECHECK_DELAY_MS);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.wake();
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
    this.timer.unref();
  }
}

/** An error's name and code, never its message. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const { code } = error as { code?: unknown };
  return [error.name, typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : null]
    .filter((part) => part !== null)
    .join(' ');
}
