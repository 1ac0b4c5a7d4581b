import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { writeMinutes, type UsageRowInput } from '../../../test/usage-builders.js';
import { MINUTE_FILLFACTOR, maintainUsagePartitions, partitionsOf } from './usage.partitions.js';
import { histogramSumArraySql } from './usage.histogram.js';
import { knexParams, STATS_SQL, statsFromRow, usageRowsSql, type StatsRow } from './usage.read.js';
import { markForRollup, rollUpUsage, summarizeOrganizations } from './usage.rollup.js';
import { UsageGranularity } from './usage.types.js';
import { randomBase62 } from '../../ids.js';

const server = useTestServer();

const em = () => server.orm.em.fork();

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return em().getConnection().execute<T[]>(query, params);
}

/** A tenant of its own: ids no other test uses. */
function tenant() {
  const suffix = randomBase62(10);
  return {
    organizationId: `org_${suffix}`,
    appId: `app_${suffix}`,
    otherAppId: `app_${suffix}b`,
    productId: `prd_${suffix}`,
  };
}

/**
 * Buckets of `granularity` with their sums, read exactly (through the dirty marks), from the
 * organization rows; read from the per-app rows, they are the same.
 */
async function read(
  granularity: UsageGranularity,
  from: string,
  to: string,
  organizationId: string,
) {
  const readFrom = async (perApp: boolean) => {
    const { params, p } = knexParams();
    const rows = usageRowsSql(granularity, new Date(from), new Date(to), { organizationId }, p, {
      perApp,
    });
    const result = await sql<StatsRow & { bucket: Date }>(
      `select u.bucket, ${STATS_SQL} from (${rows}) u group by u.bucket order by u.bucket`,
      params,
    );
    return result.map((row) => ({
      at: new Date(row.bucket).toISOString(),
      requests: Number(row.requests),
      responses: Number(row.responses),
      p99: statsFromRow(row).responseTimeP99,
    }));
  };
  const perOrganization = await readFrom(false);
  expect(perOrganization, 'read per organization and per app').toEqual(await readFrom(true));
  return perOrganization;
}

const LEVELS = ['minute', 'hour', 'day'] as const;

/**
 * An organization's rows of a level, and the sums of its per-app rows per bucket, product and
 * environment: they must be equal.
 */
async function organizationRowsAndSums(level: (typeof LEVELS)[number], organizationId: string) {
  const amounts = `requests::text, responses::text, errors::text, units::text,
    response_time_min, response_time_max, response_time_sum, latency_histogram::text`;
  const order = 'order by bucket, product_id, environment_id';
  const rows = await sql<Record<string, unknown>>(
    `select bucket, product_id, environment_id, ${amounts}
     from usage_org_${level} where organization_id = ? ${order}`,
    [organizationId],
  );
  const sums = await sql<Record<string, unknown>>(
    `select bucket, product_id, environment_id, ${amounts} from (
       select bucket, product_id, environment_id, sum(requests) as requests,
         sum(responses) as responses, sum(errors) as errors, sum(units) as units,
         min(response_time_min) as response_time_min, max(response_time_max) as response_time_max,
         sum(response_time_sum) as response_time_sum,
         ${histogramSumArraySql('latency_histogram')} as latency_histogram
       from usage_${level} where organization_id = ? group by bucket, product_id, environment_id
     ) s ${order}`,
    [organizationId],
  );
  return { rows, sums };
}

async function expectOrganizationRowsAreSums(organizationId: string): Promise<void> {
  for (const level of LEVELS) {
    const { rows, sums } = await organizationRowsAndSums(level, organizationId);
    expect(rows, `usage_org_${level}`).toEqual(sums);
  }
}

/** The rows of a rollup table for an organization, as plain text, in key order. */
async function stored(table: 'usage_hour' | 'usage_day', organizationId: string) {
  return sql<Record<string, unknown>>(
    `select bucket, app_id, product_id, credential_id, environment_id, requests::text, responses::text,
       errors::text, units::text, response_time_min, response_time_max, response_time_sum,
       latency_histogram::text
     from ${table} where organization_id = ? order by bucket, app_id, product_id, credential_id`,
    [organizationId],
  );
}

const row = (
  t: ReturnType<typeof tenant>,
  bucket: string,
  requests: number,
  responseTimes: number[] = [],
): UsageRowInput => ({
  bucket,
  organizationId: t.organizationId,
  appId: t.appId,
  productId: t.productId,
  requests,
  responseTimes,
});

