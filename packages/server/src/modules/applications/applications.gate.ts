import { requireViewer } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { forbidden } from '../../errors.js';
import { PlatformRole } from '../../auth/roles.js';
import { type User } from '../accounts/accounts.entity.js';
import { ApplicationStatus, type DeveloperApplication } from './applications.entity.js';
import { applicationLoaders } from './applications.loaders.js';

/** Why a user without an approved application may not create apps yet, by their latest status. */
function notYetMessage(latest: DeveloperApplication | null): string {
  switch (latest?.status) {
    case ApplicationStatus.PENDING:
      return 'Your developer account application is under review: you can create apps once it is approved.';
    case ApplicationStatus.QUESTION:
      return 'Staff asked a question about your developer account application: answer it, and you can create apps once it is approved.';
    case ApplicationStatus.REJECTED:
    case ApplicationStatus.CLOSED:
      return 'Your developer account application was not approved: apply again to create apps.';
    default:
      return 'Apply for a developer account first: you can create apps once your application is approved.';
  }
}

/** Staff, and users whose developer account application was approved, may create apps. */
export async function canCreateApps(ctx: Context, user: User): Promise<boolean> {
  if (user.platformRole === PlatformRole.STAFF) return true;
  const latest = await applicationLoaders(ctx).latestApplicationByUser.load(user.id);
  return latest?.status === ApplicationStatus.APPROVED;
}

/** Refuses (FORBIDDEN, saying why and what to do) a viewer who may not create apps yet. */
export async function assertMayCreateApps(ctx: Context): Promise<void> {
  const viewer = requireViewer(ctx);
  if (viewer.user.platformRole === PlatformRole.STAFF) return;
  const latest = await applicationLoaders(ctx).latestApplicationByUser.load(viewer.user.id);
  if (latest?.status !== ApplicationStatus.APPROVED) throw forbidden(notYetMessage(latest));
}
