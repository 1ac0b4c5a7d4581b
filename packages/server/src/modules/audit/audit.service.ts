import type { EntityManager } from '@mikro-orm/postgresql';
import { assertOrgAction, requireViewer } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { paginate, type Connection } from '../../graphql/connection.js';
import { PlatformRole, User } from '../accounts/accounts.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { AuditEntry } from './audit.entity.js';
import type { AuditLogArgs } from './audit.types.js';

export interface AuditInput {
  organizationId: string | null;
  /** Defaults to the viewer. */
  actorId?: string | null;
  action: string;
  targetType: string;
  targetId: string;
  /** Never a secret. */
  data?: Record<string, unknown>;
}

/** Adds an audit entry to the unit of work of `em`: it commits with the change it records. */
export function recordAudit(em: EntityManager, ctx: Context, input: AuditInput): AuditEntry {
  const actorId = input.actorId === undefined ? (ctx.viewer?.user.id ?? null) : input.actorId;
  const entry = new AuditEntry({
    organization: input.organizationId
      ? em.getReference(Organization, input.organizationId, { wrapped: true })
      : null,
    actor: actorId ? em.getReference(User, actorId, { wrapped: true }) : null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    data: input.data ?? {},
    ip: ctx.request.ip,
    userAgent: ctx.request.userAgent,
  });
  em.persist(entry);
  return entry;
}

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
