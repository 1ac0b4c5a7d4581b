import type { Granularity } from './usagePeriods';

/**
 * How usage figures read on the page. Everything is in UTC and in one locale (en-US), so a
 * figure on screen, in a tooltip and in the CSV are the same number.
 */

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

const utc = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC', hourCycle: 'h23' });
const minuteTick = utc({ hour: '2-digit', minute: '2-digit' });
const dayTick = utc({ month: 'short', day: 'numeric' });
const dayFull = utc({ month: 'short', day: 'numeric', year: 'numeric' });
const dayTime = utc({ month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const weekday = utc({ weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' });

/** "1,234,567"; "—" when there is no figure. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : count.format(value);
}

/** "1.2M", "15K", "950": for axes and gauges where space is short. */
export function formatCompact(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : compact.format(value);
}

/** A response time: "0.4 ms", "12 ms", "1.25 s"; "—" without one. */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value >= 1000) {
    return `${(value / 1000).toFixed(value >= 10_000 ? 1 : 2).replace(/\.?0+$/, '')} s`;
  }
  if (value >= 10) return `${Math.round(value).toLocaleString('en-US')} ms`;
  if (value >= 1) return `${value.toFixed(1).replace(/\.0$/, '')} ms`;
  if (value === 0) return '0 ms';
  return `${Math.max(value, 0.1).toFixed(1)} ms`;
}

/**
 * Several response times in one cell, the unit once: "5.2 / 60 / 761 ms"; each with its own
 * unit when one reaches a second ("48 ms / 1.25 s / 3.1 s").
 */
export function formatMsList(values: readonly (number | null)[]): string {
  if (values.every((value) => value === null)) return '—';
  if (values.some((value) => value !== null && value >= 1000)) {
    return values.map((value) => formatMs(value)).join(' / ');
  }
  return `${values.map((value) => formatMs(value).replace(/ ms$/, '')).join(' / ')} ms`;
}

/** A share from 0 to 1 (or more): "12.5%", "0%", "<0.1%" for tiny non-zero shares. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  if (share > 0 && share < 0.001) return '<0.1%';
  return percent.format(share);
}

/** A chart's x-axis tick for a bucket start: "14:05" per minute or hour, "Nov 29" per day. */
export function formatTick(iso: string, granularity: Granularity): string {
  const date = new Date(iso);
  return granularity === 'DAY' ? dayTick.format(date) : minuteTick.format(date);
}

/** The bucket in a tooltip or table: "Nov 29, 14:05 UTC", "Sun, Nov 29, 2026". */
export function formatBucket(iso: string, granularity: Granularity): string {
  const date = new Date(iso);
  return granularity === 'DAY' ? weekday.format(date) : `${dayTime.format(date)} UTC`;
}

/** A date without a time, in UTC: "Dec 18, 2026". */
export function formatUtcDate(iso: string | null | undefined): string {
  return iso ? dayFull.format(new Date(iso)) : '—';
}

/** The range a chart covers: "Nov 1 – Nov 30, 2026 (UTC)", "Nov 29, 14:05 – 16:04 UTC". */
export function formatRange(fromIso: string, toIso: string, granularity: Granularity): string {
  const from = new Date(fromIso);
  // `to` is exclusive: the last bucket starts one step before it.
  const step = granularity === 'MINUTE' ? 60_000 : granularity === 'HOUR' ? 3_600_000 : 86_400_000;
  const last = new Date(new Date(toIso).getTime() - step);
  if (granularity === 'DAY') {
    const sameYear = from.getUTCFullYear() === last.getUTCFullYear();
    const start = sameYear ? dayTick.format(from) : dayFull.format(from);
    return `${start} – ${dayFull.format(last)} (UTC)`;
  }
  const end = granularity === 'HOUR' ? new Date(last.getTime() + step - 60_000) : last;
  const sameDay = from.toISOString().slice(0, 10) === end.toISOString().slice(0, 10);
  return `${dayTime.format(from)} – ${sameDay ? minuteTick.format(end) : dayTime.format(end)} UTC`;
}
