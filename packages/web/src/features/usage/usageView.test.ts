import { describe, expect, it } from 'vitest';
import { capColor, capShare, EMPTY_FIGURES, fillBuckets, hasTraffic } from './usageView';

describe('fillBuckets', () => {
  it('gives every bucket of the range, zero where nothing was recorded', () => {
    const filled = fillBuckets('2026-11-30T05:00:00Z', '2026-11-30T05:04:00Z', 'MINUTE', [
      { ...EMPTY_FIGURES, time: '2026-11-30T05:02:00.000Z', requests: 7 },
    ]);
    expect(filled.map((point) => [point.time.slice(11, 16), point.requests])).toEqual([
      ['05:00', 0],
      ['05:01', 0],
      ['05:02', 7],
      ['05:03', 0],
    ]);
  });

  it('buckets by UTC day', () => {
    const filled = fillBuckets('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', 'DAY', []);
    expect(filled).toHaveLength(30);
    expect(filled[29]?.time).toBe('2026-11-30T00:00:00.000Z');
  });
});

describe('caps', () => {
  it('computes the share used and colours it at the alert thresholds', () => {
    expect(capShare({ used: 50, cap: 200 })).toBe(0.25);
    expect(capShare({ used: 5, cap: null })).toBeNull();
    expect(capShare({ used: 5, cap: 0 })).toBe(1);
    expect([0.1, 0.5, 0.8, 1, 1.4, null].map(capColor)).toEqual([
      'teal',
      'yellow',
      'orange',
      'red',
      'red',
      'gray',
    ]);
  });

  it('knows a period without traffic', () => {
    expect(hasTraffic({ totals: EMPTY_FIGURES })).toBe(false);
    expect(hasTraffic({ totals: { ...EMPTY_FIGURES, errors: 1 } })).toBe(true);
  });
});
