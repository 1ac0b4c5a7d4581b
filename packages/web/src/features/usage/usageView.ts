import type { Granularity } from './usagePeriods';

/**
 * What a usage page shows, independent of how the API shapes it: the components, the CSV
 * export and the tests all read this.
 */
export interface UsageFigures {
  requests: number;
  units: number;
  errors: number;
  /** Response times in milliseconds; null without any response in the group. */
  latencyMin: number | null;
  latencyAvg: number | null;
  latencyMax: number | null;
  latencyP95: number | null;
}

/** One bucket of a chart, starting at `time` (ISO, UTC). */
export interface UsagePoint extends UsageFigures {
  time: string;
}

/** One row of a breakdown (an app, a product, a credential, an environment …). */
export interface UsageGroup extends UsageFigures {
  id: string;
  name: string;
  /** Shown beside the name, e.g. "deleted". */
  note: string | null;
}

export interface UsageBreakdown {
  /** Stable key: `app`, `product`, `environment`, `credential`, `organization`. */
  key: string;
  /** "By app". */
  title: string;
  /** The header of the first column: "App". */
  label: string;
  rows: UsageGroup[];
}

/** The cap of one plan on one product, for the current billing period (month, UTC). */
export interface UsageCap {
  productId: string;
  productName: string;
  planName: string | null;
  /** What the cap counts. */
  metric: 'requests' | 'units';
  used: number;
  /** Null: the plan has no cap on this metric. */
  cap: number | null;
  /** The total at the end of the month at the current rate. */
  projected: number | null;
  /** When the cap will be (or was) reached at the current rate; null when it will not be. */
  reachedAt: string | null;
}

export interface UsageView {
  from: string;
  to: string;
  granularity: Granularity;
  points: UsagePoint[];
  totals: UsageFigures;
  caps: UsageCap[];
  breakdowns: UsageBreakdown[];
}

export const EMPTY_FIGURES: UsageFigures = {
  requests: 0,
  units: 0,
  errors: 0,
  latencyMin: null,
  latencyAvg: null,
  latencyMax: null,
  latencyP95: null,
};

const STEP_MS: Record<Granularity, number> = {
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
};

/** The start of the bucket `time` falls in, UTC. */
function bucketStart(time: number, granularity: Granularity): number {
  return Math.floor(time / STEP_MS[granularity]) * STEP_MS[granularity];
}

/**
 * Every bucket from `from` to `to` (exclusive), with the points given and zero elsewhere,
 * so a quiet minute shows as zero rather than as a line drawn across it.
 */
export function fillBuckets(
  from: string,
  to: string,
  granularity: Granularity,
  points: UsagePoint[],
): UsagePoint[] {
  const step = STEP_MS[granularity];
  const start = bucketStart(new Date(from).getTime(), granularity);
  const end = new Date(to).getTime();
  const known = new Map<number, UsagePoint>();
  for (const point of points) {
    known.set(bucketStart(new Date(point.time).getTime(), granularity), point);
  }
  const filled: UsagePoint[] = [];
  // A month of minutes is the most a page ever asks for; stop well past it whatever the input.
  for (let time = start; time < end && filled.length < 50_000; time += step) {
    const iso = new Date(time).toISOString();
    const point = known.get(time);
    filled.push(point ? { ...point, time: iso } : { ...EMPTY_FIGURES, time: iso });
  }
  return filled;
}

/** True when nothing at all was recorded in the period. */
export function hasTraffic(view: Pick<UsageView, 'totals'>): boolean {
  return view.totals.requests > 0 || view.totals.units > 0 || view.totals.errors > 0;
}

/** Share of the cap used, 0 to 1 or more; null without a cap. */
export function capShare(cap: Pick<UsageCap, 'used' | 'cap'>): number | null {
  if (cap.cap === null) return null;
  if (cap.cap <= 0) return cap.used > 0 ? 1 : 0;
  return cap.used / cap.cap;
}

/** The colour of a cap gauge: the thresholds of the usage alerts (50, 80, 100 %). */
export function capColor(share: number | null): string {
  if (share === null) return 'gray';
  if (share >= 1) return 'red';
  if (share >= 0.8) return 'orange';
  if (share >= 0.5) return 'yellow';
  return 'teal';
}
