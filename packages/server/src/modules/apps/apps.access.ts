import { referencedId } from '../../db/rows.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction, roleAllows } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { forbidden, hidingAsNotFound, notFound } from '../../errors.js';
import { App } from './apps.entity.js';
import { orgLoaders } from '../orgs/orgs.loaders.js';
import { andThen } from '../../loaders.js';

export interface LoadAppOptions {
  /** Lock the row for the rest of the transaction (`select … for update`), re-reading it. */
  lock?: boolean;
  /** The input field a NOT_FOUND names (default `appId`). */
  field?: string;
  /** What a NOT_FOUND calls the missing thing (default `App`; e.g. `Grant` when found through one). */
  what?: string;
}

/** A live (not deleted) app of any organization, NOT_FOUND otherwise. No access check. */
export async function loadLiveApp(
  em: EntityManager,
  appId: string,
  options: LoadAppOptions = {},
): Promise<App> {
  const app = await em.findOne(
    App,
    { id: appId, deletedAt: null },
    options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {},
  );
  if (!app) throw notFound(options.what ?? 'App', options.field ?? 'appId');
  return app;
}

/**
 * The live app the viewer may manage (its owner, or an admin of its organization),
 * optionally locked. An app of an organization the viewer cannot see is NOT_FOUND; a member
 * who may only read it is FORBIDDEN.
 */
export async function loadAppToManage(
  ctx: Context,
  em: EntityManager,
  appId: string,
  options: LoadAppOptions = {},
): Promise<App> {
  const app = await loadLiveApp(em, appId, options);
  await hidingAsNotFound(options.what ?? 'App', options.field ?? 'appId', () =>
    assertCanManageApp(ctx, app),
  );
  return app;
}

/** The app's owner and the organization's admins manage an app; everyone else only reads it. */
export async function assertCanManageApp(ctx: Context, app: App): Promise<void> {
  const viewer = requireViewer(ctx);
  const membership = await assertOrgAction(ctx, app.organization.id, 'app:read');
  if (membership && mayManage(membership.role, app, viewer.user.id)) return;
  throw forbidden('Only the app owner or an organization admin can change this app.');
}

/** Whether the viewer may change the app (for `App.viewerCanManage`); never throws. */
export function viewerCanManageApp(ctx: Context, app: App): boolean | Promise<boolean> {
  if (!ctx.viewer) return false;
  const userId = ctx.viewer.user.id;
  return andThen(
    orgLoaders(ctx).viewerMembershipByOrg.get(referencedId(app, 'organization')!),
    (membership) => membership !== null && mayManage(membership.role, app, userId),
  );
}

function mayManage(role: Parameters<typeof roleAllows>[0], app: App, userId: string): boolean {
  return referencedId(app, 'owner') === userId || roleAllows(role, 'app:manage-any');
}
