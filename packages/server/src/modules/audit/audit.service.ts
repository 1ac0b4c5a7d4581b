import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { paginate, type Connection } from '../../graphql/connection.js';
import { PlatformRole } from '../../auth/roles.js';
import { AuditEntry } from '../../audit/audit.entity.js';
import type { AuditLogArgs } from './audit.types.js';

/** The organization's audit log, newest first: for its admins and for staff. */
export async function listAuditLog(
  ctx: Context,
  args: AuditLogArgs,
): Promise<Connection<AuditEntry>> {
  await assertOrgAction(ctx, args.organizationId, 'audit:read');
  const action = args.action?.trim();
  return paginate(
    ctx.em,
    AuditEntry,
    { organization: args.organizationId, ...(action ? { action } : {}) },
    args,
    'desc',
  );
}

/** Whether the viewer may read this entry: staff always, org admins for their org's entries. */
export async function canReadAuditEntry(ctx: Context, entry: AuditEntry): Promise<boolean> {
  const viewer = requireViewer(ctx);
  if (viewer.user.platformRole === PlatformRole.STAFF) return true;
  if (!entry.organization) return false;
  await assertOrgAction(ctx, entry.organization.id, 'audit:read');
  return true;
}
