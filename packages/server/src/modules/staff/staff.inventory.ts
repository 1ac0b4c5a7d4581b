import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../errors.js';
import type { AppStatus } from '../apps/apps.entity.js';
import type { OrganizationKind } from '../orgs/orgs.entity.js';
import { knexParams, type UsageFilter } from '../usage/usage.read.js';
import type { AppCriteria, OrgCriteria } from './staff.criteria.js';
import { usageSummarySql, usageWindows } from './staff.usage.js';

/*
 * The staff inventory in SQL: the apps and organizations of every tenant, filtered by the
 * criteria of `staff.criteria.ts`, sorted, and paged with a keyset cursor (so exports walk the
 * whole table in batches with flat memory). Columns and conditions are declared once here; the
 * pages, bulk runs, exports and reports all read them. Usage criteria and sorts (requests this
 * month, error rate, % of a plan cap) join the usage summary of every app (or organization) as
 * `um` (staff.usage.ts), only when they are used; a page's usage columns are read for its rows
 * alone (staff.usage.ts, through the loaders).
 */

const DAY_MS = 86_400_000;

export type SortDirection = 'ASC' | 'DESC';
export type AppSortKey =
  | 'CREATED_AT'
  | 'NAME'
  | 'LAST_VERIFIED_AT'
  | 'REQUESTS_THIS_MONTH'
  | 'PERCENT_OF_CAP'
  | 'ERROR_RATE';
export type OrgSortKey =
  'CREATED_AT' | 'NAME' | 'APP_COUNT' | 'MEMBER_COUNT' | 'REQUESTS_THIS_MONTH' | 'PERCENT_OF_CAP';

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
  // On the usage summary `um` (joined whenever these are set: usageJoinOfApps).
  if (criteria.errorRateOver != null) {
    where.add(
      'um.responses_30d > 0 and um.errors_30d * 100 >= ? * um.responses_30d',
      criteria.errorRateOver,
    );
  }
  if (criteria.usageOverPercentOfCap != null) {
    where.add('um.percent_of_cap >= ?', criteria.usageOverPercentOfCap);
  }
  return where;
}

/** The usage summary joined as `um`: a `with` clause with its parameters, and the join. */
interface UsageJoin {
  with: string;
  params: unknown[];
  join: string;
}

const NO_USAGE_JOIN: UsageJoin = { with: '', params: [], join: '' };

function usageJoin(
  level: 'app' | 'organization',
  now: Date,
  withLast30Days: boolean,
  filter: UsageFilter,
): UsageJoin {
  const { params, p } = knexParams();
  const sql = usageSummarySql(level, usageWindows(now, withLast30Days), filter, p);
  return {
    // Materialized: read once even when the select and its count both join it.
    with: `with um as materialized (${sql})`,
    params,
    join: `left join um on um.key = ${level === 'app' ? 'a.id' : 'o.id'}`,
  };
}

const USAGE_APP_SORTS: ReadonlySet<AppSortKey> = new Set([
  'REQUESTS_THIS_MONTH',
  'PERCENT_OF_CAP',
  'ERROR_RATE',
]);

/**
 * The usage summary of every app the criteria may select, when a criterion or the sort reads
 * usage (narrowed to the selection or organization when there is one); none otherwise.
 */
function usageJoinOfApps(
  criteria: AppCriteria,
  sortKey: AppSortKey,
  now: Date,
  withUsageOnly: boolean,
): UsageJoin {
  const needed =
    withUsageOnly ||
    criteria.errorRateOver != null ||
    criteria.usageOverPercentOfCap != null ||
    USAGE_APP_SORTS.has(sortKey);
  if (!needed) return NO_USAGE_JOIN;
  return usageJoin('app', now, criteria.errorRateOver != null || sortKey === 'ERROR_RATE', {
    ...(criteria.ids ? { appIds: criteria.ids } : {}),
    ...(criteria.organizationId ? { organizationId: criteria.organizationId } : {}),
  });
}

