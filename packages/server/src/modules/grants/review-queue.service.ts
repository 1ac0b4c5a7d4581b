import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { badInput } from '../../errors.js';
import type { Connection } from '../../graphql/connection.js';
import { DeveloperApplication } from '../applications/applications.entity.js';
import { ProductGrant } from './grants.entity.js';
import {
  ApplicationReviewItem,
  GrantReviewItem,
  ReviewItemKind,
  type ReviewItem,
  type ReviewQueueArgs,
} from './grants.types.js';

interface QueueRow {
  kind: ReviewItemKind;
  id: string;
  created_at: Date | string;
}

interface Cursor {
  at: Date;
  id: string;
}

function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(at));
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw badInput('after', 'The cursor is not valid.');
  }
}

/**
 * One SQL source per kind of item: pending grants of live apps, and developer applications
 * that wait for staff (PENDING, or QUESTION: asked and not yet closed).
 */
function sources(args: ReviewQueueArgs): { sql: string; params: unknown[] }[] {
  const filter = args.filter ?? {};
  const out: { sql: string; params: unknown[] }[] = [];
  if (!filter.kind || filter.kind === ReviewItemKind.GRANT) {
    const params: unknown[] = [];
    let sql = `select 'GRANT' as kind, g.id, g.created_at from product_grant g
      join app a on a.id = g.app_id
      where g.status = 'PENDING' and a.deleted_at is null`;
    if (filter.productId) {
      sql += ' and g.product_id = ?';
      params.push(filter.productId);
    }
    if (filter.organizationId) {
      sql += ' and g.organization_id = ?';
      params.push(filter.organizationId);
    }
    out.push({ sql, params });
  }
  const grantOnly = Boolean(filter.productId || filter.organizationId);
  if ((!filter.kind || filter.kind === ReviewItemKind.APPLICATION) && !grantOnly) {
    out.push({
      sql: `select 'APPLICATION' as kind, d.id, d.created_at from developer_application d
        where d.status in ('PENDING', 'QUESTION')`,
      params: [],
    });
  }
  return out;
}

/** Staff's review queue, oldest first: pending product requests and developer applications. */
export async function reviewQueue(
  ctx: Context,
  args: ReviewQueueArgs,
): Promise<Connection<ReviewItem>> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > 100) {
    throw badInput('first', 'Ask for between 1 and 100 items.');
  }
  const parts = sources(args);
  if (!parts.length)
    return {
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, endCursor: null },
      totalCount: 0,
    };
  const union = parts.map((part) => part.sql).join('\nunion all\n');
  const unionParams = parts.flatMap((part) => part.params);
  const cursor = args.after ? decodeCursor(args.after) : null;
  const conn = ctx.em.getConnection();
  const [rows, counted] = await Promise.all([
    conn.execute<QueueRow[]>(
      `select kind, id, created_at from (${union}) q
        ${cursor ? 'where (q.created_at, q.id) > (?, ?)' : ''}
        order by q.created_at asc, q.id asc limit ?`,
      [...unionParams, ...(cursor ? [cursor.at, cursor.id] : []), args.first + 1],
    ),
    conn.execute<{ count: string | number }[]>(
      `select count(*) as count from (${union}) q`,
      unionParams,
    ),
  ]);
  const page = rows.slice(0, args.first);
  const items = await loadItems(ctx.em, page);
  const last = items[items.length - 1];
  return {
    edges: items.map((node) => ({ cursor: encodeCursor(node), node })),
    nodes: items,
    pageInfo: {
      hasNextPage: rows.length > args.first,
      endCursor: last ? encodeCursor(last) : null,
    },
    totalCount: Number(counted[0]?.count ?? 0),
  };
}

/** The grants and applications of a page, in the page's order (two statements at most). */
async function loadItems(em: EntityManager, rows: QueueRow[]): Promise<ReviewItem[]> {
  const grantIds = rows.filter((row) => row.kind === ReviewItemKind.GRANT).map((row) => row.id);
  const applicationIds = rows
    .filter((row) => row.kind === ReviewItemKind.APPLICATION)
    .map((row) => row.id);
  const [grants, applications] = await Promise.all([
    grantIds.length ? em.find(ProductGrant, { id: { $in: grantIds } }) : [],
    applicationIds.length ? em.find(DeveloperApplication, { id: { $in: applicationIds } }) : [],
  ]);
  const now = Date.now();
  const items: ReviewItem[] = [];
  for (const row of rows) {
    if (row.kind === ReviewItemKind.GRANT) {
      const grant = grants.find((g) => g.id === row.id);
      if (grant) items.push(grantItem(grant, now));
    } else {
      const application = applications.find((a) => a.id === row.id);
      if (application) items.push(applicationItem(application, now));
    }
  }
  return items;
}

function ageOf(createdAt: Date, now: number): number {
  return Math.max(0, Math.floor((now - createdAt.getTime()) / 1000));
}

export function grantItem(grant: ProductGrant, now = Date.now()): GrantReviewItem {
  return Object.assign(new GrantReviewItem(), {
    id: grant.id,
    kind: ReviewItemKind.GRANT,
    createdAt: grant.createdAt,
    ageSeconds: ageOf(grant.createdAt, now),
    grant,
  });
}

export function applicationItem(
  application: DeveloperApplication,
  now = Date.now(),
): ApplicationReviewItem {
  return Object.assign(new ApplicationReviewItem(), {
    id: application.id,
    kind: ReviewItemKind.APPLICATION,
    createdAt: application.createdAt,
    ageSeconds: ageOf(application.createdAt, now),
    application,
  });
}
