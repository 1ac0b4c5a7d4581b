import type { EntityManager } from '@mikro-orm/postgresql';
import { histogramSumArraySql } from './usage.histogram.js';
import type { UsageLevel } from './usage.partitions.js';
import { pgArray } from './usage.read.js';

/**
 * Rollups, minute → hour → day. What to roll up is what is dirty (`usage_dirty`): the gateway
 * marks an hour dirty in the statement that writes its minutes, however late they come, and
 * rolling up an hour marks its day dirty. Rolling up a bucket recomputes it whole from the
 * level below (delete, then insert the sums), so a rerun gives the same rows; the mark is then
 * removed only if its version (the id of the transaction that set it) is still the one read,
 * so minutes written while the rollup ran leave the hour dirty for the next run.
 */

/** Per app and credential, then per organization: the key of each kind of row. */
const KINDS = [
  {
    prefix: 'usage_',
    key: 'app_id, product_id, credential_id, environment_id',
    organization: 'min(organization_id)',
  },
  {
    prefix: 'usage_org_',
    key: 'organization_id, product_id, environment_id',
    organization: null,
  },
] as const;

const SUMS = `sum(requests), sum(responses), sum(errors), sum(units),
  min(response_time_min), max(response_time_max), sum(response_time_sum),
  ${histogramSumArraySql('latency_histogram')}`;

const AMOUNTS = `requests, responses, errors, units, response_time_min, response_time_max,
  response_time_sum, latency_histogram`;

export type RollupLevel = 'hour' | 'day';

const SOURCE: Record<
  RollupLevel,
  { from: string; into: string; span: string; parent: string | null }
> = {
  hour: { from: 'minute', into: 'hour', span: '1 hour', parent: 'day' },
  day: { from: 'hour', into: 'day', span: '1 day', parent: null },
};

/**
 * Recomputes the given hours (or days) whole from the level below, per app and per
 * organization, and marks their days dirty, in the caller's transaction, in six statements
 * whatever their number.
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
  for (const { prefix, key, organization } of KINDS) {
    await em.execute(`delete from ${prefix}${into} where bucket = any(?::timestamptz[])`, [at]);
    await em.execute(
      `insert into ${prefix}${into} (bucket, ${key}, ${organization ? 'organization_id, ' : ''}${AMOUNTS})
       select b.bucket, ${key}, ${organization ? `${organization}, ` : ''}${SUMS}
       from unnest(?::timestamptz[]) as b(bucket)
       join ${prefix}${from} s on s.bucket >= b.bucket and s.bucket < b.bucket + interval '${span}'
       group by b.bucket, ${key}`,
      [at],
    );
  }
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

/**
 * Recomputes the organization rows of a level over [from, to) from the per-app rows of the
 * same level, for rows written straight into `usage_minute`, `usage_hour` or `usage_day`
 * (the demo data) rather than by the gateway and the rollups.
 */
export async function summarizeOrganizations(
  em: EntityManager,
  level: UsageLevel,
  from: Date,
  to: Date,
): Promise<void> {
  const range = [from.toISOString(), to.toISOString()];
  await em.execute(`delete from usage_org_${level} where bucket >= ? and bucket < ?`, range);
  await em.execute(
    `insert into usage_org_${level} (bucket, organization_id, product_id, environment_id, ${AMOUNTS})
     select bucket, organization_id, product_id, environment_id, ${SUMS}
     from usage_${level} where bucket >= ? and bucket < ?
     group by bucket, organization_id, product_id, environment_id`,
    range,
  );
}
