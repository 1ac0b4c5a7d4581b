import { describe, expect, it } from 'vitest';
import {
  formatBucket,
  formatCompact,
  formatCount,
  formatMs,
  formatMsList,
  formatPercent,
  formatRange,
  formatTick,
  formatUtcDate,
} from './usageFormat';

describe('figures', () => {
  it('groups whole counts and shortens them for axes', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(null)).toBe('—');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(15_000)).toBe('15K');
    expect(formatCompact(1_250_000)).toBe('1.3M');
  });

  it('writes response times in ms, or s from a second', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(0.04)).toBe('0.1 ms');
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(3)).toBe('3 ms');
    expect(formatMs(3.25)).toBe('3.3 ms');
    expect(formatMs(12.6)).toBe('13 ms');
    expect(formatMs(1250)).toBe('1.25 s');
    expect(formatMs(12_500)).toBe('12.5 s');
    expect(formatMs(1000)).toBe('1 s');
    expect(formatMs(20_000)).toBe('20 s');
    expect(formatMs(null)).toBe('—');
    expect(formatMsList([5.2, 60.4, 761])).toBe('5.2 / 60 / 761 ms');
    expect(formatMsList([48, 1250, 3100])).toBe('48 ms / 1.25 s / 3.1 s');
    expect(formatMsList([null, null])).toBe('—');
  });

  it('writes shares as percentages ', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(1.5)).toBe('150%');
    expect(formatPercent(0.0004)).toBe('<0.1%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('times, all in UTC', () => {
  it('labels axis ticks by the width of a bucket', () => {
    expect(formatTick('2026-11-29T14:05:00Z', 'MINUTE')).toBe('14:05');
    expect(formatTick('2026-11-29T00:00:00Z', 'HOUR')).toBe('00:00');
    expect(formatTick('2026-11-29T00:00:00Z', 'DAY')).toBe('Nov 29');
  });

  it('names a bucket in full in tooltips', () => {
    expect(formatBucket('2026-11-29T14:05:00Z', 'MINUTE')).toBe('Nov 29, 14:05 UTC');
    expect(formatBucket('2026-11-29T00:00:00Z', 'DAY')).toBe('Sun, Nov 29, 2026');
    expect(formatUtcDate('2026-12-18T23:30:00Z')).toBe('Dec 18, 2026');
  });

  it('describes the range a chart covers', () => {
    expect(formatRange('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', 'DAY')).toBe(
      'Nov 1 – Nov 30, 2026 (UTC)',
    );
    expect(formatRange('2025-12-01T00:00:00Z', '2026-01-01T00:00:00Z', 'DAY')).toBe(
      'Dec 1 – Dec 31, 2025 (UTC)',
    );
    expect(formatRange('2026-11-30T05:16:00Z', '2026-11-30T07:16:00Z', 'MINUTE')).toBe(
      'Nov 30, 05:16 – 07:15 UTC',
    );
    expect(formatRange('2026-11-29T08:00:00Z', '2026-11-30T08:00:00Z', 'HOUR')).toBe(
      'Nov 29, 08:00 – Nov 30, 07:59 UTC',
    );
  });
});
