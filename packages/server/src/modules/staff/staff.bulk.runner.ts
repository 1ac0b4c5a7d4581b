import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../audit/record.js';
import { createContext, NO_COOKIES, type Context, type Services } from '../../context.js';
import { PorticoError } from '../../errors.js';
import { User } from '../accounts/accounts.entity.js';
import { App } from '../apps/apps.entity.js';
import {
  decidePendingGrantsOfAppIn,
  suspendAppIn,
  unsuspendAppIn,
} from '../app-lifecycle/app-lifecycle.service.js';
import { rotateCredentialsOfAppByStaff } from '../credentials/credentials.service.js';
import { notify } from '../notifications/notifications.service.js';
import { currentVersion, publishProgress } from './staff.bulk.service.js';
import { BulkAction, BulkItemState, BulkRun, BulkRunItem, BulkRunStatus } from './staff.entity.js';
import { rotationNotice } from './staff.notices.js';

/*
 * The real run of a bulk operation, as the durable job runs it. Each item is applied in a
 * transaction of its own that also marks the item APPLIED (or FAILED) and counts it on the run:
 * a run stopped at any point (shutdown, crash) resumes with the items still PLANNED, and no
 * item is ever applied twice. A worker holds the run through a lease (its heartbeat, renewed
 * with every item); another worker takes over a run whose heartbeat is older than the lease.
 */

/** A run whose worker has not recorded progress for this long is taken over. */
export const LEASE_MS = 30_000;
/** Progress events at most this often (and always for the last item). */
const PROGRESS_EVERY_MS = 250;

export type RunOutcome = 'finished' | 'interrupted' | 'busy' | 'nothing';

export interface RunOptions {
  /** Stops between two items (the job is then retried, by this or another instance). */
  signal?: AbortSignal;
  /** Tests only: wait this long before each item, so a run can be stopped midway. */
  itemDelayMs?: number;
}

