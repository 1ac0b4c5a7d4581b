import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../audit/record.js';
import type { Context } from '../../context.js';
import { User } from '../accounts/accounts.entity.js';
import type { MemberDeparture } from '../orgs/members.service.js';
import { projectStillHoldsApps, type ProjectDeletion } from '../projects/projects.service.js';
import { App } from './apps.entity.js';

/**
 * When a member leaves (or is removed), the live apps they own in the organization move to
 * the heir (an admin), each move audited. Runs in the departure's transaction.
 */
export async function transferOwnedApps(
  em: EntityManager,
  ctx: Context,
  departure: MemberDeparture,
): Promise<void> {
  const { organizationId, userId, heirId, reason } = departure;
  const apps = await em.find(
    App,
    { organization: organizationId, owner: userId, deletedAt: null },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const newOwner = em.getReference(User, heirId, { wrapped: true });
  for (const app of apps) {
    app.owner = newOwner;
    recordAudit(em, ctx, {
      organizationId,
      action: 'app.transfer_ownership',
      targetType: 'App',
      targetId: app.id,
      data: { from: userId, to: heirId, appName: app.name, reason },
    });
  }
}

/**
 * A project is deleted only once it holds no live app; deleted apps (tombstones) in it become
 * standalone. Runs in the deletion's transaction.
 */
export async function releaseDeletedProject(
  em: EntityManager,
  _ctx: Context,
  deletion: ProjectDeletion,
): Promise<{ detachedApps: number }> {
  if (await em.count(App, { project: deletion.projectId, deletedAt: null })) {
    throw projectStillHoldsApps();
  }
  const detachedApps = await em.nativeUpdate(
    App,
    { project: deletion.projectId, deletedAt: { $ne: null } },
    { project: null },
  );
  return { detachedApps };
}
