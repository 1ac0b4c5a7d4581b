import type { EntityManager } from '@mikro-orm/postgresql';
import { requireViewer } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { publish } from '../../events/events.service.js';
import { parseInput } from '../../graphql/validation.js';
import { User } from '../accounts/accounts.entity.js';
import { assertMayCreateApps } from '../applications/applications.gate.js';
import { recordAudit } from '../../audit/record.js';
import { loadAppToManage, loadLiveApp } from '../apps/apps.access.js';
import { App, AppStatus } from '../apps/apps.entity.js';
import { buildApp, checkNewApp, mappingNameConflict } from '../apps/apps.service.js';
import type {
  CreateAppInput,
  DeleteAppInput,
  SuspendAppInput,
  UnsuspendAppInput,
} from '../apps/apps.types.js';
import { DeleteAppSchema, SuspendAppSchema, UnsuspendAppSchema } from '../apps/apps.validation.js';
import { revokeCredentialsOfDeletedApp } from '../credentials/credentials.service.js';
import { effectiveGrantStatuses } from '../grants/grants.effective.js';
import type { GrantStatus, ProductGrant } from '../grants/grants.entity.js';
import {
  closeGrantsOfDeletedApp,
  decideGrantsOfApps,
  mappingLiveConflict,
  parseProductIds,
  requestGrantsForApp,
  withdrawGrant,
} from '../grants/grants.service.js';
import {
  GrantDecision,
  type DecideGrantsInput,
  type RequestProductsInput,
  type WithdrawGrantRequestInput,
} from '../grants/grants.types.js';
import { notify } from '../notifications/notifications.service.js';
import { suspendedNotice, unsuspendedNotice } from './app-lifecycle.notices.js';
import {
  LifecycleTrigger,
  planTransition,
  type AppState,
  type Transition,
} from './app-lifecycle.transitions.js';

/**
 * The one place where an app's status changes: creation, grant requests and decisions,
 * suspension and its lifting, deletion. Each entry point runs in one transaction, asks
 * `app-lifecycle.transitions.ts` whether the change is legal, and applies it with its audit
 * entry, its event and its cascades (grants closed and credentials revoked on deletion).
 */

interface TransitionBy {
  /** Why (a rejection's or a suspension's reason), kept on the app with the status. */
  reason?: string | null;
  /** Who set the status (staff or the member who acted); null for an automatic change. */
  setById: string | null;
}

const stateOf = (app: App): AppState => (app.deletedAt ? 'DELETED' : app.status);

/** Triggers whose target status depends on the app's effective grants. */
const GRANT_DRIVEN: ReadonlySet<LifecycleTrigger> = new Set([
  LifecycleTrigger.REQUEST,
  LifecycleTrigger.REJECT,
  LifecycleTrigger.WITHDRAW,
  LifecycleTrigger.UNSUSPEND,
]);

/** The app's effective grants, with this transaction's pending changes flushed first. */
async function currentGrants(em: EntityManager, app: App): Promise<GrantStatus[]> {
  await em.flush();
  return effectiveGrantStatuses(em, app.id);
}

/**
 * Takes the app through `trigger`, if that changes its status: writes the status, the reason
 * and who set it, the audit entry and the transition's event. Refuses an illegal transition.
 * Returns the transition taken, or null when the trigger leaves the status as it is.
 */
async function transition(
  em: EntityManager,
  ctx: Context,
  app: App,
  trigger: LifecycleTrigger,
  by: TransitionBy,
): Promise<Transition | null> {
  const from = stateOf(app);
  const grants = GRANT_DRIVEN.has(trigger) ? await currentGrants(em, app) : [];
  const taken = planTransition(from, trigger, { grants });
  if (!taken || taken.to === 'DELETED' || taken.to === 'NEW') return taken;

  app.status = taken.to;
  app.statusReason = taken.to === AppStatus.ACTIVE ? null : (by.reason ?? null);
  app.statusSetBy = by.setById ? em.getReference(User, by.setById, { wrapped: true }) : null;
  if (taken.audit === 'app.status_change') {
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: taken.audit,
      targetType: 'App',
      targetId: app.id,
      data: { from, to: taken.to, cause: trigger },
    });
  }
  if (taken.event) {
    // Staff take the transitions that announce themselves (suspension and its lifting).
    if (!by.setById) throw new Error(`${taken.event} needs who set the status.`);
    await publish(em, taken.event, {
      subjectId: app.id,
      organizationId: app.organization.id,
      status: app.status,
      setById: by.setById,
    });
  }
  return taken;
}

