import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import type { Context } from '../../context.js';
import { badInput, conflict, notFound } from '../../errors.js';
import { publish } from '../../events/events.service.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { User } from '../accounts/accounts.entity.js';
import { App, AppStatus } from '../apps/apps.entity.js';
import { SUSPENSION_REASON_MIN } from '../apps/apps.validation.js';
import { MAX_GRACE_DAYS, activeCredentialIdsOfApps } from '../credentials/credentials.service.js';
import { requireStaff } from './staff.access.js';
import {
  AppCriteriaSchema,
  isNarrowed,
  storableCriteria,
  type AppCriteria,
} from './staff.criteria.js';
import { BulkAction, BulkItemPlan, BulkRun, BulkRunItem, BulkRunStatus } from './staff.entity.js';
import { eachApp, type InventoryApp } from './staff.inventory.js';

/*
 * Bulk operations, first as a dry run: the plan lists every app the criteria select, each as a
 * change or a skip (with the reason), with the version of the app it was planned against. The
 * plan is stored with its fingerprint. Starting the real run plans again from the same
 * criteria: a different fingerprint refuses the run (nothing is applied); the same one queues
 * it for the durable job (staff.bulk.runner.ts), which applies exactly the stored items.
 */

/** The most apps one run may touch. */
export const MAX_BULK_APPS = 50_000;

export const PlanBulkRunSchema = z
  .object({
    action: z.enum(BulkAction),
    criteria: AppCriteriaSchema,
    reason: fields
      .text('The reason', 'Give a reason.')
      .min(SUSPENSION_REASON_MIN, `Give a reason (at least ${SUSPENSION_REASON_MIN} characters).`)
      .max(2000, 'The reason must be at most 2000 characters.'),
    graceDays: z
      .number()
      .int('Give a whole number of days.')
      .min(0, 'The grace period cannot be negative.')
      .max(MAX_GRACE_DAYS, `The grace period is at most ${MAX_GRACE_DAYS} days.`)
      .nullish(),
  })
  .superRefine((data, ctx) => {
    if (data.action === BulkAction.ROTATE_CREDENTIALS && data.graceDays == null) {
      ctx.addIssue({
        code: 'custom',
        path: ['graceDays'],
        message: 'Give the grace period (0 to 30 days).',
      });
    }
    if (data.action !== BulkAction.ROTATE_CREDENTIALS && data.graceDays != null) {
      ctx.addIssue({
        code: 'custom',
        path: ['graceDays'],
        message: 'A grace period goes with a credential rotation only.',
      });
    }
  });
export type PlanBulkRunData = z.infer<typeof PlanBulkRunSchema>;

export interface PlannedItem {
  appId: string;
  organizationId: string;
  plan: BulkItemPlan;
  skipReason: string | null;
  version: string;
  detail: Record<string, unknown>;
}

interface Plan {
  items: PlannedItem[];
  fingerprint: string;
}

/** What each action needs to know about an app beyond its row, by app id. */
interface Extras {
  pendingGrants: Map<string, string[]>;
  activeCredentials: Map<string, string[]>;
}

async function pendingGrantIdsOfApps(
  em: EntityManager,
  appIds: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = appIds.length
    ? await em.execute<{ id: string; app_id: string }[]>(
        `select id, app_id from product_grant where app_id = any(array[?]::text[]) and status = 'PENDING' order by created_at, id`,
        [appIds],
      )
    : [];
  const byApp = new Map<string, string[]>();
  for (const row of rows) byApp.set(row.app_id, [...(byApp.get(row.app_id) ?? []), row.id]);
  return byApp;
}

async function extrasOf(
  em: EntityManager,
  action: BulkAction,
  appIds: readonly string[],
): Promise<Extras> {
  const decides = action === BulkAction.APPROVE || action === BulkAction.REJECT;
  return {
    pendingGrants: decides ? await pendingGrantIdsOfApps(em, appIds) : new Map(),
    activeCredentials:
      action === BulkAction.ROTATE_CREDENTIALS
        ? await activeCredentialIdsOfApps(em, appIds)
        : new Map(),
  };
}

interface AppState {
  id: string;
  status: AppStatus;
  updatedAt: Date;
}

/**
 * The app's state that the action depends on: its status and last update, and the pending
 * requests (approve, reject) or active credentials (rotation) the change would touch.
 */
