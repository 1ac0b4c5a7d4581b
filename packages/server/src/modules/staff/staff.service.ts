import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { badInput, notFound } from '../../errors.js';
import { paginate, type Connection, type PageArgs } from '../../graphql/connection.js';
import { parseInput } from '../../graphql/validation.js';
import { requireStaff } from './staff.access.js';
import { AppCriteriaSchema, OrgCriteriaSchema } from './staff.criteria.js';
import { BulkRun, BulkRunItem, type BulkItemPlan, type BulkItemState } from './staff.entity.js';
import {
  assertPageSize,
  findApps,
  findOrganizations,
  type AppSort,
  type InventoryApp,
  type InventoryOrg,
  type InventoryPage,
  type OrgSort,
} from './staff.inventory.js';

export interface InventoryConnection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

const connectionOf = <T>(page: InventoryPage<T>): InventoryConnection<T> => ({
  nodes: page.nodes,
  pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  totalCount: page.totalCount,
});

/** The apps of every organization matching the filter, sorted and paged (staff). */
export async function listApps(
  ctx: Context,
  filter: unknown,
  sort: AppSort,
  page: PageArgs,
): Promise<InventoryConnection<InventoryApp>> {
  requireStaff(ctx);
  assertPageSize(page.first);
  const criteria = parseInput(AppCriteriaSchema, filter ?? {});
  return connectionOf(
    await findApps(ctx.em, criteria, { sort, first: page.first, after: page.after }),
  );
}

/** The organizations matching the filter, with counts and plans, sorted and paged (staff). */
export async function listOrganizations(
  ctx: Context,
  filter: unknown,
  sort: OrgSort,
  page: PageArgs,
): Promise<InventoryConnection<InventoryOrg>> {
  requireStaff(ctx);
  assertPageSize(page.first);
  const criteria = parseInput(OrgCriteriaSchema, filter ?? {});
  return connectionOf(
    await findOrganizations(ctx.em, criteria, { sort, first: page.first, after: page.after }),
  );
}

/** One organization as the inventory shows it, or NOT_FOUND. */
export async function organizationForStaff(ctx: Context, id: string): Promise<InventoryOrg> {
  requireStaff(ctx);
  const page = await findOrganizations(
    ctx.em,
    { ids: [id] },
    { sort: { key: 'CREATED_AT', direction: 'DESC' }, first: 1, withTotal: false },
  );
  const org = page.nodes[0];
  if (!org) throw notFound('Organization', 'id');
  return org;
}

/** One app as the inventory shows it, or NOT_FOUND (deleted apps included: not). */
export async function appForStaff(ctx: Context, id: string): Promise<InventoryApp> {
  requireStaff(ctx);
  const page = await findApps(
    ctx.em,
    { ids: [id] },
    { sort: { key: 'CREATED_AT', direction: 'DESC' }, first: 1, withTotal: false },
  );
  const app = page.nodes[0];
  if (!app) throw notFound('App', 'id');
  return app;
}

/** Every bulk run, newest first. */
export async function listBulkRuns(ctx: Context, page: PageArgs): Promise<Connection<BulkRun>> {
  requireStaff(ctx);
  return paginate(ctx.em, BulkRun, {}, page, 'desc');
}

export async function findBulkRun(ctx: Context, id: string): Promise<BulkRun | null> {
  requireStaff(ctx);
  return ctx.em.findOne(BulkRun, { id });
}

/** A run's items in plan order, optionally only changes or skips, or one state. */
export async function bulkRunItems(
  ctx: Context,
  run: BulkRun,
  args: {
    first: number;
    after?: string | null;
    plan?: BulkItemPlan | null;
    state?: BulkItemState | null;
  },
): Promise<InventoryConnection<BulkRunItem>> {
  requireStaff(ctx);
  assertPageSize(args.first, 500);
  let position = -1;
  if (args.after) {
    position = Number(args.after);
    if (!Number.isInteger(position) || position < 0) {
      throw badInput('after', 'The cursor is not valid.');
    }
  }
  const where: FilterQuery<BulkRunItem> = {
    run: run.id,
    ...(args.plan ? { plan: args.plan } : {}),
    ...(args.state ? { state: args.state } : {}),
  };
  const [rows, totalCount] = await Promise.all([
    ctx.em.find(
      BulkRunItem,
      { ...where, position: { $gt: position } },
      { orderBy: { position: 'asc' }, limit: args.first + 1 },
    ),
    ctx.em.count(BulkRunItem, where),
  ]);
  const nodes = rows.slice(0, args.first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > args.first,
      endCursor: last ? String(last.position) : null,
    },
    totalCount,
  };
}