const RETENTION = { minuteDays: 3, hourDays: 90, dayDays: null };

describe('usage rollups', () => {
  it('roll minutes up into hours and days across hour, day, month and year edges and a leap day', async () => {
    const t = tenant();
    await writeMinutes(server, [
      row(t, '2028-02-28T23:59:00Z', 1, [5]),
      row(t, '2028-02-29T00:00:00Z', 2, [10, 20]),
      row(t, '2028-02-29T00:59:00Z', 4),
      row(t, '2028-02-29T01:00:00Z', 8),
      row(t, '2028-02-29T23:59:00Z', 16, [300]),
      row(t, '2028-03-01T00:00:00Z', 32),
      row(t, '2028-12-31T23:59:00Z', 64),
      row(t, '2029-01-01T00:00:00Z', 128, [2_000]),
    ]);
    // What is read before any rollup is exactly the minutes.
    const days = [
      { at: '2028-02-28T00:00:00.000Z', requests: 1 },
      { at: '2028-02-29T00:00:00.000Z', requests: 2 + 4 + 8 + 16 },
      { at: '2028-03-01T00:00:00.000Z', requests: 32 },
      { at: '2028-12-31T00:00:00.000Z', requests: 64 },
      { at: '2029-01-01T00:00:00.000Z', requests: 128 },
    ];
    const before = await read(UsageGranularity.DAY, '2028-02-01Z', '2029-02-01Z', t.organizationId);
    expect(before.map(({ at, requests }) => ({ at, requests }))).toEqual(days);

    // The minutes of 2028 land in the default partition; the job gives them their own.
    await maintainUsagePartitions(em(), new Date('2028-02-29T12:00:00Z'), {
      ...RETENTION,
      minuteDays: 3650,
    });
    expect(await partitionsOf(em(), 'usage_minute')).toEqual(
      expect.arrayContaining([
        Date.parse('2028-02-28Z'),
        Date.parse('2028-02-29Z'),
        Date.parse('2028-03-01Z'),
        Date.parse('2028-12-31Z'),
        Date.parse('2029-01-01Z'),
      ]),
    );
    const [inDefault] = await sql<{ count: string }>(
      'select count(*)::text as count from usage_minute_default where organization_id = ?',
      [t.organizationId],
    );
    expect(inDefault?.count).toBe('0');

    await rollUpUsage(em());
    const hours = await stored('usage_hour', t.organizationId);
    expect(hours.map((h) => [new Date(h.bucket as string).toISOString(), h.requests])).toEqual([
      ['2028-02-28T23:00:00.000Z', '1'],
      ['2028-02-29T00:00:00.000Z', '6'],
      ['2028-02-29T01:00:00.000Z', '8'],
      ['2028-02-29T23:00:00.000Z', '16'],
      ['2028-03-01T00:00:00.000Z', '32'],
      ['2028-12-31T23:00:00.000Z', '64'],
      ['2029-01-01T00:00:00.000Z', '128'],
    ]);
    const dayRows = await stored('usage_day', t.organizationId);
    expect(
      dayRows.map((d) => ({
        at: new Date(d.bucket as string).toISOString(),
        requests: Number(d.requests),
      })),
    ).toEqual(days);
    expect(dayRows[1]).toMatchObject({
      responses: '3',
      response_time_min: 10,
      response_time_max: 300,
    });

    // Read from the rollups now, the same numbers; by hour too.
    const after = await read(UsageGranularity.DAY, '2028-02-01Z', '2029-02-01Z', t.organizationId);
    expect(after).toEqual(before);
    const byHour = await read(
      UsageGranularity.HOUR,
      '2028-02-29Z',
      '2028-03-01Z',
      t.organizationId,
    );
    expect(byHour.map((h) => h.requests)).toEqual([6, 8, 16]);

    // Rerunning changes nothing, even when every bucket is marked again.
    await markForRollup(em(), new Date('2028-02-28Z'), new Date('2029-01-02Z'));
    await rollUpUsage(em());
    expect(await stored('usage_hour', t.organizationId)).toEqual(hours);
    expect(await stored('usage_day', t.organizationId)).toEqual(dayRows);
  });

  it('takes late minutes: read at once, rolled up again, the day too', async () => {
    const t = tenant();
    await writeMinutes(server, [
      row(t, '2027-05-10T10:15:00Z', 5),
      row(t, '2027-05-10T11:00:00Z', 1),
    ]);
    await rollUpUsage(em());
    // Hours late, for an hour already rolled up, another app and the same row.
    await writeMinutes(server, [
      row(t, '2027-05-10T10:15:00Z', 2, [40]),
      { ...row(t, '2027-05-10T10:59:00Z', 3), appId: t.otherAppId },
    ]);
    const read1 = await read(UsageGranularity.HOUR, '2027-05-10Z', '2027-05-11Z', t.organizationId);
    expect(read1.map((h) => [h.at, h.requests])).toEqual([
      ['2027-05-10T10:00:00.000Z', 10],
      ['2027-05-10T11:00:00.000Z', 1],
    ]);
    const dirty = await sql<{ level: string }>(
      `select level from usage_dirty where bucket = '2027-05-10T10:00:00Z'`,
    );
    expect(dirty).toEqual([{ level: 'hour' }]);
    await rollUpUsage(em());
    const hours = await stored('usage_hour', t.organizationId);
    expect(hours.map((h) => [h.app_id, h.requests])).toEqual([
      [t.appId, '7'],
      [t.otherAppId, '3'],
      [t.appId, '1'],
    ]);
    const [day] = await stored('usage_day', t.organizationId);
    expect(day?.requests).toBe('8');
    expect(
      await read(UsageGranularity.DAY, '2027-05-10Z', '2027-05-11Z', t.organizationId),
    ).toEqual([expect.objectContaining({ requests: 11, responses: 1 })]);
  });

  it('keep the usage of apps that are gone (no foreign key holds it)', async () => {
    const t = tenant();
    // No app, organization or product row exists for these ids at all.
    await writeMinutes(server, [row(t, '2027-06-01T00:00:00Z', 9)]);
    await rollUpUsage(em());
    expect((await stored('usage_day', t.organizationId))[0]?.requests).toBe('9');
  });

  it('drop whole partitions past retention, never minutes still to roll up', async () => {
    const t = tenant();
    await writeMinutes(server, [
      row(t, '2026-01-01T00:00:00Z', 1),
      row(t, '2026-01-05T12:00:00Z', 2),
      row(t, '2026-01-06T12:00:00Z', 4),
    ]);
    const now = new Date('2026-01-09T06:00:00Z');
    // Minutes of 2026-01-01 and 01-05 are past three days, but not rolled up yet: kept.
    await maintainUsagePartitions(em(), now, RETENTION);
    const minutes = async () =>
      (
        await sql<{ bucket: Date }>(
          'select bucket from usage_minute where organization_id = ? order by 1',
          [t.organizationId],
        )
      ).map((r) => new Date(r.bucket).toISOString());
    expect(await minutes()).toHaveLength(3);
    await rollUpUsage(em());
    const report = await maintainUsagePartitions(em(), now, RETENTION);
    expect(report.dropped).toEqual(
      expect.arrayContaining(['usage_minute_p20260101', 'usage_minute_p20260105']),
    );
    expect(report.dropped).not.toContain('usage_minute_p20260106');
    expect(await minutes()).toEqual(['2026-01-06T12:00:00.000Z']);
    // Hours and days stay, and the days still read whole.
    expect(
      await read(UsageGranularity.DAY, '2026-01-01Z', '2026-01-10Z', t.organizationId),
    ).toEqual([
      expect.objectContaining({ at: '2026-01-01T00:00:00.000Z', requests: 1 }),
      expect.objectContaining({ at: '2026-01-05T00:00:00.000Z', requests: 2 }),
      expect.objectContaining({ at: '2026-01-06T00:00:00.000Z', requests: 4 }),
    ]);
    // 90 days later the hours of January go too (a month partition at a time); days stay.
    const later = await maintainUsagePartitions(em(), new Date('2026-05-02T00:00:00Z'), RETENTION);
    expect(later.dropped).toContain('usage_hour_p202601');
    expect(await stored('usage_hour', t.organizationId)).toEqual([]);
    expect((await stored('usage_day', t.organizationId)).map((d) => d.requests)).toEqual([
      '1',
      '2',
      '4',
    ]);
  });
  it('keep each organization’s rows the sums of its apps’ rows: written, late, rolled up, moved and dropped', async () => {
    const t = tenant();
    const otherProduct = `${t.productId}b`;
    const environmentId = `env_${t.appId.slice(4)}`;
    await writeMinutes(server, [
      row(t, '2026-03-01T10:00:00Z', 3, [5, 900]),
      { ...row(t, '2026-03-01T10:00:00Z', 2, [12]), appId: t.otherAppId, errors: 1, units: 7 },
      { ...row(t, '2026-03-01T10:00:00Z', 1), productId: otherProduct, environmentId },
      { ...row(t, '2026-03-01T23:59:00Z', 4, [3_000]), credentialId: 'crd_one' },
      { ...row(t, '2026-03-01T23:59:00Z', 5), credentialId: 'crd_two' },
    ]);
    await expectOrganizationRowsAreSums(t.organizationId);
    const [minute] = (await organizationRowsAndSums('minute', t.organizationId)).rows;
    expect(minute).toMatchObject({ requests: '5', responses: '3', errors: '1', units: '7' });

    await rollUpUsage(em());
    // Late minutes, in an hour and a day already rolled up, read at once, rolled up again.
    await writeMinutes(server, [
      row(t, '2026-03-01T10:30:00Z', 6, [40]),
      { ...row(t, '2026-03-01T10:00:00Z', 1), appId: t.otherAppId },
    ]);
    await expectOrganizationRowsAreSums(t.organizationId);
    await rollUpUsage(em());
    await expectOrganizationRowsAreSums(t.organizationId);
    const hours = (await organizationRowsAndSums('hour', t.organizationId)).rows;
    expect(hours.map((h) => [h.product_id, h.environment_id, h.requests])).toEqual([
      [t.productId, '', '12'],
      [otherProduct, environmentId, '1'],
      [t.productId, '', '9'],
    ]);
    expect(
      await read(UsageGranularity.DAY, '2026-03-01Z', '2026-03-02Z', t.organizationId),
    ).toEqual([expect.objectContaining({ requests: 22, responses: 5 })]);

    // The partition job gives the organization tables the same partitions (the minutes'
    // with room for HOT updates), moves their rows out of the defaults and drops them alike.
    await maintainUsagePartitions(em(), new Date('2026-03-02T00:00:00Z'), {
      ...RETENTION,
      minuteDays: 3650,
    });
    for (const level of LEVELS) {
      expect(await partitionsOf(em(), `usage_org_${level}`), level).toEqual(
        await partitionsOf(em(), `usage_${level}`),
      );
    }
    const [options] = await sql<{ reloptions: string[] | null }>(
      `select reloptions from pg_class where relname = 'usage_org_minute_p20260301'`,
    );
    expect(options?.reloptions).toEqual([`fillfactor=${MINUTE_FILLFACTOR}`]);
    const [inDefault] = await sql<{ count: string }>(
      'select count(*)::text as count from usage_org_minute_default where organization_id = ?',
      [t.organizationId],
    );
    expect(inDefault?.count).toBe('0');
    await expectOrganizationRowsAreSums(t.organizationId);
    const report = await maintainUsagePartitions(em(), new Date('2026-03-09T00:00:00Z'), RETENTION);
    expect(report.dropped).toEqual(
      expect.arrayContaining(['usage_minute_p20260301', 'usage_org_minute_p20260301']),
    );
    await expectOrganizationRowsAreSums(t.organizationId);
    expect(
      await read(UsageGranularity.DAY, '2026-03-01Z', '2026-03-02Z', t.organizationId),
    ).toEqual([expect.objectContaining({ requests: 22, responses: 5 })]);
  });

  it('make the organization rows of per-app rows written straight into a table', async () => {
    const t = tenant();
    await sql(
      `insert into usage_day (bucket, organization_id, app_id, product_id, credential_id,
         environment_id, requests, responses, latency_histogram)
       values ('2025-07-01Z', ?, ?, ?, '', '', 5, 1, ?), ('2025-07-01Z', ?, ?, ?, '', '', 6, 0, ?)`,
      [
        t.organizationId,
        t.appId,
        t.productId,
        `{${[0, 1, ...new Array<number>(22).fill(0)].join(',')}}`,
        t.organizationId,
        t.otherAppId,
        t.productId,
        `{${new Array<number>(24).fill(0).join(',')}}`,
      ],
    );
    await summarizeOrganizations(
      em(),
      'day',
      new Date('2025-07-01T00:00:00Z'),
      new Date('2025-07-02T00:00:00Z'),
    );
    await expectOrganizationRowsAreSums(t.organizationId);
    expect(
      await read(UsageGranularity.DAY, '2025-07-01Z', '2025-07-02Z', t.organizationId),
    ).toEqual([expect.objectContaining({ requests: 11, responses: 1 })]);
  });
});
