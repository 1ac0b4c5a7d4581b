import { histogramFromRow, histogramSumsSql, estimatePercentile } from './usage.histogram.js';
import { UsageGranularity } from './usage.types.js';
import type { UsageStats } from './usage.types.js';

/**
 * Reading usage at a granularity, exactly as the minute rows add up, from the cheapest table:
 *
 * - a day comes from `usage_day`, unless the day is dirty (its hour rows changed since it was
 *   rolled up, or one of its hours is dirty): then from its hours;
 * - an hour comes from `usage_hour`, unless the hour is dirty (minute rows were written since
 *   it was rolled up): then from its minutes;
 * - a minute comes from `usage_minute`.
 *
 * `usage_dirty` holds the dirty hours and days; the gateway marks an hour dirty in the
 * statement that writes its minutes, and the rollup jobs clear what they rolled up. The same
 * holds for the organization tables (`usage_org_minute` / `_hour` / `_day`), written and
 * rolled up with the per-app ones under the same marks: a read that needs no app or
 * credential comes from them, a row per product and environment in place of one per app.
 */

/** The dimensions a query may narrow to; each is an equality on the usage rows. */
export interface UsageFilter {
  organizationId?: string | SqlExpression | null;
  organizationIds?: readonly string[] | SqlExpression;
  appIds?: readonly string[];
  appId?: string;
  projectId?: string;
  productId?: string;
  credentialId?: string;
  environmentId?: string;
}

export type Placeholder = (value: unknown) => string;

/** An SQL expression put in a query as it is, where a value would take a placeholder. */
export class SqlExpression {
  constructor(readonly sql: string) {}
}

/**
 * A PostgreSQL array literal (`{"a","b"}`) of strings, numbers or dates: knex would spread a
 * JavaScript array into a list of placeholders, so arrays are passed as one text value.
 */
