/**
 * The periods a usage page can show, as the period menu and the URL (`?period=`) name them.
 * Every period is in UTC: a month starts at 00:00 UTC on its first day.
 */
export type UsagePeriod =
  | { kind: 'CURRENT_MONTH' }
  | { kind: 'LAST_30_DAYS' }
  | { kind: 'LAST_120_DAYS' }
  | { kind: 'LAST_24_HOURS' }
  | { kind: 'LAST_120_MINUTES' }
  /** A past calendar month, `YYYY-MM`. */
  | { kind: 'MONTH'; month: string };

/** The width of one point of a chart. */
export type Granularity = 'MINUTE' | 'HOUR' | 'DAY';

export const DEFAULT_PERIOD: UsagePeriod = { kind: 'CURRENT_MONTH' };

/** How many past months the menu offers. */
export const PAST_MONTHS = 12;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

const fixedValues = {
  CURRENT_MONTH: 'current-month',
  LAST_30_DAYS: 'last-30-days',
  LAST_120_DAYS: 'last-120-days',
  LAST_24_HOURS: 'last-24-hours',
  LAST_120_MINUTES: 'last-120-minutes',
} as const;

const fixedLabels = {
  CURRENT_MONTH: 'Current month',
  LAST_30_DAYS: 'Last 30 days',
  LAST_120_DAYS: 'Last 120 days',
  LAST_24_HOURS: 'Last 24 hours',
  LAST_120_MINUTES: 'Last 120 minutes',
} as const;

const monthFormat = new Intl.DateTimeFormat('en-US', {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** The value of a period in the URL and the menu. */
export function periodValue(period: UsagePeriod): string {
  return period.kind === 'MONTH' ? period.month : fixedValues[period.kind];
}

/** The period a URL value names; the current month for anything else. */
export function parsePeriod(value: string | null | undefined): UsagePeriod {
  if (!value) return DEFAULT_PERIOD;
  for (const [kind, fixed] of Object.entries(fixedValues)) {
    if (fixed === value) return { kind: kind as keyof typeof fixedValues };
  }
  if (MONTH.test(value)) return { kind: 'MONTH', month: value };
  return DEFAULT_PERIOD;
}

/** `YYYY-MM` of the month `offset` months before the one `now` falls in (UTC). */
export function monthKey(now: Date, offset = 0): string {
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - offset, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** "October 2026" for `2026-10`. */
export function monthLabel(month: string): string {
  const match = MONTH.exec(month);
  if (!match) return month;
  return monthFormat.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)));
}

/** The menu label of a period: "Current month", "Last 24 hours", "October 2026". */
export function periodLabel(period: UsagePeriod): string {
  return period.kind === 'MONTH' ? monthLabel(period.month) : fixedLabels[period.kind];
}

/** One point per minute for two hours, per hour for a day, per day for longer periods. */
export function periodGranularity(period: UsagePeriod): Granularity {
  if (period.kind === 'LAST_120_MINUTES') return 'MINUTE';
  if (period.kind === 'LAST_24_HOURS') return 'HOUR';
  return 'DAY';
}

export interface PeriodOption {
  value: string;
  label: string;
}

export interface PeriodGroup {
  group: string;
  items: PeriodOption[];
}

/** The period menu: the rolling periods, then the past months, newest first. */
export function periodOptions(now: Date, pastMonths = PAST_MONTHS): PeriodGroup[] {
  const rolling: UsagePeriod[] = [
    { kind: 'CURRENT_MONTH' },
    { kind: 'LAST_30_DAYS' },
    { kind: 'LAST_120_DAYS' },
    { kind: 'LAST_24_HOURS' },
    { kind: 'LAST_120_MINUTES' },
  ];
  const months = Array.from({ length: pastMonths }, (_, index) => monthKey(now, index + 1));
  return [
    {
      group: 'Recent',
      items: rolling.map((period) => ({
        value: periodValue(period),
        label: periodLabel(period),
      })),
    },
    {
      group: 'Past months',
      items: months.map((month) => ({ value: month, label: monthLabel(month) })),
    },
  ];
}
