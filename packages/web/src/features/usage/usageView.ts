import type { Granularity } from './usagePeriods';

/**
 * What a usage page shows, independent of how the API shapes it: the components, the CSV
 * export and the tests all read this.
 */
export interface UsageFigures {
  /** Requests verified by the gateway. */
  requests: number;
  /** Responses the gateways reported. */
  responses: number;
  units: number;
  /** Responses with a status of 400 or more. */
  errors: number;
  /** errors / responses; null without responses. */
  errorRate: number | null;
  /** Response times in milliseconds; null without any response in the group. */
  latencyMin: number | null;
  latencyAvg: number | null;
  latencyMax: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
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
  /** The billing month the caps are about, `YYYY-MM` (UTC). */
  billingMonth: string;
  points: UsagePoint[];
  totals: UsageFigures;
  caps: UsageCap[];
  breakdowns: UsageBreakdown[];
}

export const EMPTY_FIGURES: UsageFigures = {
  requests: 0,
  responses: 0,
  units: 0,
  errors: 0,
  errorRate: null,
  latencyMin: null,
  latencyAvg: null,
  latencyMax: null,
  latencyP50: null,
  latencyP95: null,
  latencyP99: null,
};

/** True when nothing at all was recorded in the period. */
export function hasTraffic(view: Pick<UsageView, 'totals'>): boolean {
  const { requests, responses, units, errors } = view.totals;
  return requests > 0 || responses > 0 || units > 0 || errors > 0;
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
