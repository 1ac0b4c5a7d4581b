import type { Env } from '../../env.js';
import { DAY_MS, HOUR_MS } from './usage.periods.js';

/** How long each usage table keeps its rows; null keeps them forever. */
export interface UsageRetention {
  minuteDays: number;
  hourDays: number | null;
  dayDays: number | null;
}

export function usageRetention(
  env: Pick<
    Env,
    'USAGE_MINUTE_RETENTION_DAYS' | 'USAGE_HOUR_RETENTION_DAYS' | 'USAGE_DAY_RETENTION_DAYS'
  >,
): UsageRetention {
  return {
    minuteDays: env.USAGE_MINUTE_RETENTION_DAYS,
    hourDays: env.USAGE_HOUR_RETENTION_DAYS || null,
    dayDays: env.USAGE_DAY_RETENTION_DAYS || null,
  };
}

/** The most a gateway may report late: seven days, or an hour less than the minutes are kept. */
export function lateEventWindowMs(retention: Pick<UsageRetention, 'minuteDays'>): number {
  return Math.min(7 * DAY_MS, retention.minuteDays * DAY_MS - HOUR_MS);
}
