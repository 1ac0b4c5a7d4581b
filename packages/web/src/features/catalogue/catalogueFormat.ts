/** Small pure formatting helpers of the catalogue pages. */

/** A `yyyy-mm-dd` date input as an ISO instant at 00:00 UTC; null when empty or not a date. */
export function dateInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
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

/** Stars for a 1–5 rating, for tables: "★★★☆☆". */
export function stars(rating: number): string {
  const whole = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(whole) + '☆'.repeat(5 - whole);
}

/** The `points` of an SVG polyline drawing `values` in a `width` × `height` box (0 at the bottom). */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 1);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((value, index) => {
      const x = Math.round(index * step * 10) / 10;
      const y = Math.round((height - (value / max) * height) * 10) / 10;
      return `${x},${y}`;
    })
    .join(' ');
}

/** The notice staff send to the owners of apps still calling a deprecated product. */
export function deprecationNotice(
  productName: string,
  deprecation: { title: string; sunsetAt: string | null } | null,
): string {
  const sunset = deprecation?.sunsetAt
    ? ` It stops answering on ${new Date(deprecation.sunsetAt).toLocaleDateString('en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      })}.`
    : '';
  const what = deprecation?.title ? ` (${deprecation.title})` : '';
  return `Your app still calls ${productName}, which is deprecated${what}.${sunset} Please move to its replacement: see the migration guide in the product's documentation.`;
}
