import { emptyHistogram, latencyBucket } from '../src/modules/usage/usage.histogram.js';
import type { TestServer } from './harness.js';

export interface UsageRowInput {
  bucket: Date | string;
  organizationId: string;
  appId: string;
  productId: string;
  credentialId?: string;
  environmentId?: string;
  requests?: number;
  /** Response times (ms) of the responses; errors counts how many of them failed. */
  responseTimes?: number[];
  errors?: number;
  units?: number;
}

/**
 * Writes minute rows as the gateway does (adding to a row that exists) and marks their hours
 * dirty, for the rollups; one statement for every row.
 */
export async function writeMinutes(server: TestServer, rows: UsageRowInput[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((row) => {
    const times = row.responseTimes ?? [];
    const histogram = emptyHistogram();
    for (const t of times) histogram[latencyBucket(t)]! += 1;
    return {
      bucket: new Date(row.bucket).toISOString(),
      org: row.organizationId,
      app: row.appId,
      product: row.productId,
      credential: row.credentialId ?? '',
      environment: row.environmentId ?? '',
      requests: row.requests ?? 0,
      responses: times.length,
      errors: row.errors ?? 0,
      units: row.units ?? 0,
      min: times.length ? Math.min(...times) : null,
      max: times.length ? Math.max(...times) : null,
      sum: times.reduce((a, b) => a + b, 0),
      histogram: `{${histogram.join(',')}}`,
    };
  });
  await server.orm.em
    .fork()
    .getConnection()
    .execute(
      `with written as (
         insert into usage_minute as u (bucket, organization_id, app_id, product_id, credential_id,
           environment_id, requests, responses, errors, units, response_time_min, response_time_max,
           response_time_sum, latency_histogram)
         select (v->>'bucket')::timestamptz, v->>'org', v->>'app', v->>'product', v->>'credential',
           v->>'environment', (v->>'requests')::bigint, (v->>'responses')::bigint,
           (v->>'errors')::bigint, (v->>'units')::bigint, (v->>'min')::float8, (v->>'max')::float8,
           (v->>'sum')::float8, (v->>'histogram')::bigint[]
         from jsonb_array_elements(?::jsonb) v
         on conflict (bucket, app_id, product_id, credential_id, environment_id) do update set
           requests = u.requests + excluded.requests, responses = u.responses + excluded.responses,
           errors = u.errors + excluded.errors, units = u.units + excluded.units,
           response_time_min = least(u.response_time_min, excluded.response_time_min),
           response_time_max = greatest(u.response_time_max, excluded.response_time_max),
           response_time_sum = u.response_time_sum + excluded.response_time_sum,
           latency_histogram = (select array_agg(coalesce(a, 0) + coalesce(b, 0) order by i)
             from unnest(u.latency_histogram, excluded.latency_histogram) with ordinality t(a, b, i))
         returning bucket)
       insert into usage_dirty (level, bucket, version)
       select distinct 'hour', date_trunc('hour', bucket, 'UTC'), pg_current_xact_id()::text::bigint
       from written
       on conflict (level, bucket) do update set version = excluded.version`,
      [JSON.stringify(values)],
    );
}

export const USAGE_FIELDS = `requests responses units errors errorRate responseTimeMin
  responseTimeAvg responseTimeMax responseTimeP50 responseTimeP95 responseTimeP99`;

export interface UsageStatsFields {
  requests: number;
  responses: number;
  units: number;
  errors: number;
  errorRate: number;
  responseTimeMin: number | null;
  responseTimeAvg: number | null;
  responseTimeMax: number | null;
  responseTimeP50: number | null;
  responseTimeP95: number | null;
  responseTimeP99: number | null;
}
