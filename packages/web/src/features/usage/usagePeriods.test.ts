import { describe, expect, it } from 'vitest';
import {
  monthKey,
  monthLabel,
  parsePeriod,
  periodGranularity,
  periodLabel,
  periodOptions,
  periodValue,
  type UsagePeriod,
} from './usagePeriods';

const now = new Date('2026-11-30T07:15:42Z');

describe('period labels', () => {
  it('names the rolling periods and past months plainly', () => {
    expect(periodLabel({ kind: 'CURRENT_MONTH' })).toBe('Current month');
    expect(periodLabel({ kind: 'LAST_30_DAYS' })).toBe('Last 30 days');
    expect(periodLabel({ kind: 'LAST_120_DAYS' })).toBe('Last 120 days');
    expect(periodLabel({ kind: 'LAST_24_HOURS' })).toBe('Last 24 hours');
    expect(periodLabel({ kind: 'LAST_120_MINUTES' })).toBe('Last 120 minutes');
    expect(periodLabel({ kind: 'MONTH', month: '2026-10' })).toBe('October 2026');
    expect(monthLabel('2025-01')).toBe('January 2025');
  });

  it('offers the rolling periods, then the past twelve months newest first', () => {
    const [recent, past] = periodOptions(now);
    expect(recent?.items.map((item) => item.label)).toEqual([
      'Current month',
      'Last 30 days',
      'Last 120 days',
      'Last 24 hours',
      'Last 120 minutes',
    ]);
    expect(past?.items).toHaveLength(12);
    expect(past?.items[0]).toEqual({ value: '2026-10', label: 'October 2026' });
    expect(past?.items[11]).toEqual({ value: '2025-11', label: 'November 2025' });
  });

  it('counts months in UTC across a year end', () => {
    expect(monthKey(new Date('2027-01-01T00:30:00Z'), 1)).toBe('2026-12');
    expect(monthKey(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12');
  });
});

describe('period values', () => {
  it('round-trips every period through the URL', () => {
    const periods: UsagePeriod[] = [
      { kind: 'CURRENT_MONTH' },
      { kind: 'LAST_30_DAYS' },
      { kind: 'LAST_120_DAYS' },
      { kind: 'LAST_24_HOURS' },
      { kind: 'LAST_120_MINUTES' },
      { kind: 'MONTH', month: '2026-03' },
    ];
    for (const period of periods) expect(parsePeriod(periodValue(period))).toEqual(period);
  });

  it('falls back to the current month for anything else', () => {
    for (const value of [null, '', 'yesterday', '2026-13', '2026-1', '../x']) {
      expect(parsePeriod(value)).toEqual({ kind: 'CURRENT_MONTH' });
    }
  });
});

describe('granularity', () => {
  it('charts minutes for two hours, hours for a day and days otherwise', () => {
    expect(periodGranularity({ kind: 'LAST_120_MINUTES' })).toBe('MINUTE');
    expect(periodGranularity({ kind: 'LAST_24_HOURS' })).toBe('HOUR');
    expect(periodGranularity({ kind: 'LAST_30_DAYS' })).toBe('DAY');
    expect(periodGranularity({ kind: 'MONTH', month: '2026-01' })).toBe('DAY');
  });
});
