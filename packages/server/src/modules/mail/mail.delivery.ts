import nodemailer, { type Transporter } from 'nodemailer';
import pg from 'pg';
import type { Logger } from 'pino';
import { PG_CONNECTION_OPTIONS } from '../../db/availability.js';
import type { Env } from '../../env.js';
import { MailStatus } from './mail.entity.js';

type DeliveryEnv = Pick<
  Env,
  'SMTP_URL' | 'MAIL_FROM' | 'MAIL_MAX_ATTEMPTS' | 'MAIL_RETRY_DELAY_MS'
>;

/** The longest wait between two attempts of one mail. */
export const MAX_RETRY_DELAY_MS = 3_600_000;
/** When the next due mail is held by another instance, look again after this long. */
const RECHECK_DELAY_MS = 1_000;
/** The longest an operation waits for its own mail to be sent before it answers anyway. */
export const SEND_BEFORE_ANSWER_MS = 5_000;
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

/** The columns of a `mail_message` row that sending needs. */
interface DueMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  attempts: number;
}

const DUE_MAIL_COLUMNS = 'id, "to", subject, text, attempts';

/**
 * Sends the outbox (`mail_message`) over SMTP; one per server instance, nothing to do without
 * `SMTP_URL`. A due PENDING row is claimed with `for update skip locked` and stays locked while
 * it is sent, so no two workers, in this instance or another, send it at once; its new state
 * (SENT, or the time of the next attempt, or FAILED after the last one) is written in the same
 * transaction. A crash before that commit leaves it PENDING, to be sent again, with the same
 * Message-ID.
 *
 * It runs when woken (a commit that enqueued mail NOTIFYs every instance), when the next retry
 * is due (a timer), at start-up, and from the `deliver-mail` job; and the operation that
 * enqueued a mail sends it before answering (`deliverNow`), as mail was sent before the outbox.
 * It has a small connection pool of its own: a row stays locked (and its connection busy) while
 * the SMTP server takes the mail, which should hold up neither requests nor their statements.
 */
export class MailDelivery {
  private readonly transport: Transporter | null;
  private pool: pg.Pool | null = null;
  private active: Promise<DeliveryCounts> | null = null;
  private queued: Promise<DeliveryCounts> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  /** What this instance did since it started, for tests and health checks. */
  readonly stats: DeliveryCounts = { sent: 0, retrying: 0, failed: 0 };

  constructor(
    private readonly options: {
      connectionString: string;
      env: DeliveryEnv;
      log: Logger;
    },
  ) {
    const { SMTP_URL } = options.env;
    this.transport = SMTP_URL
      ? nodemailer.createTransport({ ...SMTP_TIMEOUTS, url: SMTP_URL })
      : null;
  }

