import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/seeded-random.js';
import {
  emptyHistogram,
  estimatePercentile,
  LATENCY_BUCKET_BOUNDS_MS,
  LATENCY_BUCKETS,
  latencyBucket,
  PERCENTILE_RELATIVE_ERROR,
} from './usage.histogram.js';

/** The exact nearest-rank percentile. */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

const DATA_SETS: [string, (r: () => number) => number][] = [
  ['uniform 1–1000 ms', (r) => 1 + r() * 999],
  [
    'log-normal around 80 ms',
    (r) =>
      Math.exp(
        Math.log(80) + 0.8 * Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r()),
      ),
  ],
  ['fast with a slow tail', (r) => (r() < 0.97 ? 5 + r() * 20 : 800 + r() * 4000)],
  ['bimodal', (r) => (r() < 0.5 ? 12 + r() * 3 : 240 + r() * 60)],
];

describe('latency histogram', () => {
  it('has 24 log-spaced buckets, each bound in the bucket above it', () => {
    expect(LATENCY_BUCKETS).toBe(24);
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(0.99)).toBe(0);
    LATENCY_BUCKET_BOUNDS_MS.forEach((bound, i) => {
      expect(latencyBucket(bound)).toBe(i + 1);
      expect(latencyBucket(bound * 0.999)).toBe(i);
    });
    expect(latencyBucket(3_600_000)).toBe(23);
  });

  it.each(DATA_SETS)('estimates p50, p95 and p99 within the stated bound: %s', (_, draw) => {
    const r = seededRandom(42);
    const values = Array.from({ length: 20_000 }, () => Math.min(3_600_000, draw(r)));
    const histogram = emptyHistogram();
    for (const v of values) histogram[latencyBucket(v)]! += 1;
    const min = Math.min(...values);
    const max = Math.max(...values);
    for (const q of [0.5, 0.95, 0.99]) {
      const truth = exact(values, q);
      const estimate = estimatePercentile(histogram, q, min, max)!;
      if (truth >= 1 && truth < LATENCY_BUCKET_BOUNDS_MS.at(-1)!) {
        expect(Math.abs(estimate - truth) / truth, `q=${q} truth=${truth}`).toBeLessThanOrEqual(
          PERCENTILE_RELATIVE_ERROR + 1e-9,
        );
      }
    }
  });

  it('answers null without responses, and stays within min and max', () => {
    expect(estimatePercentile(emptyHistogram(), 0.5)).toBeNull();
    const histogram = emptyHistogram();
    histogram[latencyBucket(100)] = 3;
    expect(estimatePercentile(histogram, 0.99, 100, 100)).toBe(100);
  });
});
