import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { AuditEntry } from '../../audit/audit.entity.js';
import type { Context } from '../../context.js';
import { paginate, type Connection, type PageArgs } from '../../graphql/connection.js';
import { parseInput } from '../../graphql/validation.js';
import { requireStaff } from './staff.access.js';

/** The staff audit log search: every entry of the portal, by who, where, what and when. */

const id = z.string().trim().min(1).max(100);
const date = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'Give a valid date.');

export const AuditCriteriaSchema = z
  .object({
    actorId: id.nullish(),
    organizationId: id.nullish(),
    /** Entries about the app: targeting it, or naming it in their data (credentials, grants). */
    appId: id.nullish(),
    /** An action (`app.suspend`), or a prefix ending in a dot (`app.`, `bulk_run.`). */
    action: z.string().trim().max(100).nullish(),
    from: date.nullish(),
    to: date.nullish(),
  })
  .strict();
export type AuditCriteria = z.infer<typeof AuditCriteriaSchema>;

export function auditWhere(criteria: AuditCriteria): FilterQuery<AuditEntry> {
  const and: FilterQuery<AuditEntry>[] = [];
  if (criteria.actorId) and.push({ actor: criteria.actorId });
  if (criteria.organizationId) and.push({ organization: criteria.organizationId });
  if (criteria.appId) {
    and.push({ $or: [{ targetId: criteria.appId }, { data: { appId: criteria.appId } }] });
  }
  if (criteria.action) {
    and.push(
      criteria.action.endsWith('.')
        ? { action: { $like: `${criteria.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } }
        : { action: criteria.action },
    );
  }
  if (criteria.from) and.push({ createdAt: { $gte: criteria.from } });
  if (criteria.to) and.push({ createdAt: { $lt: criteria.to } });
  return and.length ? { $and: and } : {};
}

/** One page of entries matching the criteria, newest first. */
export async function searchAuditLog(
  ctx: Context,
  input: unknown,
  page: PageArgs,
): Promise<Connection<AuditEntry>> {
  requireStaff(ctx);
  const criteria = parseInput(AuditCriteriaSchema, input ?? {});
  return paginate(ctx.em, AuditEntry, auditWhere(criteria), page, 'desc');
}

/** Every entry matching the criteria, newest first, in batches (exports). */
export async function* eachAuditEntry(
  em: EntityManager,
  criteria: AuditCriteria,
  batchSize = 1000,
): AsyncGenerator<AuditEntry[]> {
  const where = auditWhere(criteria);
  let cursor: { at: Date; id: string } | null = null;
  for (;;) {
    const filter: FilterQuery<AuditEntry> = cursor
      ? {
          $and: [
            where,
            {
              $or: [
                { createdAt: { $lt: cursor.at } },
                { createdAt: cursor.at, id: { $lt: cursor.id } },
              ],
            },
          ],
        }
      : where;
    const rows: AuditEntry[] = await em.find(AuditEntry, filter, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: batchSize,
    });
    if (rows.length) yield rows;
    const last: AuditEntry | undefined = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    cursor = { at: last.createdAt, id: last.id };
    em.clear();
  }
}
