import type { EntityManager } from '@mikro-orm/postgresql';
import { histogramSumArraySql } from './usage.histogram.js';
import { pgArray } from './usage.read.js';

/**
 * Rollups, minute → hour → day. What to roll up is what is dirty (`usage_dirty`): the gateway
 * marks an hour dirty in the statement that writes its minutes, however late they come, and
 * rolling up an hour marks its day dirty. Rolling up a bucket recomputes it whole from the
 * level below (delete, then insert the sums), so a rerun gives the same rows; the mark is then
 * removed only if its version (the id of the transaction that set it) is still the one read,
 * so minutes written while the rollup ran leave the hour dirty for the next run.
 */

const KEY = 'app_id, product_id, credential_id, environment_id';

const SUMS = `min(organization_id), sum(requests), sum(responses), sum(errors), sum(units),
  min(response_time_min), max(response_time_max), sum(response_time_sum),
  ${histogramSumArraySql('latency_histogram')}`;

const INSERT_COLUMNS = `bucket, ${KEY}, organization_id, requests, responses, errors, units,
  response_time_min, response_time_max, response_time_sum, latency_histogram`;

export type RollupLevel = 'hour' | 'day';

const SOURCE: Record<
  RollupLevel,
  { from: string; into: string; span: string; parent: string | null }
> = {
  hour: { from: 'usage_minute', into: 'usage_hour', span: '1 hour', parent: 'day' },
  day: { from: 'usage_hour', into: 'usage_day', span: '1 day', parent: null },
};

/**
 * Recomputes the given hours (or days) whole from the level below and marks their days dirty,
 * in the caller's transaction, in four statements whatever their number.
 */
export async function rollUpBuckets(
  em: EntityManager,
  level: RollupLevel,
  buckets: readonly Date[],
): Promise<void> {
  if (buckets.length === 0) return;
  const { from, into, span, parent } = SOURCE[level];
  const at = pgArray(buckets);
  // One rollup of a level at a time, so two runs never insert the same rows.
  await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`usage-rollup:${level}`]);
  await em.execute(`delete from ${into} where bucket = any(?::timestamptz[])`, [at]);
  await em.execute(
    `insert into ${into} (${INSERT_COLUMNS})
     select b.bucket, ${KEY}, ${SUMS}
     from unnest(?::timestamptz[]) as b(bucket)
     join ${from} s on s.bucket >= b.bucket and s.bucket < b.bucket + interval '${span}'
     group by b.bucket, ${KEY}`,
    [at],
  );
  if (parent) {
    await em.execute(
      `insert into usage_dirty (level, bucket, version)
       select distinct ?, date_trunc(?, b, 'UTC'), pg_current_xact_id()::text::bigint
       from unnest(?::timestamptz[]) b
       on conflict (level, bucket) do update set version = excluded.version`,
      [parent, parent, at],
    );
  }
}

/**
 * Rolls up every dirty hour (or day), oldest first, `batch` buckets per transaction; returns
 * how many. A bucket's mark goes only if no one marked it again while it was rolled up.
 */
export async function rollUp(em: EntityManager, level: RollupLevel, batch = 200): Promise<number> {
  let total = 0;
  let after = new Date(0);
  for (;;) {
    const dirty = await em.execute<{ bucket: Date | string; version: string }[]>(
      `select bucket, version::text as version from usage_dirty
       where level = ? and bucket > ? order by bucket limit ?`,
      [level, after.toISOString(), batch],
    );
    if (dirty.length === 0) return total;
    const buckets = dirty.map((row) => new Date(row.bucket));
    await em.transactional(async (tx) => {
      await rollUpBuckets(tx, level, buckets);
      await tx.execute(
        `delete from usage_dirty d using unnest(?::timestamptz[], ?::bigint[]) as r(bucket, version)
         where d.level = ? and d.bucket = r.bucket and d.version = r.version`,
        [pgArray(buckets), pgArray(dirty.map((row) => row.version)), level],
      );
    });
    total += dirty.length;
    after = buckets[buckets.length - 1]!;
  }
}

export interface RollupReport {
  hours: number;
  days: number;
}

/** Hours, then days. */
export async function rollUpUsage(em: EntityManager): Promise<RollupReport> {
  const hours = await rollUp(em, 'hour');
  const days = await rollUp(em, 'day');
  return { hours, days };
}

/** Marks every hour and day of [from, to) dirty, so the next rollup recomputes them. */
export async function markForRollup(em: EntityManager, from: Date, to: Date): Promise<void> {
  await em.execute(
    `insert into usage_dirty (level, bucket, version)
     select 'hour', h, pg_current_xact_id()::text::bigint
     from generate_series(date_trunc('hour', ?::timestamptz, 'UTC'), ?::timestamptz - interval '1 microsecond', interval '1 hour') h
     on conflict (level, bucket) do update set version = excluded.version`,
    [from.toISOString(), to.toISOString()],
  );
}
