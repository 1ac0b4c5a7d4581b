import { DAY_MS } from './usage.periods.js';
import { ProjectionConfidence } from './usage.types.js';

/**
 * Projects a month's total from daily history, with a weekly rhythm.
 *
 * 1. Weekday factors: with at least 14 complete days of history, each weekday's factor is the
 *    mean of that weekday's days over the mean of all days (the last 28 days at most); else 1.
 * 2. The base daily rate: the complete days of the last 7, each divided by its weekday factor,
 *    averaged with weights halving every 3 days back (so recent days count most), blended
 *    with today's rate so far (also de-seasonalised) in proportion to how much of today has
 *    passed (at most half).
 * 3. The rest of the month: today's remaining fraction and every later day, each at the base
 *    rate times its weekday factor. The cap date is found walking that forecast forward (within
 *    a day, linearly).
 * 4. Confidence: the coefficient of variation of the de-seasonalised days: HIGH with 14 days or
 *    more and CV ≤ 0.25, MEDIUM with 7 or more and CV ≤ 0.5, LOW otherwise.
 */
export interface ProjectionInput {
  /** Complete days before today (oldest first), each with its start (UTC) and total. */
  days: { at: number; total: number }[];
  /** Used in the month so far, today included. */
  usedInMonth: number;
  /** Used today so far. */
  today: number;
  now: number;
  /** First instant of the month (UTC) and of the next one. */
  monthStart: number;
  monthEnd: number;
  cap: number | null;
}

export interface Projection {
  projectedTotal: number;
  capReachedAt: Date | null;
  confidence: ProjectionConfidence;
  /** The base daily rate (de-seasonalised), for tests and explanations. */
  dailyRate: number;
}

const weekday = (at: number) => new Date(at).getUTCDay();

export function weekdayFactors(days: { at: number; total: number }[]): number[] {
  const recent = days.slice(-28);
  const factors = new Array<number>(7).fill(1);
  if (recent.length < 14) return factors;
  const mean = recent.reduce((sum, d) => sum + d.total, 0) / recent.length;
  if (mean <= 0) return factors;
  for (let w = 0; w < 7; w++) {
    const of = recent.filter((d) => weekday(d.at) === w);
    if (of.length === 0) continue;
    const factor = of.reduce((sum, d) => sum + d.total, 0) / of.length / mean;
    // A weekday with no traffic at all would make the base rate infinite: keep it small instead.
    factors[w] = Math.max(factor, 0.05);
  }
  return factors;
}

export function projectMonth(input: ProjectionInput): Projection {
  const { days, now, monthEnd, cap } = input;
  const factors = weekdayFactors(days);
  const todayStart = now - (now % DAY_MS);
  const last7 = days.slice(-7);
  let weighted = 0;
  let weights = 0;
  last7.forEach((d, i) => {
    const age = last7.length - 1 - i;
    const weight = 0.5 ** (age / 3);
    weighted += (d.total / factors[weekday(d.at)]!) * weight;
    weights += weight;
  });
  const elapsedToday = Math.min(1, Math.max(0, (now - todayStart) / DAY_MS));
  const todayRate =
    elapsedToday > 0 ? input.today / elapsedToday / factors[weekday(todayStart)]! : 0;
  let rate: number;
  if (weights > 0) {
    const todayWeight = Math.min(0.5, elapsedToday);
    rate = (weighted / weights) * (1 - todayWeight) + todayRate * todayWeight;
  } else {
    rate = todayRate;
  }

  // Walk the rest of the month forward, a day (or the rest of today) at a time.
  let total = input.usedInMonth;
  let capReachedAt: Date | null = null;
  if (cap !== null && total >= cap) capReachedAt = reachedAt(input, days, cap);
  let start = now;
  while (start < monthEnd) {
    const dayStart = start - (start % DAY_MS);
    const end = Math.min(dayStart + DAY_MS, monthEnd);
    const expected = (rate * factors[weekday(dayStart)]! * (end - start)) / DAY_MS;
    if (cap !== null && capReachedAt === null && expected > 0 && total + expected >= cap) {
      capReachedAt = new Date(start + ((cap - total) / expected) * (end - start));
    }
    total += expected;
    start = end;
  }

  const values = days.slice(-28).map((d) => d.total / factors[weekday(d.at)]!);
  let confidence = ProjectionConfidence.LOW;
  if (values.length >= 7) {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    const cv = mean > 0 ? Math.sqrt(variance) / mean : Infinity;
    if (values.length >= 14 && cv <= 0.25) confidence = ProjectionConfidence.HIGH;
    else if (cv <= 0.5) confidence = ProjectionConfidence.MEDIUM;
  }
  return { projectedTotal: Math.round(total), capReachedAt, confidence, dailyRate: rate };
}

/** When a cap already passed was reached: within the day it was crossed, linearly. */
function reachedAt(
  input: ProjectionInput,
  days: { at: number; total: number }[],
  cap: number,
): Date {
  const inMonth = days.filter((d) => d.at >= input.monthStart);
  let total = 0;
  for (const day of inMonth) {
    if (total + day.total >= cap) {
      return new Date(day.at + ((cap - total) / day.total) * DAY_MS);
    }
    total += day.total;
  }
  // Crossed today.
  const todayStart = input.now - (input.now % DAY_MS);
  const share = input.today > 0 ? (cap - total) / input.today : 1;
  return new Date(todayStart + Math.max(0, Math.min(1, share)) * (input.now - todayStart));
}
