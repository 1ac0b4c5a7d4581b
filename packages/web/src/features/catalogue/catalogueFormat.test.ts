import { describe, expect, it } from 'vitest';
import {
  capShare,
  dateInputToIso,
  describeCap,
  describeRateLimit,
  slugFromTitle,
  stars,
  weekTrend,
} from './catalogueFormat';

describe('catalogue formatting', () => {
  it('reads a date input as midnight UTC', () => {
    expect(dateInputToIso('2026-12-31')).toBe('2026-12-31T00:00:00.000Z');
    expect(dateInputToIso('')).toBeNull();
    expect(dateInputToIso('31/12/2026')).toBeNull();
  });

  it('says rate limits and caps as people do', () => {
    expect(describeRateLimit(100, 60)).toBe('100 requests / minute');
    expect(describeRateLimit(1500, 900)).toBe('1,500 requests / 15 minutes');
    expect(describeRateLimit(10, 1)).toBe('10 requests / second');
    expect(describeRateLimit(5000, 86_400)).toBe('5,000 requests / day');
    expect(describeRateLimit(null, null)).toBe('No rate limit');
    expect(describeCap(1_000_000, 'requests')).toBe('1,000,000 requests / month');
    expect(describeCap(null, 'units')).toBe('Unlimited');
  });

  it('measures the share of a cap', () => {
    expect(capShare(250, 1000)).toBe(25);
    expect(capShare(1, 3)).toBe(33.3);
    expect(capShare(5000, 1000)).toBe(100);
    expect(capShare(10, null)).toBeNull();
  });

  it('describes a two-week trend', () => {
    expect(weekTrend(0, 0)).toEqual({ label: 'flat', color: 'gray' });
    expect(weekTrend(5, 0)).toEqual({ label: 'new', color: 'orange' });
    expect(weekTrend(150, 100)).toEqual({ label: '+50 %', color: 'red' });
    expect(weekTrend(60, 100)).toEqual({ label: '−40 %', color: 'teal' });
  });

  it('makes slugs and stars', () => {
    expect(slugFromTitle('  Quick start: Élan v2!  ')).toBe('quick-start-elan-v2');
    expect(stars(4)).toBe('★★★★☆');
    expect(stars(9)).toBe('★★★★★');
  });
});