function versionOf(action: BulkAction, app: AppState, extras: Extras): string {
  const touched =
    action === BulkAction.ROTATE_CREDENTIALS
      ? (extras.activeCredentials.get(app.id) ?? [])
      : (extras.pendingGrants.get(app.id) ?? []);
  return [app.status, app.updatedAt.toISOString(), touched.join(',')].join('|');
}

/** Whether the action changes the app, or why it skips it; and what it touches. */
function decide(
  action: BulkAction,
  app: AppState,
  extras: Extras,
): { skipReason: string | null; detail: Record<string, unknown> } {
  switch (action) {
    case BulkAction.SUSPEND:
      return {
        skipReason: app.status === AppStatus.SUSPENDED ? 'Already suspended.' : null,
        detail: { from: app.status },
      };
    case BulkAction.UNSUSPEND:
      return {
        skipReason: app.status === AppStatus.SUSPENDED ? null : `Not suspended (${app.status}).`,
        detail: {},
      };
    case BulkAction.APPROVE:
    case BulkAction.REJECT: {
      const grantIds = extras.pendingGrants.get(app.id) ?? [];
      return {
        skipReason: grantIds.length ? null : 'No pending request.',
        detail: { grantIds },
      };
    }
    case BulkAction.ROTATE_CREDENTIALS: {
      const credentialIds = extras.activeCredentials.get(app.id) ?? [];
      return {
        skipReason: credentialIds.length ? null : 'No active credential.',
        detail: { credentialIds },
      };
    }
  }
}

function planItem(action: BulkAction, app: InventoryApp, extras: Extras): PlannedItem {
  const { skipReason, detail } = decide(action, app, extras);
  return {
    appId: app.id,
    organizationId: app.organizationId,
    plan: skipReason ? BulkItemPlan.SKIP : BulkItemPlan.CHANGE,
    skipReason,
    version: versionOf(action, app, extras),
    detail,
  };
}

function fingerprintOf(action: BulkAction, items: readonly PlannedItem[]): string {
  const hash = createHash('sha256');
  hash.update(action);
  for (const item of items) hash.update(`\n${item.appId} ${item.plan} ${item.version}`);
  return hash.digest('hex');
}

/** Plans `action` on every app `criteria` select, in a stable order (creation, then id). */
export async function planAction(
  em: EntityManager,
  action: BulkAction,
  criteria: AppCriteria,
  now: Date = new Date(),
): Promise<Plan> {
  const items: PlannedItem[] = [];
  for await (const batch of eachApp(em, criteria, { now })) {
    const extras = await extrasOf(
      em,
      action,
      batch.map((app) => app.id),
    );
    for (const app of batch) items.push(planItem(action, app, extras));
    if (items.length > MAX_BULK_APPS) {
      throw badInput('criteria', `These criteria select more than ${MAX_BULK_APPS} apps.`);
    }
  }
  return { items, fingerprint: fingerprintOf(action, items) };
}

/** The current version of one app for `action` (for the real run, item by item). */
export async function currentVersion(
  em: EntityManager,
  action: BulkAction,
  app: App,
): Promise<string> {
  const extras = await extrasOf(em, action, [app.id]);
  return versionOf(action, app, extras);
}

/** The dry run: plans the action, stores the plan and its fingerprint, and audits it. */
export async function planBulkRun(ctx: Context, input: unknown): Promise<BulkRun> {
  const viewer = requireStaff(ctx);
  const data = parseInput(PlanBulkRunSchema, input);
  if (!isNarrowed(data.criteria)) {
    throw badInput('criteria', 'Select apps or set at least one criterion.');
  }
  return ctx.em.transactional(async (em) => {
    const plan = await planAction(em, data.action, data.criteria);
    const changeCount = plan.items.filter((i) => i.plan === BulkItemPlan.CHANGE).length;
    const run = new BulkRun({
      action: data.action,
      criteria: storableCriteria(data.criteria),
      reason: data.reason,
      graceDays: data.graceDays ?? null,
      fingerprint: plan.fingerprint,
      changeCount,
      skipCount: plan.items.length - changeCount,
      plannedBy: em.getReference(User, viewer.user.id, { wrapped: true }),
    });
    em.persist(run);
    const runRef = em.getReference(BulkRun, run.id, { wrapped: true });
    plan.items.forEach((item, position) => {
      em.persist(
        new BulkRunItem({
          run: runRef,
          position,
          app: em.getReference(App, item.appId, { wrapped: true }),
          organizationId: item.organizationId,
          plan: item.plan,
          skipReason: item.skipReason,
          version: item.version,
          detail: item.detail,
        }),
      );
    });
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'bulk_run.plan',
      targetType: 'BulkRun',
      targetId: run.id,
      data: {
        bulkAction: data.action,
        criteria: run.criteria,
        reason: data.reason,
        graceDays: data.graceDays ?? null,
        changeCount,
        skipCount: run.skipCount,
      },
    });
    return run;
  });
}

