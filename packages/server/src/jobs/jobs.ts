import PgBoss from 'pg-boss';
import type { Services } from '../context.js';
import {
  describeConnectionFailure,
  isDatabaseUnavailable,
  PG_CONNECTION_OPTIONS,
} from '../db/availability.js';
import type { MailDelivery } from '../modules/mail/mail.delivery.js';
import { closeStaleApplications } from '../modules/applications/applications.expiry.js';
import { sendExpiryReminders } from '../modules/credentials/credentials.reminders.js';
import { sendSunsetReminders } from '../modules/catalogue/index.js';

/** The queues of scheduled work; each job of a queue runs on exactly one instance. */
export const JOB_QUEUES = {
  closeStaleApplications: 'close-stale-applications',
  credentialExpiryReminders: 'credential-expiry-reminders',
  sunsetReminders: 'sunset-reminders',
  deliverMail: 'deliver-mail',
} as const;

export type JobQueue = (typeof JOB_QUEUES)[keyof typeof JOB_QUEUES];

export interface JobOptions {
  /** Cron (UTC) for closing applications whose question went unanswered; default hourly. */
  closeStaleApplicationsCron?: string;
  /** Cron (UTC) for reminding owners of credentials and tokens about to expire; default hourly. */
  credentialExpiryRemindersCron?: string;
  /** Cron (UTC) for telling app owners that a deprecation's sunset is near; default hourly. */
  sunsetRemindersCron?: string;
  /**
   * Cron (UTC) for sending the mail outbox's due mail; default every minute. Each instance also
   * sends as soon as mail is committed and when a retry is due: this catches what those missed.
   */
  deliverMailCron?: string;
  /** How often an idle worker looks for jobs; default 2 seconds (pg-boss allows 0.5 at least). */
  pollingIntervalSeconds?: number;
}

export interface JobRunner {
  /** The pg-boss instance, e.g. for tests to `send` a job now instead of waiting for cron. */
  boss: PgBoss;
  stop(): Promise<void>;
}

let running: JobRunner | null = null;

/**
 * Starts pg-boss on the application's database (it creates and migrates its own `pgboss`
 * schema), schedules the periodic jobs and works their queues. Every instance may call this:
 * pg-boss creates one job per cron slot and hands each job to one worker, so exactly one
 * instance runs it. Call once the ORM is ready; call `stopJobs()` on shutdown.
 */
export async function startJobs(
  services: Services,
  mailDelivery: MailDelivery,
  options: JobOptions = {},
): Promise<JobRunner> {
  if (running) throw new Error('Jobs are already running in this process.');
  const { orm, log } = services;
  const boss = new PgBoss({
    connectionString: orm.config.get('clientUrl'),
    application_name: 'portico-jobs',
    max: 3,
    ...PG_CONNECTION_OPTIONS,
  });
  boss.on('error', (error: Error) => {
    // While PostgreSQL restarts every poll fails; pg-boss goes on polling and recovers.
    if (isDatabaseUnavailable(error)) {
      log.warn({ error: describeConnectionFailure(error) }, 'job queue cannot reach the database');
    } else {
      log.error({ err: error }, 'job queue error');
    }
  });
  await boss.start();

  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 };
  /** A queue whose jobs the cron makes, at most one running at a time across every instance. */
  const periodic = async (
    queue: JobQueue,
    cron: string,
    run: () => Promise<Record<string, number>>,
  ): Promise<void> => {
    await boss.createQueue(queue, { name: queue, policy: 'singleton', retryLimit: 3 });
    await boss.schedule(queue, cron, {}, { tz: 'UTC' });
    await boss.work(queue, polling, run);
  };

  await periodic(
    JOB_QUEUES.closeStaleApplications,
    options.closeStaleApplicationsCron ?? '0 * * * *',
    async () => {
      const closed = await closeStaleApplications(orm.em.fork(), new Date(), services);
      if (closed.length) log.info({ count: closed.length }, 'closed unanswered applications');
      return { closed: closed.length };
    },
  );
  await periodic(
    JOB_QUEUES.credentialExpiryReminders,
    options.credentialExpiryRemindersCron ?? '0 * * * *',
    async () => {
      const reminded = await sendExpiryReminders(orm.em.fork(), new Date(), services);
      const counts = {
        credentials: reminded.credentials.length,
        personalAccessTokens: reminded.personalAccessTokens.length,
      };
      if (counts.credentials || counts.personalAccessTokens) {
        log.info(counts, 'sent expiry reminders');
      }
      return counts;
    },
  );

  await periodic(
    JOB_QUEUES.sunsetReminders,
    options.sunsetRemindersCron ?? '30 * * * *',
    async () => {
      const reminded = await sendSunsetReminders(orm.em.fork(), new Date(), services);
      if (reminded.length) log.info({ count: reminded.length }, 'sent sunset reminders');
      return { entries: reminded.length };
    },
  );

  await periodic(JOB_QUEUES.deliverMail, options.deliverMailCron ?? '* * * * *', async () => {
    const counts = await mailDelivery.deliverDue();
    return { ...counts };
  });

  const runner: JobRunner = {
    boss,
    async stop() {
      if (running === runner) running = null;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
  running = runner;
  log.info({ queues: Object.values(JOB_QUEUES) }, 'jobs started');
  return runner;
}

/** Stops the jobs this process runs (waits for a running job to finish); no-op if none. */
export async function stopJobs(): Promise<void> {
  await running?.stop();
}
