import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireViewer } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { orgTopic, publishEvent } from '../../events/events.service.js';
import { parseInput } from '../../graphql/validation.js';
import { User } from '../accounts/accounts.entity.js';
import { recordAudit } from '../audit/audit.service.js';
import { appPath } from '../grants/grants.mail.js';
import { appStatusFromGrants } from '../grants/grants.service.js';
import { notify, type NotifyInput } from '../notifications/notifications.service.js';
import { App, AppStatus } from './apps.entity.js';
import type { SuspendAppInput, UnsuspendAppInput } from './apps.types.js';
import { SuspendAppSchema, UnsuspendAppSchema } from './apps.validation.js';

export const SUSPENSION_NOTICE_TITLE = 'Application suspension notice';

/** To the app owner, when staff suspend the app. */
export function suspendedNotice(app: App, reason: string): Omit<NotifyInput, 'userId'> {
  return {
    kind: 'app.suspended',
    title: SUSPENSION_NOTICE_TITLE,
    body: [
      `Portal staff suspended your app ${app.name}. Its credentials stop working until the suspension is lifted.`,
      '',
      `Reason: ${reason}`,
      '',
      'Reply to portal staff if you think this is a mistake.',
    ].join('\n'),
    link: appPath(app),
  };
}

/** To the app owner, when staff lift the suspension. */
export function unsuspendedNotice(app: App): Omit<NotifyInput, 'userId'> {
  return {
    kind: 'app.unsuspended',
    title: `${app.name} is no longer suspended`,
    body: `Portal staff lifted the suspension of your app ${app.name}; its status is ${app.status.toLowerCase()} again.`,
    link: appPath(app),
  };
}

/** A live app of any organization, locked for this transaction (staff act across orgs). */
async function lockLiveApp(em: EntityManager, appId: string): Promise<App> {
  const app = await em.findOne(
    App,
    { id: appId, deletedAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!app) throw notFound('App', 'appId');
  return app;
}

async function announce(
  em: EntityManager,
  app: App,
  kind: 'app.suspended' | 'app.unsuspended',
  setById: string,
): Promise<void> {
  await publishEvent(em, {
    topic: orgTopic(app.organization.id),
    kind,
    subjectId: app.id,
    data: { status: app.status, setById },
  });
}

/**
 * Staff suspend a live app: its credentials stop working (every gateway drops what it cached
 * for the organization on the event), and the owner is told in-app and by email.
 */
export async function suspendApp(ctx: Context, input: SuspendAppInput): Promise<App> {
  const viewer = requireViewer(ctx);
  const data = parseInput(SuspendAppSchema, input);
  return ctx.em.transactional(async (em) => {
    const app = await lockLiveApp(em, data.appId);
    if (app.status === AppStatus.SUSPENDED) {
      throw conflict('appId', 'This app is already suspended.');
    }
    const from = app.status;
    app.status = AppStatus.SUSPENDED;
    app.statusReason = data.reason;
    app.statusSetBy = em.getReference(User, viewer.user.id, { wrapped: true });
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: 'app.suspend',
      targetType: 'App',
      targetId: app.id,
      data: { name: app.name, from, reason: data.reason },
    });
    await announce(em, app, 'app.suspended', viewer.user.id);
    await notify(em, ctx, { userId: app.owner.id, ...suspendedNotice(app, data.reason) });
    return app;
  });
}

/**
 * Staff lift a suspension: the app takes the status its grants give it (pending, active or
 * rejected), the reason is cleared, and the owner is told.
 */
export async function unsuspendApp(ctx: Context, input: UnsuspendAppInput): Promise<App> {
  const viewer = requireViewer(ctx);
  const data = parseInput(UnsuspendAppSchema, input);
  return ctx.em.transactional(async (em) => {
    const app = await lockLiveApp(em, data.appId);
    if (app.status !== AppStatus.SUSPENDED) {
      throw conflict('appId', 'This app is not suspended.');
    }
    const to = await appStatusFromGrants(em, app.id);
    app.status = to;
    app.statusReason = null;
    app.statusSetBy = em.getReference(User, viewer.user.id, { wrapped: true });
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: 'app.unsuspend',
      targetType: 'App',
      targetId: app.id,
      data: { name: app.name, to },
    });
    await announce(em, app, 'app.unsuspended', viewer.user.id);
    await notify(em, ctx, { userId: app.owner.id, ...unsuspendedNotice(app) });
    return app;
  });
}
