import { afterAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase } from '../../../test/harness.js';
import { initOrm } from '../../database.js';

const HISTOGRAM = (hits: number[]) =>
  `{${Array.from({ length: 24 }, (_, i) => hits[i] ?? 0).join(',')}}`;

let orm: MikroORM | null = null;

afterAll(async () => {
  await orm?.close(true);
});

describe('usage per organization (migration)', () => {
  it('gives the usage already stored its organization rows, and the same partitions', async () => {
    orm = await initOrm({ clientUrl: await createTestDatabase({ empty: true }) });
    await orm.getMigrator().up({ to: 'Migration20261201070000' });
    const sql = <T>(query: string, params: unknown[] = []) =>
      orm!.em.fork().getConnection().execute<T[]>(query, params);
    await sql(
      `create table usage_minute_p20260401 partition of usage_minute
       for values from ('2026-04-01T00:00:00Z') to ('2026-04-02T00:00:00Z')`,
    );
    const insert = `(bucket, organization_id, app_id, product_id, credential_id, environment_id,
      requests, responses, errors, units, response_time_min, response_time_max, response_time_sum,
      latency_histogram)`;
    await sql(
      `insert into usage_minute ${insert} values
         ('2026-04-01T10:00Z', 'org_m', 'app_m1', 'prd_m', 'crd_m1', '', 3, 2, 1, 4, 5, 60, 65, ?),
         ('2026-04-01T10:00Z', 'org_m', 'app_m2', 'prd_m', '', '', 1, 1, 0, 0, 2, 2, 2, ?),
         ('2026-04-01T10:00Z', 'org_m', 'app_m1', 'prd_m', 'crd_m1', 'env_m', 7, 0, 0, 0, null, null, 0, ?)`,
      [HISTOGRAM([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]), HISTOGRAM([0, 0, 1]), HISTOGRAM([])],
    );
    await sql(
      `insert into usage_hour ${insert} values
         ('2026-03-31T09:00Z', 'org_m', 'app_m1', 'prd_m', '', '', 10, 4, 0, 0, 1, 9, 20, ?),
         ('2026-03-31T09:00Z', 'org_m', 'app_m2', 'prd_m', '', '', 5, 1, 1, 3, 30, 30, 30, ?)`,
      [HISTOGRAM([1, 2, 1]), HISTOGRAM([0, 0, 0, 0, 0, 0, 0, 0, 0, 1])],
    );
    await sql(
      `insert into usage_day ${insert} values
         ('2025-12-01Z', 'org_m', 'app_m1', 'prd_m', '', '', 100, 0, 0, 0, null, null, 0, ?),
         ('2025-12-01Z', 'org_n', 'app_n1', 'prd_m', '', '', 1, 0, 0, 0, null, null, 0, ?)`,
      [HISTOGRAM([]), HISTOGRAM([])],
    );

    await orm.getMigrator().up();

    const rows = (level: string) =>
      sql<Record<string, unknown>>(
        `select organization_id, to_char(bucket at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as bucket,
           product_id, environment_id, requests::text,
           responses::text, errors::text, units::text, response_time_min, response_time_max,
           response_time_sum, latency_histogram::text
         from usage_org_${level} order by 1, 2, 3, 4`,
      );
    expect(await rows('minute')).toEqual([
      {
        organization_id: 'org_m',
        bucket: '2026-04-01T10:00',
        product_id: 'prd_m',
        environment_id: '',
        requests: '4',
        responses: '3',
        errors: '1',
        units: '4',
        response_time_min: 2,
        response_time_max: 60,
        response_time_sum: 67,
        latency_histogram: HISTOGRAM([0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1]),
      },
      expect.objectContaining({ environment_id: 'env_m', requests: '7', responses: '0' }),
    ]);
    expect(await rows('hour')).toEqual([
      expect.objectContaining({
        requests: '15',
        responses: '5',
        errors: '1',
        units: '3',
        response_time_min: 1,
        response_time_max: 30,
        latency_histogram: HISTOGRAM([1, 2, 1, 0, 0, 0, 0, 0, 0, 1]),
      }),
    ]);
    expect((await rows('day')).map((r) => [r.organization_id, r.requests])).toEqual([
      ['org_m', '100'],
      ['org_n', '1'],
    ]);
    // The minutes' partition has its twin, both with room for HOT updates.
    const options = await sql<{ relname: string; reloptions: string[] | null }>(
      `select relname, reloptions from pg_class
       where relname in ('usage_minute_p20260401', 'usage_org_minute_p20260401') order by 1`,
    );
    expect(options).toEqual([
      { relname: 'usage_minute_p20260401', reloptions: ['fillfactor=50'] },
      { relname: 'usage_org_minute_p20260401', reloptions: ['fillfactor=50'] },
    ]);
  });
});
