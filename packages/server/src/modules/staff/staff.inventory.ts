import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../errors.js';
import type { AppStatus } from '../apps/apps.entity.js';
import type { OrganizationKind } from '../orgs/orgs.entity.js';
import type { AppCriteria, OrgCriteria } from './staff.criteria.js';

/*
 * The staff inventory in SQL: the apps and organizations of every tenant, filtered by the
 * criteria of `staff.criteria.ts`, sorted, and paged with a keyset cursor (so exports walk the
 * whole table in batches with flat memory). Columns and conditions are declared once here; the
 * pages, bulk runs, exports and reports all read them. Usage columns (requests this month,
 * error rate, % of cap) join in here once usage analytics exist.
 */

const DAY_MS = 86_400_000;

export type SortDirection = 'ASC' | 'DESC';
export type AppSortKey = 'CREATED_AT' | 'NAME' | 'LAST_VERIFIED_AT';
export type OrgSortKey = 'CREATED_AT' | 'NAME' | 'APP_COUNT' | 'MEMBER_COUNT';

export interface AppSort {
  key: AppSortKey;
  direction: SortDirection;
}

export interface OrgSort {
  key: OrgSortKey;
  direction: SortDirection;
}

export interface InventoryProduct {
  productId: string;
  productName: string;
  status: string;
}

/** One app of the inventory: what staff see in the list and what exports carry. Never a secret. */
export interface InventoryApp {
  id: string;
  name: string;
  status: AppStatus;
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastVerifiedAt: Date | null;
  organizationId: string;
  organizationName: string;
  organizationVerified: boolean;
  projectId: string | null;
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  products: InventoryProduct[];
}

export interface InventoryPlan {
  productId: string;
  productName: string;
  planId: string;
  planName: string;
}

export interface InventoryOrg {
  id: string;
  name: string;
  slug: string;
  kind: OrganizationKind;
  verifiedAt: Date | null;
  createdAt: Date;
  memberCount: number;
  appCount: number;
  plans: InventoryPlan[];
}

export interface InventoryPage<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
}

/** SQL conditions with their parameters, in order. */
class Conditions {
  readonly sql: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...params: unknown[]): void {
    this.sql.push(sql);
    this.params.push(...params);
  }

  where(): string {
    return this.sql.length ? `where ${this.sql.join(' and ')}` : '';
  }
}

const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The last verified request of app `a`: the latest last-used time of its credentials. */
const LAST_VERIFIED = `(select max(c.last_used_at) from credential c where c.app_id = a.id)`;

/** The conditions `criteria` set on app `a` (with its organization `o` and owner `u`). */
function appConditions(criteria: AppCriteria, now: Date): Conditions {
  const where = new Conditions();
  where.add('a.deleted_at is null');
  if (criteria.ids) where.add('a.id = any(array[?]::text[])', criteria.ids);
  if (criteria.organizationId) where.add('a.organization_id = ?', criteria.organizationId);
  if (criteria.productId) {
    where.add(
      `exists (select 1 from product_grant g where g.app_id = a.id and g.product_id = ? and g.status <> 'WITHDRAWN')`,
      criteria.productId,
    );
  }
  if (criteria.statuses?.length)
    where.add('a.status::text = any(array[?]::text[])', criteria.statuses);
  if (criteria.ownerId) where.add('a.owner_id = ?', criteria.ownerId);
  if (criteria.owner) {
    const pattern = likePattern(criteria.owner);
    where.add('(u.email ilike ? or u.name ilike ?)', pattern, pattern);
  }
  if (criteria.search) where.add('a.name ilike ?', likePattern(criteria.search));
  if (criteria.createdAfter) where.add('a.created_at >= ?', criteria.createdAfter);
  if (criteria.createdBefore) where.add('a.created_at < ?', criteria.createdBefore);
  if (criteria.lastVerifiedAfter) where.add(`${LAST_VERIFIED} >= ?`, criteria.lastVerifiedAfter);
  if (criteria.lastVerifiedBefore) {
    where.add(`${LAST_VERIFIED} < ?`, criteria.lastVerifiedBefore);
  }
  if (criteria.inactiveDays) {
    // Inactive: no verified request since the cut-off, and not created since it either.
    const cutoff = new Date(now.getTime() - criteria.inactiveDays * DAY_MS);
    where.add(`coalesce(${LAST_VERIFIED}, a.created_at) < ?`, cutoff);
  }
  return where;
}

