/**
 * The latency histogram every usage row carries: counts of responses per response-time bucket,
 * with log-spaced bounds so that every bucket is 1.5 times as wide as the one before it.
 *
 * Bucket 0 holds times below 1 ms; bucket i (1 ≤ i ≤ 22) holds [1.5^(i-1), 1.5^i) ms; bucket 23
 * holds 1.5^22 ms (about 7.5 s) and more. A percentile is estimated as the geometric middle of
 * the bucket that holds it, clamped to the observed min and max: the exact value lies in the
 * same bucket, so the estimate is within a factor √1.5 of it (relative error ≤ 22.5 %) for times
 * of 1 ms to 7.5 s, within 0.5 ms below 1 ms, and between 7.5 s and the max above that.
 */

/** Growth factor of the bucket bounds. */
export const LATENCY_BUCKET_GROWTH = 1.5;

/** Upper bounds (exclusive, ms) of buckets 0 … 22; bucket 23 has none. */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = Array.from(
  { length: 23 },
  (_, i) => LATENCY_BUCKET_GROWTH ** i,
);

/** How many buckets a histogram has. */
export const LATENCY_BUCKETS = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** The largest relative error of a percentile between 1 ms and the last bound: √1.5 − 1. */
export const PERCENTILE_RELATIVE_ERROR = Math.sqrt(LATENCY_BUCKET_GROWTH) - 1;

const LOG_GROWTH = Math.log(LATENCY_BUCKET_GROWTH);

/** The bucket a response time falls in. */
export function latencyBucket(ms: number): number {
  if (!(ms >= 1)) return 0;
  const i = Math.floor(Math.log(ms) / LOG_GROWTH) + 1;
  // Guard the floating point edge: a bound itself belongs to the bucket above it.
  const bucket = Math.min(i, LATENCY_BUCKETS - 1);
  if (bucket > 0 && bucket < LATENCY_BUCKETS - 1 && ms >= LATENCY_BUCKET_BOUNDS_MS[bucket]!) {
    return bucket + 1;
  }
  if (bucket > 1 && ms < LATENCY_BUCKET_BOUNDS_MS[bucket - 1]!) return bucket - 1;
  return bucket;
}

export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKETS).fill(0);
}

/** Lower and upper bound (ms) of a bucket; the last one's upper bound is Infinity. */
export function bucketRange(bucket: number): [number, number] {
  const low = bucket === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[bucket - 1]!;
  const high = LATENCY_BUCKET_BOUNDS_MS[bucket] ?? Infinity;
  return [low, high];
}

/**
 * The `q`-quantile (0 < q ≤ 1, nearest rank) of the times counted in `histogram`, or null when
 * it counts none. `min` and `max` (the observed extremes, when known) bound the estimate.
 */
export function estimatePercentile(
  histogram: readonly number[],
  q: number,
  min: number | null = null,
  max: number | null = null,
): number | null {
  let total = 0;
  for (const count of histogram) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  let bucket = histogram.length - 1;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= rank) {
      bucket = i;
      break;
    }
  }
  const [low, high] = bucketRange(bucket);
  let estimate: number;
  if (bucket === 0) estimate = 0.5;
  else if (high === Infinity) estimate = max ?? low;
  else estimate = Math.sqrt(low * high);
  if (min !== null && estimate < min) estimate = min;
  if (max !== null && estimate > max) estimate = max;
  return estimate;
}

/** `sum(<column>[1]) … sum(<column>[24])` as SQL select items named h1 … h24. */
export function histogramSumsSql(column: string): string {
  return Array.from(
    { length: LATENCY_BUCKETS },
    (_, i) => `sum(${column}[${i + 1}])::float8 as h${i + 1}`,
  ).join(', ');
}

/** `array[sum(<column>[1]), …]::bigint[]`: the element-wise sum of histograms, in SQL. */
export function histogramSumArraySql(column: string): string {
  return `array[${Array.from(
    { length: LATENCY_BUCKETS },
    (_, i) => `coalesce(sum(${column}[${i + 1}]), 0)`,
  ).join(', ')}]::bigint[]`;
}

/** `array[a[1] + b[1], …]::bigint[]`: two histograms added, in SQL (for upserts). */
export function histogramAddSql(a: string, b: string): string {
  return `array[${Array.from(
    { length: LATENCY_BUCKETS },
    (_, i) => `coalesce(${a}[${i + 1}], 0) + coalesce(${b}[${i + 1}], 0)`,
  ).join(', ')}]::bigint[]`;
}

/** The histogram read back from the `h1 … h24` columns of `histogramSumsSql`. */
export function histogramFromRow(row: Record<string, unknown>): number[] {
  return Array.from({ length: LATENCY_BUCKETS }, (_, i) => Number(row[`h${i + 1}`] ?? 0));
}
