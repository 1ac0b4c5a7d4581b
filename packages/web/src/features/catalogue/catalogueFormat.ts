/** Small pure formatting helpers of the catalogue pages. */

/** A `yyyy-mm-dd` date input as an ISO instant at 00:00 UTC; null when empty or not a date. */
export function dateInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A rate limit as people say it: "100 requests / minute". */
export function describeRateLimit(requests: number | null, windowSeconds: number | null): string {
  if (requests === null || windowSeconds === null) return 'No rate limit';
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, name] = units.find(([seconds]) => windowSeconds % seconds === 0) ?? [1, 'second'];
  const count = windowSeconds / size;
  const per = count === 1 ? name : `${count} ${name}s`;
  return `${requests.toLocaleString('en-US')} requests / ${per}`;
}

/** A monthly cap ("1,000,000 requests / month"), or "Unlimited". */
export function describeCap(cap: number | null, unit: string): string {
  return cap === null ? 'Unlimited' : `${cap.toLocaleString('en-US')} ${unit} / month`;
}

/** The share of a cap used, 0–100 (null without a cap). */
export function capShare(used: number, cap: number | null): number | null {
  if (cap === null || cap <= 0) return null;
  return Math.min(100, Math.round((used / cap) * 1000) / 10);
}

/** The trend of two weeks of requests: "+25 %", "−40 %", "new" or "flat". */
export function weekTrend(
  lastWeek: number,
  previousWeek: number,
): { label: string; color: string } {
  if (previousWeek === 0) {
    return lastWeek === 0 ? { label: 'flat', color: 'gray' } : { label: 'new', color: 'orange' };
  }
  const change = Math.round(((lastWeek - previousWeek) / previousWeek) * 100);
  if (change === 0) return { label: 'flat', color: 'gray' };
  // Falling traffic on a deprecated product is good news.
  return change > 0
    ? { label: `+${change} %`, color: 'red' }
    : { label: `−${Math.abs(change)} %`, color: 'teal' };
}

/** The slug of a guide made from its title, as a hint: a-z, 0-9 and '-'. */
export function slugFromTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** Stars for a 1–5 rating, for tables: "★★★☆☆". */
export function stars(rating: number): string {
  const whole = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(whole) + '☆'.repeat(5 - whole);
}
