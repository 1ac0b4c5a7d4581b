import { describe, expect, it } from 'vitest';
import { DAY_MS } from './usage.periods.js';
import { projectMonth, weekdayFactors } from './usage.projection.js';
import { ProjectionConfidence } from './usage.types.js';

/** Days before `until` (oldest first) with `perDay(day)` each. */
function history(until: number, count: number, perDay: (at: number) => number) {
  return Array.from({ length: count }, (_, i) => {
    const at = until - (count - i) * DAY_MS;
    return { at, total: perDay(at) };
  });
}

const weekend = (at: number) => [0, 6].includes(new Date(at).getUTCDay());

describe('usage projection', () => {
  it('projects a steady rate to the end of the month and finds the day the cap is reached', () => {
    // 2027-03-16 12:00 UTC; 1,000 a day, every day.
    const now = Date.parse('2027-03-16T12:00:00Z');
    const todayStart = Date.parse('2027-03-16T00:00:00Z');
    const days = history(todayStart, 28, () => 1000);
    const usedInMonth = 15 * 1000 + 500;
    const projection = projectMonth({
      days,
      usedInMonth,
      today: 500,
      now,
      monthStart: Date.parse('2027-03-01Z'),
      monthEnd: Date.parse('2027-04-01Z'),
      cap: 25_000,
    });
    expect(projection.projectedTotal).toBe(31_000);
    // 25,000 is reached 9,500 after now at 1,000 a day: 9.5 days later.
    expect(projection.capReachedAt?.toISOString()).toBe('2027-03-26T00:00:00.000Z');
    expect(projection.confidence).toBe(ProjectionConfidence.HIGH);
  });

  it('follows the weekly rhythm: weekends count at their own rate', () => {
    const perDay = (at: number) => (weekend(at) ? 200 : 1200);
    const factors = weekdayFactors(history(Date.parse('2027-03-15Z'), 28, perDay));
    expect(factors[0]).toBeCloseTo(200 / ((5 * 1200 + 2 * 200) / 7), 5);
    expect(factors[3]).toBeCloseTo(1200 / ((5 * 1200 + 2 * 200) / 7), 5);

    // Monday 2027-03-15 00:00: the rest of March is 13 weekdays and 4 weekend days… counted
    // exactly from the calendar.
    const now = Date.parse('2027-03-15T00:00:00Z');
    const days = history(now, 28, perDay);
    let expected = 0;
    for (let at = now; at < Date.parse('2027-04-01Z'); at += DAY_MS) expected += perDay(at);
    const used = 14 * 1000;
    const projection = projectMonth({
      days,
      usedInMonth: used,
      today: 0,
      now,
      monthStart: Date.parse('2027-03-01Z'),
      monthEnd: Date.parse('2027-04-01Z'),
      cap: null,
    });
    expect(projection.projectedTotal).toBe(used + expected);
    expect(projection.capReachedAt).toBeNull();
    expect(projection.confidence).toBe(ProjectionConfidence.HIGH);
  });

  it('weighs recent days most: a rate that doubled last week projects near the new rate', () => {
    const now = Date.parse('2027-03-20T00:00:00Z');
    const days = history(now, 28, (at) => (at >= now - 7 * DAY_MS ? 2000 : 1000));
    const projection = projectMonth({
      days,
      usedInMonth: 20_000,
      today: 0,
      now,
      monthStart: Date.parse('2027-03-01Z'),
      monthEnd: Date.parse('2027-04-01Z'),
      cap: 30_000,
    });
    expect(projection.dailyRate).toBeGreaterThan(1800);
    // At about 2,000 a day from the 20th, 30,000 is reached on the 25th.
    expect(projection.capReachedAt?.toISOString().slice(0, 10)).toBe('2027-03-25');
    // A level that moved is not a steady history.
    expect(projection.confidence).not.toBe(ProjectionConfidence.HIGH);
  });

  it('says when a cap was already reached, and trusts little with little history', () => {
    const now = Date.parse('2027-03-05T12:00:00Z');
    const days = history(Date.parse('2027-03-05Z'), 3, () => 4000);
    const projection = projectMonth({
      days,
      usedInMonth: 14_000,
      today: 2000,
      now,
      monthStart: Date.parse('2027-03-01Z'),
      monthEnd: Date.parse('2027-04-01Z'),
      cap: 10_000,
    });
    // 4,000 on each of the 2nd, 3rd and 4th: 10,000 is crossed half-way through the 4th.
    expect(projection.capReachedAt?.toISOString()).toBe('2027-03-04T12:00:00.000Z');
    expect(projection.confidence).toBe(ProjectionConfidence.LOW);
  });
});