export function pgArray(values: readonly (string | number | Date)[]): string {
  const items = values.map((value) => {
    const text = value instanceof Date ? value.toISOString() : String(value);
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/** `?` placeholders (MikroORM / knex) collecting their values in order; arrays as literals. */
export function knexParams(): { params: unknown[]; p: Placeholder } {
  const params: unknown[] = [];
  return {
    params,
    p: (value) => {
      if (value instanceof SqlExpression) return value.sql;
      params.push(Array.isArray(value) ? pgArray(value as (string | number | Date)[]) : value);
      return '?';
    },
  };
}

/**
 * `$n` placeholders (node-postgres) collecting their values in order, after `offset` others. A
 * list given again (the same array) is the same placeholder: sent, and serialized, once.
 */
export function pgParams(offset = 0): { params: unknown[]; p: Placeholder } {
  const params: unknown[] = [];
  return {
    params,
    p: (value) => {
      if (value instanceof SqlExpression) return value.sql;
      const given = Array.isArray(value) ? params.indexOf(value) : -1;
      if (given !== -1) return `$${offset + given + 1}`;
      params.push(value);
      return `$${offset + params.length}`;
    },
  };
}

/**
 * A `select` of one organization's usage rows of the month starting at `monthStartSql`, as
 * day rows read exactly (see usageRowsSql), for queries that give the organization and month
 * as SQL expressions (a column, a `$n` parameter).
 */
export function monthRowsSql(
  organizationSql: string,
  monthStartSql: string,
  options: { organizationIn?: boolean } = {},
): string {
  const { params, p } = pgParams();
  const sql = usageRowsSql(
    UsageGranularity.DAY,
    new SqlExpression(monthStartSql),
    new SqlExpression(`(${monthStartSql}::timestamptz + interval '1 month')`),
    options.organizationIn
      ? { organizationIds: new SqlExpression(organizationSql) }
      : { organizationId: new SqlExpression(organizationSql) },
    p,
  );
  if (params.length > 0) throw new Error('monthRowsSql takes SQL expressions only');
  return sql;
}

function filterSql(filter: UsageFilter, p: Placeholder, alias: string): string {
  const parts: string[] = [];
  if (filter.organizationId !== undefined && filter.organizationId !== null)
    parts.push(`${alias}.organization_id = ${p(filter.organizationId)}`);
  if (filter.organizationIds) {
    const ids = filter.organizationIds;
    parts.push(
      `${alias}.organization_id = any(${ids instanceof SqlExpression ? ids.sql : `${p(ids)}::text[]`})`,
    );
  }
  if (filter.appId) parts.push(`${alias}.app_id = ${p(filter.appId)}`);
  if (filter.appIds) parts.push(`${alias}.app_id = any(${p(filter.appIds)}::text[])`);
  if (filter.projectId) {
    parts.push(`${alias}.app_id in (select id from app where project_id = ${p(filter.projectId)})`);
  }
  if (filter.productId) parts.push(`${alias}.product_id = ${p(filter.productId)}`);
  if (filter.credentialId) parts.push(`${alias}.credential_id = ${p(filter.credentialId)}`);
  if (filter.environmentId) parts.push(`${alias}.environment_id = ${p(filter.environmentId)}`);
  return parts.map((part) => ` and ${part}`).join('');
}

/** The columns of the usage tables (besides `bucket`). */
export const USAGE_COLUMNS = [
  'organization_id',
  'app_id',
  'product_id',
  'credential_id',
  'environment_id',
  'requests',
  'responses',
  'errors',
  'units',
  'response_time_min',
  'response_time_max',
  'response_time_sum',
  'latency_histogram',
] as const;
export type UsageColumn = (typeof USAGE_COLUMNS)[number];

/** The columns only the per-app tables have (the organization tables sum over them). */
const PER_APP_COLUMNS: readonly UsageColumn[] = ['app_id', 'credential_id'];

export interface UsageRowsOptions {
  /** The rows must carry `app_id` and `credential_id` (a breakdown per app or credential). */
  perApp?: boolean;
  /**
   * The columns to select besides `bucket` (all by default): PostgreSQL carries every column of
   * a `union all` through the scan, so a query that sums a few counts over many rows should not
   * drag the histograms. Naming `app_id` or `credential_id` reads the per-app tables.
   */
  only?: readonly UsageColumn[];
}

/**
 * Whether a read can come from the organization tables (`usage_org_*`: a row per
 * organization, product and dev environment): it narrows to no app, project or credential, and
 * needs no app or credential ids.
 */
export function readsOrganizationRows(
  filter: UsageFilter,
  options: UsageRowsOptions = {},
): boolean {
  return (
    !options.perApp &&
    !(options.only ?? []).some((column) => PER_APP_COLUMNS.includes(column)) &&
    filter.appId === undefined &&
    filter.appIds === undefined &&
    filter.projectId === undefined &&
    filter.credentialId === undefined
  );
}

/**
 * A `select` of usage rows (the columns of the usage tables, `bucket` truncated to
 * `granularity`) over [from, to) narrowed by `filter`, reading each bucket from the table that
 * holds it exactly (see above): per organization when `readsOrganizationRows` allows it (then
 * without `app_id` and `credential_id`), else per app and credential. Use it as a subquery.
 * `options.only` narrows the columns.
 */
export function usageRowsSql(
  granularity: UsageGranularity,
  from: Date | SqlExpression,
  to: Date | SqlExpression,
  filter: UsageFilter,
  p: Placeholder,
  options: UsageRowsOptions = {},
): string {
  const perOrganization = readsOrganizationRows(filter, options);
  const table = (level: 'minute' | 'hour' | 'day') =>
    perOrganization ? `usage_org_${level}` : `usage_${level}`;
  const names = (options.only ?? USAGE_COLUMNS).filter(
    (column) => !perOrganization || !PER_APP_COLUMNS.includes(column),
  );
  const columns = (alias: string, bucket: string) =>
    `${bucket} as bucket, ${names.map((c) => `${alias}.${c}`).join(', ')}`;
  const range = (alias: string) =>
    `${alias}.bucket >= ${p(from)}::timestamptz and ${alias}.bucket < ${p(to)}::timestamptz${filterSql(filter, p, alias)}`;
  const dirtyHours = `(select bucket from usage_dirty where level = 'hour')`;
  if (granularity === UsageGranularity.MINUTE) {
    return `select ${columns('m', 'm.bucket')} from ${table('minute')} m where ${range('m')}`;
  }
  const minutesOfDirtyHours = (truncateTo: string) =>
    `select ${columns('m', `date_trunc('${truncateTo}', m.bucket, 'UTC')`)}
     from ${dirtyHours} dh join ${table('minute')} m
       on m.bucket >= dh.bucket and m.bucket < dh.bucket + interval '1 hour'
     where ${range('m')}`;
  if (granularity === UsageGranularity.HOUR) {
    return `select ${columns('h', 'h.bucket')} from ${table('hour')} h
       where ${range('h')} and h.bucket not in ${dirtyHours}
     union all ${minutesOfDirtyHours('hour')}`;
  }
  const dirtyDays = `(select bucket from usage_dirty where level = 'day'
     union select date_trunc('day', bucket, 'UTC') from usage_dirty where level = 'hour')`;
  return `select ${columns('d', 'd.bucket')} from ${table('day')} d
     where ${range('d')} and d.bucket not in ${dirtyDays}
   union all
   select ${columns('h', `date_trunc('day', h.bucket, 'UTC')`)}
     from ${dirtyDays} dd join ${table('hour')} h
       on h.bucket >= dd.bucket and h.bucket < dd.bucket + interval '1 day'
     where ${range('h')} and h.bucket not in ${dirtyHours}
   union all ${minutesOfDirtyHours('day')}`;
}

/** The sums of a group of usage rows, as select items (histogram as h1 … h24). */
export const STATS_SQL = `sum(requests)::float8 as requests, sum(responses)::float8 as responses,
  sum(errors)::float8 as errors, sum(units)::float8 as units,
  min(response_time_min) as response_time_min, max(response_time_max) as response_time_max,
  sum(response_time_sum)::float8 as response_time_sum, ${histogramSumsSql('latency_histogram')}`;

export interface StatsRow extends Record<string, unknown> {
  requests: number | string | null;
  responses: number | string | null;
  errors: number | string | null;
  units: number | string | null;
  response_time_min: number | string | null;
  response_time_max: number | string | null;
  response_time_sum: number | string | null;
}

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export function emptyStats(): UsageStats {
  return {
    requests: 0,
    responses: 0,
    units: 0,
    errors: 0,
    errorRate: 0,
    responseTimeMin: null,
    responseTimeAvg: null,
    responseTimeMax: null,
    responseTimeP50: null,
    responseTimeP95: null,
    responseTimeP99: null,
  };
}

/** The GraphQL stats of a row selected with STATS_SQL. */
export function statsFromRow(row: StatsRow | undefined): UsageStats {
  if (!row) return emptyStats();
  const responses = num(row.responses);
  const errors = num(row.errors);
  const min = responses > 0 ? numOrNull(row.response_time_min) : null;
  const max = responses > 0 ? numOrNull(row.response_time_max) : null;
  const histogram = histogramFromRow(row);
  return {
    requests: num(row.requests),
    responses,
    units: num(row.units),
    errors,
    errorRate: responses > 0 ? errors / responses : 0,
    responseTimeMin: min,
    responseTimeAvg: responses > 0 ? num(row.response_time_sum) / responses : null,
    responseTimeMax: max,
    responseTimeP50: estimatePercentile(histogram, 0.5, min, max),
    responseTimeP95: estimatePercentile(histogram, 0.95, min, max),
    responseTimeP99: estimatePercentile(histogram, 0.99, min, max),
  };
}
