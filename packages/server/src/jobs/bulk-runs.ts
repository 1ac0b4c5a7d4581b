import type PgBoss from 'pg-boss';
import { createBoss } from './boss.js';
import type { Services } from '../context.js';
import { isEvent } from '../events/domain-events.js';
import { topics } from '../events/topics.js';
import { runBulkRun, runsToResume } from '../modules/staff/index.js';

/*
 * Staff bulk runs as durable pg-boss jobs. A run is queued by its start (the `bulk_run.changed`
 * event, written in the start's transaction, wakes every worker; one job per run does the
 * work, and the run's lease makes any duplicate job finish at once). A worker that stops
 * (shutdown) ends its job between two items and fails it: pg-boss retries it, here or on
 * another instance, and the run resumes with the items left. A worker that dies leaves a stale
 * heartbeat: the sweep queues the run again.
 */

export const BULK_RUN_QUEUE = 'bulk-run';
export const BULK_RUN_SWEEP_QUEUE = 'bulk-run-sweep';

export interface BulkRunWorkerOptions {
  /** How often an idle worker looks for jobs; default 2 seconds. */
  pollingIntervalSeconds?: number;
  /** Cron (UTC) of the sweep that queues runs left behind; default every minute. */
  sweepCron?: string;
  /** Tests only: pause before each item, so that a run can be stopped midway. */
  itemDelayMs?: number;
}

export interface BulkRunWorker {
  /** Queues the run now (what the start's event does), e.g. for tests. */
  queue(runId: string): Promise<void>;
  /** Stops taking runs; a run in progress ends between two items and is resumed elsewhere. */
  stop(): Promise<void>;
}

interface BulkRunJob {
  runId: string;
}

/** Works the bulk-run queue on `boss` (started by the caller, who also stops it). */
export async function startBulkRunWorker(
  services: Services,
  boss: PgBoss,
  options: BulkRunWorkerOptions = {},
): Promise<BulkRunWorker> {
  const abort = new AbortController();
  const { log } = services;
  await boss.createQueue(BULK_RUN_QUEUE, {
    name: BULK_RUN_QUEUE,
    policy: 'standard',
    retryLimit: 1000,
    retryDelay: 1,
    expireInSeconds: 3600,
  });
  await boss.createQueue(BULK_RUN_SWEEP_QUEUE, {
    name: BULK_RUN_SWEEP_QUEUE,
    policy: 'singleton',
    retryLimit: 3,
  });

  const queue = async (runId: string): Promise<void> => {
    await boss.send(BULK_RUN_QUEUE, { runId } satisfies BulkRunJob);
  };
  const sweep = async (): Promise<number> => {
    const runIds = await runsToResume(services.orm.em.fork());
    for (const runId of runIds) await queue(runId);
    return runIds.length;
  };

  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 };
  await boss.work<BulkRunJob>(BULK_RUN_QUEUE, polling, async ([job]) => {
    if (!job) return { outcome: 'nothing' };
    const outcome = await runBulkRun(services, job.data.runId, {
      signal: abort.signal,
      ...(options.itemDelayMs ? { itemDelayMs: options.itemDelayMs } : {}),
    });
    log.info({ runId: job.data.runId, outcome }, 'bulk run job');
    // Failing the job makes pg-boss retry it: the next worker resumes the run.
    if (outcome === 'interrupted') throw new Error('Stopped between two items; resumed next.');
    return { outcome };
  });
  await boss.schedule(BULK_RUN_SWEEP_QUEUE, options.sweepCron ?? '* * * * *', {}, { tz: 'UTC' });
  await boss.work(BULK_RUN_SWEEP_QUEUE, polling, async () => ({ queued: await sweep() }));

  const unsubscribe = services.events.subscribe(topics.staff, (event) => {
    if (isEvent(event, 'bulk_run.changed') && event.data.status === 'QUEUED') {
      queue(event.subjectId).catch((err: unknown) =>
        log.warn({ err, runId: event.subjectId }, 'could not queue a bulk run; the sweep will'),
      );
    }
  });
  // Runs a stopped or crashed instance left behind, at once rather than at the next sweep.
  await sweep().catch((err: unknown) => log.warn({ err }, 'bulk run sweep failed'));

  return {
    queue,
    async stop() {
      unsubscribe();
      abort.abort();
      await boss.offWork(BULK_RUN_QUEUE);
      await boss.offWork(BULK_RUN_SWEEP_QUEUE);
    },
  };
}

/**
 * A bulk-run worker with a pg-boss instance of its own: what an instance that runs only bulk
 * runs would start, and what tests start to have two workers in one process.
 */
export async function startStandaloneBulkRunWorker(
  services: Services,
  options: BulkRunWorkerOptions = {},
): Promise<BulkRunWorker & { boss: PgBoss }> {
  const boss = createBoss(services);
  await boss.start();
  const worker = await startBulkRunWorker(services, boss, options);
  return {
    boss,
    queue: worker.queue,
    async stop() {
      await worker.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
