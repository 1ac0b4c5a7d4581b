import type { EntityManager } from '@mikro-orm/postgresql';
import { DAY_MS } from './usage.periods.js';
import type { UsageRetention } from './usage.settings.js';

/**
 * Partitions of the usage tables, by range of `bucket` (UTC): a day of minutes, a month of
 * hours, a year of days. Each table also has a `<table>_default` partition, so a row whose
 * partition does not exist yet is never lost; `maintainUsagePartitions` makes the partitions
 * ahead of time, moves any row the default partition holds into its own partition, and drops
 * the partitions past their retention.
 */
export type PartitionSpan = 'day' | 'month' | 'year';

export type UsageLevel = 'minute' | 'hour' | 'day';

export interface UsageTableLayout {
  table:
    | 'usage_minute'
    | 'usage_hour'
    | 'usage_day'
    | 'usage_org_minute'
    | 'usage_org_hour'
    | 'usage_org_day';
  /** Whose retention it has. */
  level: UsageLevel;
  span: PartitionSpan;
  /** Partitions made ahead of the current one. */
  ahead: number;
  /**
   * Share of each page filled by inserts: the minutes are updated again and again while
   * traffic comes in, and room on the page keeps those updates HOT (no index entries).
   */
  fillfactor?: number;
}

/** The fill factor of the minute partitions. */
export const MINUTE_FILLFACTOR = 50;

/** Per app and credential, then per organization (the same partitions and retention). */
export const USAGE_TABLES: readonly UsageTableLayout[] = [
  { table: 'usage_minute', level: 'minute', span: 'day', ahead: 3, fillfactor: MINUTE_FILLFACTOR },
  { table: 'usage_hour', level: 'hour', span: 'month', ahead: 2 },
  { table: 'usage_day', level: 'day', span: 'year', ahead: 1 },
  {
    table: 'usage_org_minute',
    level: 'minute',
    span: 'day',
    ahead: 3,
    fillfactor: MINUTE_FILLFACTOR,
  },
  { table: 'usage_org_hour', level: 'hour', span: 'month', ahead: 2 },
  { table: 'usage_org_day', level: 'day', span: 'year', ahead: 1 },
];