  /** Starts delivering: sends what is due now, e.g. what a crashed instance left behind. */
  start(): void {
    if (!this.transport || this.running) return;
    this.pool = new pg.Pool({
      connectionString: this.options.connectionString,
      max: 4,
      application_name: 'portico-mail',
      ...PG_CONNECTION_OPTIONS,
    });
    this.pool.on('error', (error) =>
      this.options.log.warn({ error: describeFailure(error) }, 'mail database connection error'),
    );
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

  /**
   * Sends these committed mails now, one attempt each, waiting for a worker that holds one to
   * finish with it; resolves within `SEND_BEFORE_ANSWER_MS` whatever happens (what is left
   * goes on in the background). Ids of rolled-back or already sent mail are skipped.
   */
  async deliverNow(ids: readonly string[]): Promise<void> {
    if (!this.running || ids.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SEND_BEFORE_ANSWER_MS);
    });
    const sending = (async () => {
      for (const id of ids) {
        try {
          const outcome = await this.deliverOne(id);
          if (outcome) this.count(outcome);
          // Set the timer of its next attempt (a run finds nothing due now, then looks ahead).
          if (outcome === 'retrying') this.wake();
        } catch (error) {
          // E.g. another worker held it too long: it is sent in the background instead.
          const about = { mailId: id, error: describeFailure(error) };
          this.options.log.warn(about, 'mail not sent before answering');
        }
      }
    })();
    await Promise.race([sending, timeout]);
    clearTimeout(timer);
  }

  /** Stops after the mail being sent (if any); what is left is sent by another instance or later. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.queued;
    await this.active;
    this.transport?.close();
    await this.pool?.end();
    this.pool = null;
  }

  private count(outcome: Outcome): void {
    this.stats[outcome] += 1;
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
        this.count(outcome);
      }
      await this.scheduleNextAttempt();
    } catch (error) {
      // The database is unreachable (or restarting): try again shortly.
      this.options.log.error({ error: describeFailure(error) }, 'mail delivery interrupted');
      this.schedule(RECHECK_DELAY_MS * 5);
    }
    return counts;
  }

  /** Claims, sends and records the first due mail; null when none is due (or all are claimed). */
  private deliverNext(): Promise<Outcome | null> {
    return this.inTransaction(async (client) => {
      const { rows } = await client.query<DueMail>(
        `select ${DUE_MAIL_COLUMNS} from mail_message
         where status = $1 and next_attempt_at <= $2
         order by next_attempt_at, id limit 1 for update skip locked`,
        [MailStatus.PENDING, new Date()],
      );
      return rows[0] ? this.send(client, rows[0]) : null;
    });
  }

  /** Sends one mail if it is (still) due, waiting for a worker that holds it to finish first. */
  private deliverOne(id: string): Promise<Outcome | null> {
    return this.inTransaction(async (client) => {
      await client.query(`set local lock_timeout = ${SEND_BEFORE_ANSWER_MS}`);
      const { rows } = await client.query<DueMail>(
        `select ${DUE_MAIL_COLUMNS} from mail_message
         where id = $1 and status = $2 and next_attempt_at <= $3 for update`,
        [id, MailStatus.PENDING, new Date()],
      );
      return rows[0] ? this.send(client, rows[0]) : null;
    });
  }

  /** One attempt at a claimed mail, recorded in the transaction that holds its row. */
  private async send(client: pg.PoolClient, mail: DueMail): Promise<Outcome> {
    const transport = this.transport;
    if (!transport) throw new Error('No SMTP transport.');
    const { env, log } = this.options;
    const attempts = mail.attempts + 1;
    const about = { mailId: mail.id, to: mail.to, subject: mail.subject, attempt: attempts };
    try {
      await transport.sendMail({
        from: env.MAIL_FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: messageIdFor(mail.id, env.MAIL_FROM),
      });
    } catch (error) {
      const lastError = describeFailure(error);
      if (attempts >= env.MAIL_MAX_ATTEMPTS) {
        await client.query(
          `update mail_message set status = $2, attempts = $3, next_attempt_at = null,
             last_error = $4 where id = $1`,
          [mail.id, MailStatus.FAILED, attempts, lastError],
        );
        log.error({ ...about, error: lastError }, 'mail failed; giving up');
        return 'failed';
      }
      const retryAt = new Date(Date.now() + retryDelayMs(env.MAIL_RETRY_DELAY_MS, attempts));
      await client.query(
        `update mail_message set attempts = $2, next_attempt_at = $3, last_error = $4
         where id = $1`,
        [mail.id, attempts, retryAt, lastError],
      );
      log.warn({ ...about, error: lastError, retryAt }, 'mail failed; will retry');
      return 'retrying';
    }
    // Delivered: the one-time links it holds need not be kept.
    await client.query(
      `update mail_message set status = $2, attempts = $3, sent_at = $4, next_attempt_at = null,
         text = '' where id = $1`,
      [mail.id, MailStatus.SENT, attempts, new Date()],
    );
    log.info(about, 'mail sent');
    return 'sent';
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const pool = this.pool;
    if (!pool) throw new Error('Mail delivery is not started.');
    const client = await pool.connect();
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      client.release();
      return result;
    } catch (error) {
      const rolledBack = await client.query('rollback').then(
        () => true,
        () => false,
      );
      // A broken connection is not given back to the pool.
      client.release(!rolledBack);
      throw error;
    }
  }

  /** Wakes this instance when the earliest pending mail becomes due. */
  private async scheduleNextAttempt(): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    const { rows } = await pool.query<{ next: Date | null }>(
      'select min(next_attempt_at) as next from mail_message where status = $1',
      [MailStatus.PENDING],
    );
    const next = rows[0]?.next;
    if (!next) return;
    const wait = next.getTime() - Date.now();
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
