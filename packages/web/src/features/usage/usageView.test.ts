import { describe, expect, it } from 'vitest';
import { capColor, capShare, EMPTY_FIGURES, hasTraffic } from './usageView';

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