const APP_SORT_SQL: Record<AppSortKey, { expr: string; cast: string }> = {
  CREATED_AT: { expr: 'a.created_at', cast: 'timestamptz' },
  NAME: { expr: 'lower(a.name)', cast: 'text' },
  LAST_VERIFIED_AT: {
    expr: `coalesce(${LAST_VERIFIED}, '-infinity'::timestamptz)`,
    cast: 'timestamptz',
  },
};

const ORG_SORT_SQL: Record<OrgSortKey, { expr: string; cast: string }> = {
  CREATED_AT: { expr: 'o.created_at', cast: 'timestamptz' },
  NAME: { expr: 'lower(o.name)', cast: 'text' },
  APP_COUNT: { expr: 'app_count', cast: 'int' },
  MEMBER_COUNT: { expr: 'member_count', cast: 'int' },
};

function encodeCursor(sortValue: string, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // answered below
  }
  throw badInput('after', 'The cursor is not valid.');
}

export function assertPageSize(first: number, max = 100): void {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw badInput('first', `Ask for between 1 and ${max} items.`);
  }
}

/** The keyset condition for the page after `after` under `sort`. */
function afterCondition(
  where: Conditions,
  sort: { expr: string; cast: string },
  direction: SortDirection,
  idColumn: string,
  after: string | null | undefined,
): void {
  if (!after) return;
  const [value, id] = decodeCursor(after);
  const op = direction === 'ASC' ? '>' : '<';
  where.add(`(${sort.expr}, ${idColumn}) ${op} (?::${sort.cast}, ?)`, value, id);
}

interface AppRow {
  id: string;
  name: string;
  status: AppStatus;
  status_reason: string | null;
  created_at: Date;
  updated_at: Date;
  last_verified_at: Date | null;
  organization_id: string;
  organization_name: string;
  organization_verified_at: Date | null;
  project_id: string | null;
  owner_id: string;
  owner_name: string;
  owner_email: string;
  sort_value: string;
}

const APP_FROM = `from app a join organization o on o.id = a.organization_id join users u on u.id = a.owner_id`;

/** The grants of each app (any status but withdrawn), by product name. */
async function productsOfApps(
  em: EntityManager,
  appIds: string[],
): Promise<Map<string, InventoryProduct[]>> {
  const byApp = new Map<string, InventoryProduct[]>();
  if (!appIds.length) return byApp;
  const rows = await em.execute<
    { app_id: string; product_id: string; product_name: string; status: string }[]
  >(
    `select g.app_id, p.id as product_id, p.name as product_name, g.status::text as status
       from product_grant g join api_product p on p.id = g.product_id
      where g.app_id = any(array[?]::text[]) and g.status <> 'WITHDRAWN'
      order by p.name, g.created_at`,
    [appIds],
  );
  for (const row of rows) {
    const list = byApp.get(row.app_id) ?? [];
    list.push({ productId: row.product_id, productName: row.product_name, status: row.status });
    byApp.set(row.app_id, list);
  }
  return byApp;
}

