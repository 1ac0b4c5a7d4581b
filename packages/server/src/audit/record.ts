import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context.js';
import { AuditEntry, type AuditSubject } from './audit.entity.js';

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
      ? em.getReference<AuditSubject>('Organization', input.organizationId, { wrapped: true })
      : null,
    actor: actorId ? em.getReference<AuditSubject>('User', actorId, { wrapped: true }) : null,
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
