import { badInput } from '../../errors.js';
import { UsageGranularity, UsagePeriod } from './usage.types.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface UsageWindow {
  from: Date;
  to: Date;
  granularity: UsageGranularity;
  /** The billing month the window belongs to (its first instant). */
  billingMonth: Date;
}

export function monthStartOf(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextMonthOf(month: Date): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
}

/** "YYYY-MM" of a month (UTC). */
export function monthLabel(month: Date): string {
  return `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Start of the bucket of `at`: a minute, hour or day (UTC). */
export function truncate(at: number, granularity: UsageGranularity): number {
  const size = bucketMs(granularity);
  return at - (((at % size) + size) % size);
}

export function bucketMs(granularity: UsageGranularity): number {
  if (granularity === UsageGranularity.MINUTE) return MINUTE_MS;
  if (granularity === UsageGranularity.HOUR) return HOUR_MS;
  return DAY_MS;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * The window of a period at `now`, in UTC. Rolling windows end at the end of the current
 * bucket; MONTH needs `month` ("YYYY-MM", not in the future).
 */
export function usageWindow(
  period: UsagePeriod,
  month: string | null | undefined,
  now: Date,
): UsageWindow {
  const t = now.getTime();
  const currentMonth = monthStartOf(now);
  const rolling = (granularity: UsageGranularity, buckets: number): UsageWindow => {
    const size = bucketMs(granularity);
    const end = truncate(t, granularity) + size;
    return {
      from: new Date(end - buckets * size),
      to: new Date(end),
      granularity,
      billingMonth: currentMonth,
    };
  };
  switch (period) {
    case UsagePeriod.LAST_120_MINUTES:
      return rolling(UsageGranularity.MINUTE, 120);
    case UsagePeriod.LAST_24_HOURS:
      return rolling(UsageGranularity.HOUR, 24);
    case UsagePeriod.LAST_30_DAYS:
      return rolling(UsageGranularity.DAY, 30);
    case UsagePeriod.LAST_120_DAYS:
      return rolling(UsageGranularity.DAY, 120);
    case UsagePeriod.CURRENT_MONTH:
      return {
        from: currentMonth,
        to: nextMonthOf(currentMonth),
        granularity: UsageGranularity.DAY,
        billingMonth: currentMonth,
      };
    case UsagePeriod.MONTH: {
      const match = month ? MONTH.exec(month.trim()) : null;
      if (!match) throw badInput('month', 'Give the month as "YYYY-MM" for period MONTH.');
      const from = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
      if (from.getTime() > currentMonth.getTime()) {
        throw badInput('month', 'The month cannot be in the future.');
      }
      return { from, to: nextMonthOf(from), granularity: UsageGranularity.DAY, billingMonth: from };
    }
  }
}