/** One page of apps matching `criteria`, sorted, after the cursor; with the total when asked. */
export async function findApps(
  em: EntityManager,
  criteria: AppCriteria,
  options: {
    sort: AppSort;
    first: number;
    after?: string | null;
    withTotal?: boolean;
    now?: Date;
  },
): Promise<InventoryPage<InventoryApp>> {
  const now = options.now ?? new Date();
  const sort = APP_SORT_SQL[options.sort.key];
  const direction = options.sort.direction;
  const where = appConditions(criteria, now);
  const countWhere = appConditions(criteria, now);
  afterCondition(where, sort, direction, 'a.id', options.after);
  const dir = direction === 'ASC' ? 'asc' : 'desc';
  const rows = await em.execute<AppRow[]>(
    `select a.id, a.name, a.status::text as status, a.status_reason, a.created_at, a.updated_at,
            ${LAST_VERIFIED} as last_verified_at,
            a.organization_id, o.name as organization_name, o.verified_at as organization_verified_at,
            a.project_id, a.owner_id, u.name as owner_name, u.email as owner_email,
            (${sort.expr})::text as sort_value
       ${APP_FROM} ${where.where()}
      order by ${sort.expr} ${dir}, a.id ${dir}
      limit ?`,
    [...where.params, options.first + 1],
  );
  const page = rows.slice(0, options.first);
  const products = await productsOfApps(
    em,
    page.map((row) => row.id),
  );
  const nodes = page.map((row): InventoryApp => ({
    id: row.id,
    name: row.name,
    status: row.status,
    statusReason: row.status_reason,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    lastVerifiedAt: row.last_verified_at ? new Date(row.last_verified_at) : null,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    organizationVerified: row.organization_verified_at !== null,
    projectId: row.project_id,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    ownerEmail: row.owner_email,
    products: products.get(row.id) ?? [],
  }));
  const last = page[page.length - 1];
  let totalCount = -1;
  if (options.withTotal !== false) {
    const [count] = await em.execute<{ n: number }[]>(
      `select count(*)::int as n ${APP_FROM} ${countWhere.where()}`,
      countWhere.params,
    );
    totalCount = count?.n ?? 0;
  }
  return {
    nodes,
    endCursor: last ? encodeCursor(last.sort_value, last.id) : null,
    hasNextPage: rows.length > options.first,
    totalCount,
  };
}

/** Every app matching `criteria`, in batches (for bulk plans and exports): memory stays flat. */
export async function* eachApp(
  em: EntityManager,
  criteria: AppCriteria,
  batchSize = 500,
  now: Date = new Date(),
): AsyncGenerator<InventoryApp[]> {
  let after: string | null = null;
  for (;;) {
    const page: InventoryPage<InventoryApp> = await findApps(em, criteria, {
      sort: { key: 'CREATED_AT', direction: 'ASC' },
      first: batchSize,
      after,
      withTotal: false,
      now,
    });
    if (page.nodes.length) yield page.nodes;
    if (!page.hasNextPage) return;
    after = page.endCursor;
  }
}

function orgConditions(criteria: OrgCriteria): Conditions {
  const where = new Conditions();
  if (criteria.ids) where.add('o.id = any(array[?]::text[])', criteria.ids);
  if (criteria.search) {
    const pattern = likePattern(criteria.search);
    where.add('(o.name ilike ? or o.slug ilike ?)', pattern, pattern);
  }
  if (criteria.verified === true) where.add('o.verified_at is not null');
  if (criteria.verified === false) where.add('o.verified_at is null');
  if (criteria.kind) where.add('o.kind::text = ?', criteria.kind);
  if (criteria.productId || criteria.planId) {
    const parts = ['s.organization_id = o.id'];
    const params: unknown[] = [];
    if (criteria.productId) {
      parts.push('s.product_id = ?');
      params.push(criteria.productId);
    }
    if (criteria.planId) {
      parts.push('s.plan_id = ?');
      params.push(criteria.planId);
    }
    where.add(`exists (select 1 from plan_subscription s where ${parts.join(' and ')})`, ...params);
  }
  if (criteria.createdAfter) where.add('o.created_at >= ?', criteria.createdAfter);
  if (criteria.createdBefore) where.add('o.created_at < ?', criteria.createdBefore);
  return where;
}

interface OrgRow {
  id: string;
  name: string;
  slug: string;
  kind: OrganizationKind;
  verified_at: Date | null;
  created_at: Date;
  member_count: number;
  app_count: number;
  sort_value: string;
}

