import { describe, expect, it } from 'vitest';
import {
  dateInputToIso,
  deprecationNotice,
  sparklinePoints,
  stars,
  weekTrend,
} from './catalogueFormat';

describe('catalogue formatting', () => {
  it('reads a date input as midnight UTC', () => {
    expect(dateInputToIso('2026-12-31')).toBe('2026-12-31T00:00:00.000Z');
    expect(dateInputToIso('')).toBeNull();
    expect(dateInputToIso('31/12/2026')).toBeNull();
  });

  it('describes a two-week trend', () => {
    expect(weekTrend(0, 0)).toEqual({ label: 'flat', color: 'gray' });
    expect(weekTrend(5, 0)).toEqual({ label: 'new', color: 'orange' });
    expect(weekTrend(150, 100)).toEqual({ label: '+50 %', color: 'red' });
    expect(weekTrend(60, 100)).toEqual({ label: '−40 %', color: 'teal' });
  });

  it('draws a rating as stars', () => {
    expect(stars(4)).toBe('★★★★☆');
    expect(stars(9)).toBe('★★★★★');
  });

  it('draws a sparkline from the bottom of its box', () => {
    expect(sparklinePoints([0, 5, 10], 100, 20)).toBe('0,20 50,10 100,0');
    expect(sparklinePoints([0, 0], 10, 4)).toBe('0,4 10,4');
    expect(sparklinePoints([], 10, 4)).toBe('');
  });

  it('writes a deprecation notice with the sunset date', () => {
    expect(
      deprecationNotice('Search v1', { title: 'Use Search v2', sunsetAt: '2027-03-01T00:00:00Z' }),
    ).toBe(
      "Your app still calls Search v1, which is deprecated (Use Search v2). It stops answering on 1 March 2027. Please move to its replacement: see the migration guide in the product's documentation.",
    );
    expect(deprecationNotice('X', null)).toContain('calls X, which is deprecated.');
  });
});