/**
 * Gives a new app its first status from the requests made with it (the `create` transition):
 * ACTIVE when nothing waits for staff, PENDING otherwise. A new app has no grants but these,
 * so no query is needed. Creation and the demo data both start an app's life here.
 */
export function beginLife(app: App, grants: readonly GrantStatus[]): void {
  const taken = planTransition('NEW', LifecycleTrigger.CREATE, { grants });
  app.status = taken?.to === AppStatus.PENDING ? AppStatus.PENDING : AppStatus.ACTIVE;
}

/** Any member creates an app in their organization, and owns it. */
export async function createApp(ctx: Context, input: CreateAppInput): Promise<App> {
  // Until their developer account application is approved, a user cannot create apps.
  await assertMayCreateApps(ctx);
  const data = await checkNewApp(ctx, input);
  const productIds = input.productIds?.length ? parseProductIds(input.productIds) : [];
  return mappingNameConflict(() =>
    ctx.em.transactional(async (em) => {
      const app = await buildApp(em, ctx, data);
      const requested = productIds.length
        ? await requestGrantsForApp(em, ctx, app, productIds)
        : null;
      beginLife(app, requested?.grants.map((grant) => grant.status) ?? []);
      return app;
    }),
  );
}

/**
 * Deletes an app as a tombstone: it disappears from every list and query, its name can be
 * used again, its pending requests are withdrawn and its grants revoked, every credential
 * stops at once, and what it did (analytics, audit) stays attached to its id.
 */
export async function deleteApp(ctx: Context, input: DeleteAppInput): Promise<string> {
  const viewer = requireViewer(ctx);
  return ctx.em.transactional(async (em) => {
    const app = await loadAppToManage(ctx, em, input.appId, { lock: true });
    const data = parseInput(DeleteAppSchema, input);
    await transition(em, ctx, app, LifecycleTrigger.DELETE, { setById: viewer.user.id });
    app.deletedAt = new Date();
    app.deletedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    app.deleteReason = data.reason;
    await closeGrantsOfDeletedApp(em, ctx, app);
    await revokeCredentialsOfDeletedApp(em, ctx, app);
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: 'app.delete',
      targetType: 'App',
      targetId: app.id,
      data: {
        name: app.name,
        reason: data.reason,
        ownerId: app.owner.id,
        projectId: app.project?.id ?? null,
      },
    });
    await publish(em, 'app.deleted', {
      subjectId: app.id,
      organizationId: app.organization.id,
      deletedById: viewer.user.id,
    });
    return app.id;
  });
}

/** Where a change made by staff came from, kept in its audit entry (a bulk run's id). */
export interface StaffChangeOrigin {
  bulkRunId?: string;
}

/**
 * Suspends `app` (loaded and locked in `em`'s transaction) with `reason`: its status, the audit
 * entry, the event every gateway drops its cache on, and the owner's notice in-app and by mail.
 * For staff's own transaction (a bulk run applies it item by item).
 */
export async function suspendAppIn(
  em: EntityManager,
  ctx: Context,
  app: App,
  reason: string,
  origin: StaffChangeOrigin = {},
): Promise<App> {
  const viewer = requireViewer(ctx);
  const from = app.status;
  await transition(em, ctx, app, LifecycleTrigger.SUSPEND, { reason, setById: viewer.user.id });
  recordAudit(em, ctx, {
    organizationId: app.organization.id,
    action: 'app.suspend',
    targetType: 'App',
    targetId: app.id,
    data: { name: app.name, from, reason, ...origin },
  });
  await notify(em, ctx, { userId: app.owner.id, ...suspendedNotice(app, reason) });
  return app;
}