const APP_SORT_SQL: Record<AppSortKey, { expr: string; cast: string }> = {
  CREATED_AT: { expr: 'a.created_at', cast: 'timestamptz' },
  NAME: { expr: 'lower(a.name)', cast: 'text' },
  LAST_VERIFIED_AT: {
    expr: `coalesce(${LAST_VERIFIED}, '-infinity'::timestamptz)`,
    cast: 'timestamptz',
  },
  REQUESTS_THIS_MONTH: { expr: 'coalesce(um.requests, 0)', cast: 'float8' },
  // Nothing capped used this month sorts below 0 %.
  PERCENT_OF_CAP: { expr: 'coalesce(um.percent_of_cap, -1)', cast: 'float8' },
  ERROR_RATE: { expr: 'coalesce(um.errors_30d / nullif(um.responses_30d, 0), 0)', cast: 'float8' },
};

const ORG_SORT_SQL: Record<OrgSortKey, { expr: string; cast: string }> = {
  CREATED_AT: { expr: 'o.created_at', cast: 'timestamptz' },
  NAME: { expr: 'lower(o.name)', cast: 'text' },
  APP_COUNT: { expr: 'app_count', cast: 'int' },
  MEMBER_COUNT: { expr: 'member_count', cast: 'int' },
  REQUESTS_THIS_MONTH: { expr: 'requests_this_month', cast: 'float8' },
  PERCENT_OF_CAP: { expr: 'percent_of_cap', cast: 'float8' },
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

export interface AppQueryOptions {
  sort: AppSort;
  after?: string | null;
  now?: Date;
  /** Only apps with requests or units this month (the high-usage report). */
  withUsageOnly?: boolean;
  /**
   * What the total counts instead of the apps listed: those with this share of a plan cap or
   * more (the high-usage report's upgrade suggestions, counted in the same statement).
   */
  totalAtPercentOfCap?: number;
}

/**
 * The `select` of the apps matching `criteria` (with `columns`, and `sort_value` for the
 * cursor), sorted; the usage summary joined when needed. Its count, without sort and cursor;
 * with `inlineTotal` and the usage summary joined, the count is also a column of the select
 * (`total_count`), so the summary of every app is read once for both.
 */
function appQuery(
  criteria: AppCriteria,
  options: AppQueryOptions,
  columns: string,
  inlineTotal = false,
): {
  select: { sql: string; params: unknown[] };
  count: { sql: string; params: unknown[] };
  totalInline: boolean;
} {
  const now = options.now ?? new Date();
  const sort = APP_SORT_SQL[options.sort.key];
  const direction = options.sort.direction;
  const usage = usageJoinOfApps(criteria, options.sort.key, now, options.withUsageOnly === true);
  const conditions = () => {
    const where = appConditions(criteria, now);
    if (options.withUsageOnly) where.add('(um.requests > 0 or um.units > 0)');
    return where;
  };
  const where = conditions();
  const countWhere = conditions();
  if (options.totalAtPercentOfCap !== undefined) {
    countWhere.add('um.percent_of_cap >= ?', options.totalAtPercentOfCap);
  }
  afterCondition(where, sort, direction, 'a.id', options.after);
  const dir = direction === 'ASC' ? 'asc' : 'desc';
  const totalInline = inlineTotal && usage.join !== '';
  const total = totalInline
    ? `, (select count(*)::int ${APP_FROM} ${usage.join} ${countWhere.where()}) as total_count`
    : '';
  return {
    select: {
      sql: `${usage.with}
        select ${columns}, (${sort.expr})::text as sort_value ${total}
          ${APP_FROM} ${usage.join} ${where.where()}
         order by ${sort.expr} ${dir}, a.id ${dir}`,
      params: [...usage.params, ...(totalInline ? countWhere.params : []), ...where.params],
    },
    count: {
      sql: `${usage.with} select count(*)::int as n ${APP_FROM} ${usage.join} ${countWhere.where()}`,
      params: [...usage.params, ...countWhere.params],
    },
    totalInline,
  };
}

const APP_COLUMNS_SQL = `a.id, a.name, a.status::text as status, a.status_reason, a.created_at, a.updated_at,
  ${LAST_VERIFIED} as last_verified_at,
  a.organization_id, o.name as organization_name, o.verified_at as organization_verified_at,
  a.project_id, a.owner_id, u.name as owner_name, u.email as owner_email`;

async function appsOfRows(em: EntityManager, rows: AppRow[]): Promise<InventoryApp[]> {
  const products = await productsOfApps(
    em,
    rows.map((row) => row.id),
  );
  return rows.map((row): InventoryApp => ({
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
}

/** One page of apps matching `criteria`, sorted, after the cursor; with the total when asked. */
export async function findApps(
  em: EntityManager,
  criteria: AppCriteria,
  options: AppQueryOptions & { first: number; withTotal?: boolean },
): Promise<InventoryPage<InventoryApp>> {
  const withTotal = options.withTotal !== false;
  const query = appQuery(criteria, options, APP_COLUMNS_SQL, withTotal);
  const rows = await em.execute<(AppRow & { total_count?: number })[]>(
    `${query.select.sql} limit ?`,
    [...query.select.params, options.first + 1],
  );
  const page = rows.slice(0, options.first);
  const nodes = await appsOfRows(em, page);
  const last = page[page.length - 1];
  let totalCount = -1;
  if (withTotal) {
    const inline = query.totalInline ? rows[0]?.total_count : undefined;
    if (inline !== undefined) totalCount = inline;
    else if (query.totalInline && !options.after) totalCount = 0;
    else {
      const [count] = await em.execute<{ n: number }[]>(query.count.sql, query.count.params);
      totalCount = count?.n ?? 0;
    }
  }
  return {
    nodes,
    endCursor: last ? encodeCursor(last.sort_value, last.id) : null,
    hasNextPage: rows.length > options.first,
    totalCount,
  };
}

/**
 * Every app matching `criteria` (at most `limit`), in batches, for bulk plans and exports. By
 * creation with a keyset cursor: memory stays flat. When usage decides which apps match, or
 * their order, the usage summary is read once for the ids in order (a statement per batch
 * would read it again each time), then the rows in batches.
 */
export async function* eachApp(
  em: EntityManager,
  criteria: AppCriteria,
  options: {
    batchSize?: number;
    now?: Date;
    sort?: AppSort;
    limit?: number;
    withUsageOnly?: boolean;
  } = {},
): AsyncGenerator<InventoryApp[]> {
  const batchSize = options.batchSize ?? 500;
  const now = options.now ?? new Date();
  const sort = options.sort ?? { key: 'CREATED_AT', direction: 'ASC' };
  const readsUsage =
    options.withUsageOnly === true ||
    usageJoinOfApps(criteria, sort.key, now, false) !== NO_USAGE_JOIN;
  if (readsUsage || options.limit !== undefined) {
    const query = appQuery(criteria, { sort, now, withUsageOnly: options.withUsageOnly }, 'a.id');
    const limit = options.limit === undefined ? '' : ' limit ?';
    const ids = (
      await em.execute<{ id: string }[]>(
        `${query.select.sql}${limit}`,
        options.limit === undefined ? query.select.params : [...query.select.params, options.limit],
      )
    ).map((row) => row.id);
    for (let i = 0; i < ids.length; i += batchSize) {
      const chunk = ids.slice(i, i + batchSize);
      const rows = await em.execute<AppRow[]>(
        `select ${APP_COLUMNS_SQL}, '' as sort_value ${APP_FROM} where a.id = any(array[?]::text[]) and a.deleted_at is null`,
        [chunk],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      const ordered = chunk.map((id) => byId.get(id)).filter((row) => row !== undefined);
      if (ordered.length) yield await appsOfRows(em, ordered);
    }
    return;
  }
  let after: string | null = null;
  for (;;) {
    const page: InventoryPage<InventoryApp> = await findApps(em, criteria, {
      sort,
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
  // On the usage summary `um` (joined whenever it is set: usageJoinOfOrgs).
  if (criteria.usageOverPercentOfCap != null) {
    where.add('um.percent_of_cap >= ?', criteria.usageOverPercentOfCap);
  }
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

/**
 * The usage summary of every organization the criteria may select, when the usage criterion or
 * the sort reads it; none otherwise.
 */
function usageJoinOfOrgs(criteria: OrgCriteria, sortKey: OrgSortKey, now: Date): UsageJoin {
  const needed =
    criteria.usageOverPercentOfCap != null ||
    sortKey === 'REQUESTS_THIS_MONTH' ||
    sortKey === 'PERCENT_OF_CAP';
  if (!needed) return NO_USAGE_JOIN;
  return usageJoin('organization', now, false, {
    ...(criteria.ids ? { organizationIds: criteria.ids } : {}),
  });
}

/** One page of organizations matching `criteria`, with member and app counts and plans. */
export async function findOrganizations(
  em: EntityManager,
  criteria: OrgCriteria,
  options: {
    sort: OrgSort;
    first: number;
    after?: string | null;
    withTotal?: boolean;
    now?: Date;
  },
): Promise<InventoryPage<InventoryOrg>> {
  const now = options.now ?? new Date();
  const sort = ORG_SORT_SQL[options.sort.key];
  const direction = options.sort.direction;
  const usage = usageJoinOfOrgs(criteria, options.sort.key, now);
  const where = orgConditions(criteria);
  const keyset = new Conditions();
  afterCondition(keyset, sort, direction, 'o.id', options.after);
  const dir = direction === 'ASC' ? 'asc' : 'desc';
  const usageColumns = usage.join
    ? 'coalesce(um.requests, 0) as requests_this_month, coalesce(um.percent_of_cap, -1) as percent_of_cap'
    : '0::float8 as requests_this_month, -1::float8 as percent_of_cap';
  // With the usage summary, the total is a column too, so the summary is read once.
  const withTotal = options.withTotal !== false;
  const totalInline = withTotal && usage.join !== '';
  const total = totalInline
    ? `, (select count(*)::int from organization o ${usage.join} ${where.where()}) as total_count`
    : '';
  // The counts are columns of a derived table, so sorting and the keyset can name them.
  const rows = await em.execute<(OrgRow & { total_count?: number })[]>(
    `${usage.with}
     select o.*, (${sort.expr})::text as sort_value ${total} from (
       select o.id, o.name, o.slug, o.kind::text as kind, o.verified_at, o.created_at,
              (select count(*)::int from membership m where m.organization_id = o.id) as member_count,
              (select count(*)::int from app x where x.organization_id = o.id and x.deleted_at is null) as app_count,
              ${usageColumns}
         from organization o ${usage.join} ${where.where()}
     ) o ${keyset.where()}
     order by ${sort.expr} ${dir}, o.id ${dir}
     limit ?`,
    [
      ...usage.params,
      ...(totalInline ? where.params : []),
      ...where.params,
      ...keyset.params,
      options.first + 1,
    ],
  );
  const page = rows.slice(0, options.first);
  const plans = await plansOfOrgs(
    em,
    page.map((row) => row.id),
  );
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
  const inline = totalInline ? rows[0]?.total_count : undefined;
  if (inline !== undefined) totalCount = inline;
  else if (totalInline && !options.after) totalCount = 0;
  else if (withTotal) {
    const [count] = await em.execute<{ n: number }[]>(
      `${usage.with} select count(*)::int as n from organization o ${usage.join} ${where.where()}`,
      [...usage.params, ...where.params],
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