async function plansOfOrgs(
  em: EntityManager,
  orgIds: string[],
): Promise<Map<string, InventoryPlan[]>> {
  const byOrg = new Map<string, InventoryPlan[]>();
  if (!orgIds.length) return byOrg;
  const rows = await em.execute<
    {
      organization_id: string;
      product_id: string;
      product_name: string;
      plan_id: string;
      plan_name: string;
    }[]
  >(
    `select s.organization_id, p.id as product_id, p.name as product_name, pl.id as plan_id, pl.name as plan_name
       from plan_subscription s
       join api_product p on p.id = s.product_id
       join plan pl on pl.id = s.plan_id
      where s.organization_id = any(array[?]::text[])
      order by p.name`,
    [orgIds],
  );
  for (const row of rows) {
    const list = byOrg.get(row.organization_id) ?? [];
    list.push({
      productId: row.product_id,
      productName: row.product_name,
      planId: row.plan_id,
      planName: row.plan_name,
    });
    byOrg.set(row.organization_id, list);
  }
  return byOrg;
}

/** One page of organizations matching `criteria`, with member and app counts and plans. */
export async function findOrganizations(
  em: EntityManager,
  criteria: OrgCriteria,
  options: { sort: OrgSort; first: number; after?: string | null; withTotal?: boolean },
): Promise<InventoryPage<InventoryOrg>> {
  const sort = ORG_SORT_SQL[options.sort.key];
  const direction = options.sort.direction;
  const where = orgConditions(criteria);
  const keyset = new Conditions();
  afterCondition(keyset, sort, direction, 'o.id', options.after);
  const dir = direction === 'ASC' ? 'asc' : 'desc';
  // The counts are columns of a derived table, so sorting and the keyset can name them.
  const rows = await em.execute<OrgRow[]>(
    `select * from (
       select o.id, o.name, o.slug, o.kind::text as kind, o.verified_at, o.created_at,
              (select count(*)::int from membership m where m.organization_id = o.id) as member_count,
              (select count(*)::int from app x where x.organization_id = o.id and x.deleted_at is null) as app_count
         from organization o ${where.where()}
     ) o ${keyset.where()}
     order by ${sort.expr} ${dir}, o.id ${dir}
     limit ?`,
    [...where.params, ...keyset.params, options.first + 1],
  );
  const page = rows.slice(0, options.first);
  const plans = await plansOfOrgs(
    em,
    page.map((row) => row.id),
  );
  const sortValueOf = (row: OrgRow): string => {
    switch (options.sort.key) {
      case 'CREATED_AT':
        return new Date(row.created_at).toISOString();
      case 'NAME':
        return row.name.toLowerCase();
      case 'APP_COUNT':
        return String(row.app_count);
      case 'MEMBER_COUNT':
        return String(row.member_count);
    }
  };
  const nodes = page.map((row): InventoryOrg => ({
    id: row.id,
    name: row.name,
    slug: row.slug,
    kind: row.kind,
    verifiedAt: row.verified_at ? new Date(row.verified_at) : null,
    createdAt: new Date(row.created_at),
    memberCount: row.member_count,
    appCount: row.app_count,
    plans: plans.get(row.id) ?? [],
  }));
  const last = page[page.length - 1];
  let totalCount = -1;
  if (options.withTotal !== false) {
    const [count] = await em.execute<{ n: number }[]>(
      `select count(*)::int as n from organization o ${where.where()}`,
      where.params,
    );
    totalCount = count?.n ?? 0;
  }
  return {
    nodes,
    endCursor: last ? encodeCursor(sortValueOf(last), last.id) : null,
    hasNextPage: rows.length > options.first,
    totalCount,
  };
}

/** Every organization matching `criteria`, in batches. */
export async function* eachOrganization(
  em: EntityManager,
  criteria: OrgCriteria,
  batchSize = 500,
): AsyncGenerator<InventoryOrg[]> {
  let after: string | null = null;
  for (;;) {
    const page: InventoryPage<InventoryOrg> = await findOrganizations(em, criteria, {
      sort: { key: 'CREATED_AT', direction: 'ASC' },
      first: batchSize,
      after,
      withTotal: false,
    });
    if (page.nodes.length) yield page.nodes;
    if (!page.hasNextPage) return;
    after = page.endCursor;
  }
}