/** Lifts the suspension of `app` (loaded and locked in `em`'s transaction), telling the owner. */
export async function unsuspendAppIn(
  em: EntityManager,
  ctx: Context,
  app: App,
  reason: string | null = null,
  origin: StaffChangeOrigin = {},
): Promise<App> {
  const viewer = requireViewer(ctx);
  await transition(em, ctx, app, LifecycleTrigger.UNSUSPEND, { setById: viewer.user.id });
  recordAudit(em, ctx, {
    organizationId: app.organization.id,
    action: 'app.unsuspend',
    targetType: 'App',
    targetId: app.id,
    data: { name: app.name, to: app.status, ...(reason ? { reason } : {}), ...origin },
  });
  await notify(em, ctx, { userId: app.owner.id, ...unsuspendedNotice(app) });
  return app;
}

/**
 * Staff suspend a live app: its credentials stop working (every gateway drops what it cached
 * for the organization on the event), and the owner is told in-app and by email.
 */
export async function suspendApp(ctx: Context, input: SuspendAppInput): Promise<App> {
  const data = parseInput(SuspendAppSchema, input);
  return ctx.em.transactional(async (em) => {
    const app = await loadLiveApp(em, data.appId, { lock: true });
    return suspendAppIn(em, ctx, app, data.reason);
  });
}

/**
 * Staff lift a suspension: the app takes the status its effective grants give it (pending,
 * active or rejected), the reason is cleared, and the owner is told.
 */
export async function unsuspendApp(ctx: Context, input: UnsuspendAppInput): Promise<App> {
  const data = parseInput(UnsuspendAppSchema, input);
  return ctx.em.transactional(async (em) => {
    const app = await loadLiveApp(em, data.appId, { lock: true });
    return unsuspendAppIn(em, ctx, app);
  });
}

/**
 * Staff approve or reject every pending request of `app` in `em`'s transaction (a bulk run's
 * item): the same decision, audit, mail and status change as `decideGrants`.
 */
export async function decidePendingGrantsOfAppIn(
  em: EntityManager,
  ctx: Context,
  grantIds: string[],
  approved: boolean,
  reason: string | null,
): Promise<ProductGrant[]> {
  const viewer = requireViewer(ctx);
  return decideGrantsOfApps(
    em,
    ctx,
    {
      grantIds,
      decision: approved ? GrantDecision.APPROVE : GrantDecision.REJECT,
      reason,
    },
    (app, decision) =>
      transition(
        em,
        ctx,
        app,
        decision.approved ? LifecycleTrigger.APPROVE : LifecycleTrigger.REJECT,
        { reason: decision.reason, setById: viewer.user.id },
      ).then(() => undefined),
  );
}

/** The app owner or an organization admin asks for products for a live app. */
export async function requestProducts(
  ctx: Context,
  input: RequestProductsInput,
): Promise<{ app: App; grants: ProductGrant[] }> {
  return mappingLiveConflict(() =>
    ctx.em.transactional(async (em) => {
      const app = await loadAppToManage(ctx, em, input.appId, { lock: true });
      const productIds = parseProductIds(input.productIds);
      const { grants } = await requestGrantsForApp(em, ctx, app, productIds);
      await transition(em, ctx, app, LifecycleTrigger.REQUEST, { setById: null });
      return { app, grants };
    }),
  );
}

/** The app owner or an organization admin takes back a pending request. */
export async function withdrawGrantRequest(
  ctx: Context,
  input: WithdrawGrantRequestInput,
): Promise<{ grant: ProductGrant; app: App }> {
  return ctx.em.transactional(async (em) => {
    const { grant, app } = await withdrawGrant(em, ctx, input.grantId, async (app) => {
      await transition(em, ctx, app, LifecycleTrigger.WITHDRAW, { setById: null });
    });
    return { grant, app };
  });
}

/** Staff approve or reject one or many pending requests, all in one transaction. */
export async function decideGrants(
  ctx: Context,
  input: DecideGrantsInput,
): Promise<ProductGrant[]> {
  const viewer = requireViewer(ctx);
  return ctx.em.transactional((em) =>
    decideGrantsOfApps(em, ctx, input, (app, decision) =>
      transition(
        em,
        ctx,
        app,
        decision.approved ? LifecycleTrigger.APPROVE : LifecycleTrigger.REJECT,
        { reason: decision.reason, setById: viewer.user.id },
      ).then(() => undefined),
    ),
  );
}