/** Takes the run's lease for `worker`: when free, expired, or already this worker's. */
async function claim(em: EntityManager, runId: string, worker: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update bulk_run set worker = ?, heartbeat_at = now(),
            status = case when status = 'QUEUED' then 'RUNNING'::bulk_run_status else status end
      where id = ? and status in ('QUEUED', 'RUNNING')
        and (worker is null or worker = ? or heartbeat_at is null or heartbeat_at < now() - (? * interval '1 millisecond'))
      returning id`,
    [worker, runId, worker, LEASE_MS],
  );
  return rows.length === 1;
}

/** The context a run's changes are made in: its starter's, from where they started it. */
async function runContext(services: Services, em: EntityManager, run: BulkRun): Promise<Context> {
  const starter = run.startedBy ? await em.findOne(User, { id: run.startedBy.id }) : null;
  if (!starter) throw new Error(`Bulk run ${run.id} has no starter.`);
  return createContext(
    services,
    { user: starter, via: 'session', scopes: [], grant: null, sessionId: null, tokenId: null },
    { ip: run.requestIp, userAgent: run.requestUserAgent },
    NO_COOKIES,
    em,
  );
}

/** Applies the run's action to one app, in `em`'s transaction; returns what it touched. */
async function applyTo(
  em: EntityManager,
  ctx: Context,
  run: BulkRun,
  app: App,
  item: BulkRunItem,
): Promise<Record<string, unknown>> {
  const origin = { bulkRunId: run.id };
  const reason = run.reason ?? '';
  switch (run.action) {
    case BulkAction.SUSPEND:
      await suspendAppIn(em, ctx, app, reason, origin);
      return { ...item.detail, to: app.status };
    case BulkAction.UNSUSPEND:
      await unsuspendAppIn(em, ctx, app, reason, origin);
      return { to: app.status };
    case BulkAction.APPROVE:
    case BulkAction.REJECT: {
      const grantIds = (item.detail.grantIds as string[] | undefined) ?? [];
      await decidePendingGrantsOfAppIn(
        em,
        ctx,
        grantIds,
        run.action === BulkAction.APPROVE,
        reason,
      );
      return { grantIds, to: app.status };
    }
    case BulkAction.ROTATE_CREDENTIALS: {
      const rotated = await rotateCredentialsOfAppByStaff(em, ctx, app, run.graceDays ?? 0, {
        bulkRunId: run.id,
        reason,
      });
      const expiresAt = rotated[0]?.expiresAt ?? new Date();
      await notify(em, ctx, {
        userId: app.owner.id,
        ...rotationNotice(
          app,
          rotated.map((r) => r.credential),
          expiresAt,
          run.reason,
        ),
      });
      return {
        credentialIds: rotated.map((r) => r.credential.id),
        expiresAt: expiresAt.toISOString(),
      };
    }
  }
}

/** Counts an item on the run and renews the lease; false when another worker took the run. */
async function countItem(
  em: EntityManager,
  run: BulkRun,
  worker: string,
  state: BulkItemState.APPLIED | BulkItemState.FAILED,
): Promise<boolean> {
  const rows = await em.execute<{ applied_count: number; failed_count: number }[]>(
    `update bulk_run set applied_count = applied_count + ?, failed_count = failed_count + ?,
            heartbeat_at = now(), updated_at = now()
      where id = ? and worker = ?
      returning applied_count, failed_count`,
    [
      state === BulkItemState.APPLIED ? 1 : 0,
      state === BulkItemState.FAILED ? 1 : 0,
      run.id,
      worker,
    ],
  );
  const row = rows[0];
  if (!row) return false;
  run.appliedCount = row.applied_count;
  run.failedCount = row.failed_count;
  return true;
}

class LeaseLost extends Error {}

const failureText = (err: unknown): string =>
  err instanceof PorticoError ? err.message : 'Unexpected error (see the server log).';

/**
 * Applies one planned item: the change, its state and the run's counts in one transaction. An
 * item already done (by an earlier attempt) is left alone. A change that fails rolls back and
 * the item is marked FAILED with the reason, in a transaction of its own.
 */
async function applyItem(
  services: Services,
  runId: string,
  itemId: string,
  worker: string,
  publishNow: () => boolean,
): Promise<void> {
  const attempt = async (failure: string | null): Promise<void> => {
    const em = services.orm.em.fork();
    await em.transactional(async (tx) => {
      const item = await tx.findOne(
        BulkRunItem,
        { id: itemId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!item || item.state !== BulkItemState.PLANNED) return;
      const run = await tx.findOneOrFail(BulkRun, { id: runId });
      let state: BulkItemState.APPLIED | BulkItemState.FAILED = BulkItemState.FAILED;
      if (failure === null) {
        const app = await tx.findOne(
          App,
          { id: item.app.id },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!app || app.deletedAt) {
          item.failure = 'The app was deleted after the dry run.';
        } else if ((await currentVersion(tx, run.action, app)) !== item.version) {
          item.failure = 'The app changed after the dry run.';
        } else {
          const ctx = await runContext(services, tx, run);
          item.detail = await applyTo(tx, ctx, run, app, item);
          state = BulkItemState.APPLIED;
        }
      } else {
        item.failure = failure;
      }
      item.state = state;
      item.doneAt = new Date();
      if (!(await countItem(tx, run, worker, state))) throw new LeaseLost();
      if (publishNow()) await publishProgress(tx, run);
    });
  };
  try {
    await attempt(null);
  } catch (err) {
    if (err instanceof LeaseLost) throw err;
    if (!(err instanceof PorticoError)) {
      services.log.error({ err, runId, itemId }, 'bulk run item failed');
    }
    await attempt(failureText(err));
  }
}

/** Marks the run FINISHED with its final counts, audits the summary and publishes it. */
async function finish(services: Services, runId: string, worker: string): Promise<void> {
  const em = services.orm.em.fork();
  await em.transactional(async (tx) => {
    const run = await tx.findOne(BulkRun, { id: runId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!run || run.status !== BulkRunStatus.RUNNING || run.worker !== worker) return;
    const counts = await tx.execute<{ state: BulkItemState; n: number }[]>(
      `select state::text as state, count(*)::int as n from bulk_run_item where run_id = ? group by state`,
      [run.id],
    );
    const count = (state: BulkItemState): number => counts.find((c) => c.state === state)?.n ?? 0;
    run.appliedCount = count(BulkItemState.APPLIED);
    run.failedCount = count(BulkItemState.FAILED);
    run.status = BulkRunStatus.FINISHED;
    run.finishedAt = new Date();
    run.worker = null;
    const ctx = await runContext(services, tx, run);
    recordAudit(tx, ctx, {
      organizationId: null,
      action: 'bulk_run.finish',
      targetType: 'BulkRun',
      targetId: run.id,
      data: {
        bulkAction: run.action,
        reason: run.reason,
        applied: run.appliedCount,
        skipped: count(BulkItemState.SKIPPED),
        failed: run.failedCount,
      },
    });
    await publishProgress(tx, run);
  });
}

/**
 * Runs (or resumes) the bulk run `runId` to its end: what the durable job calls. Returns
 * `interrupted` when `signal` stopped it between two items (the job is retried), `busy` when
 * another worker holds it, `nothing` when it is not queued or running.
 */
export async function runBulkRun(
  services: Services,
  runId: string,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const worker = randomUUID();
  const em = services.orm.em.fork();
  const run = await em.findOne(BulkRun, { id: runId });
  if (!run || (run.status !== BulkRunStatus.QUEUED && run.status !== BulkRunStatus.RUNNING)) {
    return 'nothing';
  }
  if (!(await claim(em, runId, worker))) return 'busy';
  let lastPublished = 0;
  const publishNow = (): boolean => {
    const now = Date.now();
    if (now - lastPublished < PROGRESS_EVERY_MS) return false;
    lastPublished = now;
    return true;
  };
  try {
    for (;;) {
      const batch = await services.orm.em
        .fork()
        .find(
          BulkRunItem,
          { run: runId, state: BulkItemState.PLANNED },
          { orderBy: { position: 'asc' }, limit: 100, fields: ['id'] },
        );
      if (!batch.length) break;
      for (const item of batch) {
        if (options.signal?.aborted) {
          // Let the next worker take over at once instead of waiting for the lease to expire.
          await services.orm.em
            .fork()
            .execute(`update bulk_run set worker = null where id = ? and worker = ?`, [
              runId,
              worker,
            ]);
          return 'interrupted';
        }
        if (options.itemDelayMs) await new Promise((r) => setTimeout(r, options.itemDelayMs));
        await applyItem(services, runId, item.id, worker, publishNow);
      }
    }
  } catch (err) {
    if (err instanceof LeaseLost) return 'busy';
    throw err;
  }
  await finish(services, runId, worker);
  return 'finished';
}

/** Runs that are queued or running with no fresh heartbeat: a worker must (re)start them. */
export async function runsToResume(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from bulk_run
      where status in ('QUEUED', 'RUNNING')
        and (heartbeat_at is null or heartbeat_at < now() - (? * interval '1 millisecond'))
      order by created_at`,
    [LEASE_MS],
  );
  return rows.map((row) => row.id);
}
