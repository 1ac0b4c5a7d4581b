import type PgBoss from 'pg-boss';
import type { Services } from '../context.js';
import { createBoss } from './boss.js';
import { startBulkRunWorker, type BulkRunWorkerOptions } from './bulk-runs.js';
import type { MailDelivery } from '../modules/mail/mail.delivery.js';
import type { WebhookDeliveries } from '../modules/webhooks/index.js';
import { closeStaleApplications } from '../modules/applications/applications.expiry.js';
import { sendExpiryReminders } from '../modules/credentials/credentials.reminders.js';
import { sendUsageAlerts } from '../modules/usage/usage.alerts.js';
import { maintainUsagePartitions } from '../modules/usage/usage.partitions.js';
import { rollUpUsage } from '../modules/usage/usage.rollup.js';
import { usageRetention } from '../modules/usage/usage.settings.js';
import { deleteExpiredRecords, rotateSigningKey, signingKeyIsDue } from '../modules/oauth/index.js';
import { sendSunsetReminders } from '../modules/catalogue/index.js';

/** The queues of scheduled work; each job of a queue runs on exactly one instance. */
export const JOB_QUEUES = {
  closeStaleApplications: 'close-stale-applications',
  credentialExpiryReminders: 'credential-expiry-reminders',
  sunsetReminders: 'sunset-reminders',
  deliverMail: 'deliver-mail',
  usageRollup: 'usage-rollup',
  usagePartitions: 'usage-partitions',
  deliverWebhooks: 'deliver-webhooks',
  oauthHousekeeping: 'oauth-housekeeping',
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
  /**
   * Cron (UTC) for rolling usage up (minutes → hours → days) and then sending the cap alerts
   * it shows; default every minute.
   */
  usageRollupCron?: string;
  /**
   * Cron (UTC) for making the usage tables' partitions ahead of time and dropping those past
   * retention; default hourly (and once when the jobs start).
   */
  usagePartitionsCron?: string;
  /**
   * Cron (UTC) for sending the webhook deliveries that are due; default every minute. Each
   * instance also sends as soon as deliveries are committed and when a retry is due.
   */
  deliverWebhooksCron?: string;
  /** Cron (UTC) for deleting expired OAuth records and rotating an old signing key; hourly. */
  oauthHousekeepingCron?: string;
  /** How often an idle worker looks for jobs; default 2 seconds (pg-boss allows 0.5 at least). */
  pollingIntervalSeconds?: number;
  /** The staff bulk runs' worker (see bulk-runs.ts). */
  bulkRuns?: BulkRunWorkerOptions;
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
  webhookDeliveries?: WebhookDeliveries,
): Promise<JobRunner> {
  if (running) throw new Error('Jobs are already running in this process.');
  const { orm, log } = services;
  const boss = createBoss(services);
  await boss.start();
  const bulkRuns = await startBulkRunWorker(services, boss, {
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    ...options.bulkRuns,
  });

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

  const retention = usageRetention(services.env);
  const maintainPartitions = async () => {
    const report = await maintainUsagePartitions(orm.em.fork(), new Date(), retention);
    if (report.created.length || report.dropped.length || report.expiredDefaultRows) {
      log.info(report, 'usage partitions maintained');
    }
    return {
      created: report.created.length,
      dropped: report.dropped.length,
      expiredDefaultRows: report.expiredDefaultRows,
    };
  };
  await periodic(
    JOB_QUEUES.usagePartitions,
    options.usagePartitionsCron ?? '7 * * * *',
    maintainPartitions,
  );
  // Now as well (one instance: singleton), so a fresh database writes into real partitions.
  await boss.send(JOB_QUEUES.usagePartitions, {}, { singletonKey: 'start' });
  await periodic(JOB_QUEUES.usageRollup, options.usageRollupCron ?? '* * * * *', async () => {
    const rolled = await rollUpUsage(orm.em.fork());
    const alerts = await sendUsageAlerts(orm.em.fork(), new Date(), services);
    if (alerts.length) log.info({ count: alerts.length }, 'sent usage cap alerts');
    return { ...rolled, alerts: alerts.length };
  });

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
  if (webhookDeliveries) {
    await periodic(
      JOB_QUEUES.deliverWebhooks,
      options.deliverWebhooksCron ?? '* * * * *',
      async () => ({ ...(await webhookDeliveries.deliverDue()) }),
    );
  }

  await periodic(
    JOB_QUEUES.oauthHousekeeping,
    options.oauthHousekeepingCron ?? '15 * * * *',
    async () => {
      const deleted = await deleteExpiredRecords(orm.em.fork());
      let rotated = 0;
      if (await signingKeyIsDue(orm.em.fork())) {
        await orm.em
          .fork()
          .transactional((em) => rotateSigningKey(em, services.env.OAUTH_KEY_SECRET));
        rotated = 1;
        log.info('rotated the OAuth signing key');
      }
      return { deleted, rotated };
    },
  );

  const runner: JobRunner = {
    boss,
    async stop() {
      if (running === runner) running = null;
      await bulkRuns.stop();
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