/** How two plans differ, in words, for a refused run. */
function describeDrift(stored: readonly BulkRunItem[], fresh: readonly PlannedItem[]): string {
  const before = new Map(stored.map((item) => [item.app.id, item]));
  const after = new Map(fresh.map((item) => [item.appId, item]));
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const [appId, item] of after) {
    const old = before.get(appId);
    if (!old) added += 1;
    else if (old.version !== item.version || old.plan !== item.plan) changed += 1;
  }
  for (const appId of before.keys()) if (!after.has(appId)) removed += 1;
  const parts = [
    changed ? `${changed} app${changed === 1 ? '' : 's'} changed` : null,
    added ? `${added} app${added === 1 ? '' : 's'} now match` : null,
    removed ? `${removed} app${removed === 1 ? '' : 's'} no longer match` : null,
  ].filter((p): p is string => p !== null);
  return `The data changed after the dry run (${parts.join(', ') || 'the plan differs'}). Run the dry run again.`;
}

export const StartBulkRunSchema = z.object({
  runId: z.string().trim().min(1, 'The run id is missing.'),
});

/**
 * Starts the real run of a dry run: plans again and compares fingerprints. The same plan is
 * queued for the durable job (the `bulk_run.changed` event wakes the workers); a different one
 * refuses the run (REFUSED, audited) and answers CONFLICT, applying nothing.
 */
export async function startBulkRun(ctx: Context, input: unknown): Promise<BulkRun> {
  const viewer = requireStaff(ctx);
  const data = parseInput(StartBulkRunSchema, input);
  const outcome = await ctx.em.transactional(async (em) => {
    const run = await em.findOne(
      BulkRun,
      { id: data.runId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!run) throw notFound('Bulk run', 'runId');
    if (run.status !== BulkRunStatus.PLANNED) {
      throw conflict('runId', `This run was already started (${run.status}).`);
    }
    const criteria = parseInput(AppCriteriaSchema, run.criteria);
    const plan = await planAction(em, run.action, criteria);
    const now = new Date();
    const base = {
      bulkAction: run.action,
      criteria: run.criteria,
      reason: run.reason,
      graceDays: run.graceDays,
    };
    if (plan.fingerprint !== run.fingerprint) {
      const stored = await em.find(BulkRunItem, { run: run.id }, { orderBy: { position: 'asc' } });
      run.status = BulkRunStatus.REFUSED;
      run.refusal = describeDrift(stored, plan.items);
      run.finishedAt = now;
      recordAudit(em, ctx, {
        organizationId: null,
        action: 'bulk_run.refuse',
        targetType: 'BulkRun',
        targetId: run.id,
        data: { ...base, refusal: run.refusal },
      });
      await publishProgress(em, run);
      return { run, refused: true };
    }
    run.status = BulkRunStatus.QUEUED;
    run.startedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    run.startedAt = now;
    run.requestIp = ctx.request.ip;
    run.requestUserAgent = ctx.request.userAgent;
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'bulk_run.start',
      targetType: 'BulkRun',
      targetId: run.id,
      data: { ...base, changeCount: run.changeCount, skipCount: run.skipCount },
    });
    await publishProgress(em, run);
    return { run, refused: false };
  });
  if (outcome.refused) throw conflict('runId', outcome.run.refusal ?? 'The data changed.');
  return outcome.run;
}

/** Publishes the run's status and counts on the staff topic, in `em`'s transaction. */
export async function publishProgress(em: EntityManager, run: BulkRun): Promise<void> {
  await publish(em, 'bulk_run.changed', {
    subjectId: run.id,
    status: run.status,
    total: run.changeCount + run.skipCount,
    applied: run.appliedCount,
    skipped: run.skipCount,
    failed: run.failedCount,
  });
}
