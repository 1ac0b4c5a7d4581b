import { LockMode } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Env } from '../../env.js';
import { MailMessage, MailStatus } from './mail.entity.js';

type DeliveryEnv = Pick<
  Env,
  'SMTP_URL' | 'MAIL_FROM' | 'MAIL_MAX_ATTEMPTS' | 'MAIL_RETRY_DELAY_MS'
>;

/** The longest wait between two attempts of one mail. */
export const MAX_RETRY_DELAY_MS = 3_600_000;
/** When the next due mail is held by another instance, look again after this long. */
const RECHECK_DELAY_MS = 1_000;
/**
 * SMTP timeouts: a row stays locked while its mail is being sent, so a dead SMTP server must
 * not hold it (and a database connection) for long.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** How long to wait before the next attempt after `attempts` failed ones: doubling, capped. */
export function retryDelayMs(firstDelayMs: number, attempts: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, firstDelayMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * What to record and log about a failure: the error's name, code and SMTP response code, never
 * its message, which may quote the mail (and the mail holds secret links).
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  return [
    error.name,
    typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : null,
    typeof responseCode === 'number' ? String(responseCode) : null,
  ]
    .filter((part) => part !== null)
    .join(' ');
}

/** `<mail_…@domain>`: the same for every attempt, so a receiver can drop a repeated delivery. */
export function messageIdFor(mailId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'portico.local';
  return `<${mailId}@${domain}>`;
}

export interface DeliveryCounts {
  sent: number;
  retrying: number;
  failed: number;
}

type Outcome = keyof DeliveryCounts;

/**
 * Sends the outbox of this database over SMTP (one per server instance; nothing to do without
 * `SMTP_URL`). Each due PENDING row is claimed with `for update skip locked` and stays locked
 * while it is sent, so no two workers, in this instance or another, send it at once; its state
 * (SENT, or the next attempt's time, or FAILED after the last attempt) is written in the same
 * transaction. A crash before that commit leaves it PENDING, to be sent again; its Message-ID
 * is the same every time.
 *
 * Runs when woken (a commit that enqueued mail NOTIFYs every instance), when the next retry of
 * a mail is due (a timer), at start-up, and from the `deliver-mail` job.
 */
export class MailDelivery {
  private readonly transport: Transporter | null;
  private active: Promise<DeliveryCounts> | null = null;
  private queued: Promise<DeliveryCounts> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  /** What this instance did since it started, for tests and health checks. */
  readonly stats: DeliveryCounts = { sent: 0, retrying: 0, failed: 0 };

  constructor(
    private readonly options: {
      orm: MikroORM;
      env: DeliveryEnv;
      log: Logger;
    },
  ) {
    const { SMTP_URL } = options.env;
    this.transport = SMTP_URL
      ? nodemailer.createTransport({ ...SMTP_TIMEOUTS, url: SMTP_URL })
      : null;
  }

  /** Whether mail goes out over SMTP (otherwise it is KEPT in the outbox when enqueued). */
  get sending(): boolean {
    return this.transport !== null;
  }

  /** Starts delivering: sends what is due now, e.g. what a crashed instance left behind. */
  start(): void {
    if (!this.transport || this.running) return;
    this.running = true;
    this.wake();
  }

  /** Mail was committed (or may have been): deliver soon, without waiting for it. */
  wake(): void {
    if (!this.running) return;
    void this.deliverDue();
  }

  /**
   * Sends every mail that is due, and resolves with what happened. A call during a run waits
   * for it and runs once more after it (calls made meanwhile share that second run).
   */
  deliverDue(): Promise<DeliveryCounts> {
    if (!this.running) return Promise.resolve({ sent: 0, retrying: 0, failed: 0 });
    if (!this.active) {
      this.active = this.run().finally(() => {
        this.active = null;
      });
      return this.active;
    }
    this.queued ??= this.active.then(() => {
      this.queued = null;
      return this.deliverDue();
    });
    return this.queued;
  }

  /** Stops after the mail being sent (if any); what is left is sent by another instance or later. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.queued;
    await this.active;
    this.transport?.close();
  }

  private async run(): Promise<DeliveryCounts> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const counts: DeliveryCounts = { sent: 0, retrying: 0, failed: 0 };
    try {
      for (;;) {
        if (!this.running) return counts;
        const outcome = await this.deliverNext();
        if (!outcome) break;
        counts[outcome] += 1;
        this.stats[outcome] += 1;
      }
      await this.scheduleNextAttempt();
    } catch (error) {
      // The database is unreachable (or restarting): try again shortly.
      this.options.log.error({ error: describeFailure(error) }, 'mail delivery interrupted');
      this.schedule(RECHECK_DELAY_MS * 5);
    }
    return counts;
  }

  /** Claims, sends and records one due mail; null when none is due (or all are claimed). */
  private async deliverNext(): Promise<Outcome | null> {
    const transport = this.transport;
    if (!transport) return null;
    const { env, log } = this.options;
    const em = this.options.orm.em.fork();
    return em.transactional(async (tx) => {
      const mail = await tx.findOne(
        MailMessage,
        { status: MailStatus.PENDING, nextAttemptAt: { $lte: new Date() } },
        {
          orderBy: { nextAttemptAt: 'asc', id: 'asc' },
          lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
        },
      );
      if (!mail) return null;
      const about = { mailId: mail.id, to: mail.to, subject: mail.subject };
      mail.attempts += 1;
      try {
        await transport.sendMail({
          from: env.MAIL_FROM,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: messageIdFor(mail.id, env.MAIL_FROM),
        });
      } catch (error) {
        mail.lastError = describeFailure(error);
        const attempt = { ...about, attempt: mail.attempts, error: mail.lastError };
        if (mail.attempts >= env.MAIL_MAX_ATTEMPTS) {
          mail.status = MailStatus.FAILED;
          mail.nextAttemptAt = null;
          log.error(attempt, 'mail failed; giving up');
          return 'failed';
        }
        mail.nextAttemptAt = new Date(
          Date.now() + retryDelayMs(env.MAIL_RETRY_DELAY_MS, mail.attempts),
        );
        log.warn({ ...attempt, retryAt: mail.nextAttemptAt }, 'mail failed; will retry');
        return 'retrying';
      }
      mail.status = MailStatus.SENT;
      mail.sentAt = new Date();
      mail.nextAttemptAt = null;
      // Delivered: the one-time links it holds need not be kept.
      mail.text = '';
      log.info({ ...about, attempt: mail.attempts }, 'mail sent');
      return 'sent';
    });
  }

  /** Wakes this instance when the earliest pending mail becomes due. */
  private async scheduleNextAttempt(): Promise<void> {
    const next = await this.options.orm.em
      .fork()
      .findOne(
        MailMessage,
        { status: MailStatus.PENDING },
        { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, fields: ['nextAttemptAt'] },
      );
    if (!next?.nextAttemptAt) return;
    const wait = next.nextAttemptAt.getTime() - Date.now();
    // Due already but not claimable: another instance is sending it; look again soon.
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
      Math.min(delayMs, MAX_RETRY_DELAY_MS),
    );
    this.timer.unref();
  }
}