export function spanStart(at: number, span: PartitionSpan): number {
  const d = new Date(at);
  if (span === 'day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (span === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return Date.UTC(d.getUTCFullYear(), 0, 1);
}

export function nextSpan(start: number, span: PartitionSpan, count = 1): number {
  const d = new Date(start);
  if (span === 'day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + count);
  if (span === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + count, 1);
  return Date.UTC(d.getUTCFullYear() + count, 0, 1);
}

/** `usage_minute_p20261130`, `usage_hour_p202611`, `usage_day_p2026`. */
export function partitionName(table: string, start: number, span: PartitionSpan): string {
  const iso = new Date(start).toISOString();
  const digits =
    span === 'day' ? iso.slice(0, 10) : span === 'month' ? iso.slice(0, 7) : iso.slice(0, 4);
  return `${table}_p${digits.replaceAll('-', '')}`;
}

function startOfName(name: string, table: string): number | null {
  const match = new RegExp(`^${table}_p(\\d{4})(\\d{2})?(\\d{2})?$`).exec(name);
  if (!match) return null;
  return Date.UTC(
    Number(match[1]),
    match[2] ? Number(match[2]) - 1 : 0,
    match[3] ? Number(match[3]) : 1,
  );
}

/** The start of each partition of `table` (not the default one), oldest first. */
export async function partitionsOf(em: EntityManager, table: string): Promise<number[]> {
  const rows = await em.execute<{ name: string }[]>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
       where i.inhparent = ?::regclass`,
    [table],
  );
  return rows
    .map((row) => startOfName(row.name, table))
    .filter((start): start is number => start !== null)
    .sort((a, b) => a - b);
}

/**
 * Makes the partition of `table` that starts at `start` unless it exists, moving the rows the
 * default partition holds for its range into it, in one transaction.
 */
export async function ensurePartition(
  em: EntityManager,
  layout: UsageTableLayout,
  start: number,
): Promise<boolean> {
  const { table, span } = layout;
  const name = partitionName(table, start, span);
  const from = new Date(start).toISOString();
  const to = new Date(nextSpan(start, span)).toISOString();
  return em.transactional(async (tx) => {
    const connection = tx;
    // One maker at a time per table; writers to the default partition wait for the move.
    await connection.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`partition:${table}`]);
    const exists = await connection.execute<{ found: boolean }[]>(
      `select to_regclass(?) is not null as found`,
      [name],
    );
    if (exists[0]?.found) return false;
    await connection.execute(`lock table "${table}_default" in exclusive mode`);
    await connection.execute(
      `create temporary table usage_moving (like "${table}") on commit drop`,
    );
    await connection.execute(
      `with moved as (delete from "${table}_default" where bucket >= ? and bucket < ? returning *)
       insert into usage_moving select * from moved`,
      [from, to],
    );
    await connection.execute(
      `create table "${name}" partition of "${table}" for values from ('${from}') to ('${to}')${layout.fillfactor ? ` with (fillfactor = ${layout.fillfactor})` : ''}`,
    );
    await connection.execute(`insert into "${table}" select * from usage_moving`);
    return true;
  });
}

export interface PartitionReport {
  created: string[];
  dropped: string[];
  /** Rows deleted from default partitions because they were past retention. */
  expiredDefaultRows: number;
}

function retentionDays(layout: UsageTableLayout, retention: UsageRetention): number | null {
  if (layout.level === 'minute') return retention.minuteDays;
  if (layout.level === 'hour') return retention.hourDays;
  return retention.dayDays;
}

/**
 * Makes the current and next partitions of every usage table, one for every range the default
 * partition holds rows of, and drops every partition wholly older than its table's retention.
 * A minute partition is dropped only once none of its hours waits to be rolled up. Safe to run
 * on several instances at once and to rerun.
 */
export async function maintainUsagePartitions(
  em: EntityManager,
  now: Date,
  retention: UsageRetention,
): Promise<PartitionReport> {
  const report: PartitionReport = { created: [], dropped: [], expiredDefaultRows: 0 };
  const connection = em;
  for (const layout of USAGE_TABLES) {
    const { table, span } = layout;
    const keepDays = retentionDays(layout, retention);
    const cutoff = keepDays === null ? null : now.getTime() - keepDays * DAY_MS;

    if (cutoff !== null) {
      // Strays in the default partition past retention go; the rest get their partition.
      // Minutes of an hour still to be rolled up stay until it is.
      const rolledUp =
        layout.level === 'minute'
          ? `and date_trunc('hour', bucket, 'UTC') not in
               (select bucket from usage_dirty where level = 'hour')`
          : '';
      const deleted = await connection.execute<{ count: string }[]>(
        `with gone as (delete from "${table}_default" where bucket < ? ${rolledUp} returning 1)
         select count(*)::text as count from gone`,
        [new Date(spanStart(cutoff, span)).toISOString()],
      );
      report.expiredDefaultRows += Number(deleted[0]?.count ?? 0);
    }
    const starts = new Set<number>();
    const current = spanStart(now.getTime(), span);
    for (let i = 0; i <= layout.ahead; i++) starts.add(nextSpan(current, span, i));
    const strays = await connection.execute<{ start: Date | string }[]>(
      `select distinct date_trunc('${span}', bucket, 'UTC') as start from "${table}_default"`,
    );
    for (const row of strays) starts.add(new Date(row.start).getTime());
    for (const start of [...starts].sort((a, b) => a - b)) {
      if (await ensurePartition(em, layout, start)) {
        report.created.push(partitionName(table, start, span));
      }
    }

    if (cutoff === null) continue;
    for (const start of await partitionsOf(em, table)) {
      const end = nextSpan(start, span);
      if (end > cutoff) continue;
      if (layout.level === 'minute') {
        const waiting = await connection.execute<{ count: string }[]>(
          `select count(*)::text as count from usage_dirty
           where level = 'hour' and bucket >= ? and bucket < ?`,
          [new Date(start).toISOString(), new Date(end).toISOString()],
        );
        if (Number(waiting[0]?.count ?? 0) > 0) continue;
      }
      const name = partitionName(table, start, span);
      await connection.execute(`drop table if exists "${name}"`);
      report.dropped.push(name);
    }
  }
  return report;
}
