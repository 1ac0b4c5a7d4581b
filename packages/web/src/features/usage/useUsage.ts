import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import type {
  UsageGroupFieldsFragment,
  UsageQuery as UsageQueryResult,
  UsageTotalsFragment,
} from '../../gql/graphql';
import { KINDS } from '../credentials/credentialDisplay';
import { UsageQuery } from './usage.operations';
import { monthKey, type UsagePeriod } from './usagePeriods';
import type { UsageBreakdown, UsageCap, UsageFigures, UsageGroup, UsageView } from './usageView';

export type BreakdownKey = 'app' | 'product' | 'environment' | 'credential';

const BREAKDOWNS: Record<BreakdownKey, { title: string; label: string }> = {
  app: { title: 'By app', label: 'App' },
  product: { title: 'By product', label: 'Product' },
  environment: { title: 'By environment', label: 'Environment' },
  credential: { title: 'By credential', label: 'Credential' },
};

function figures(stats: Omit<UsageTotalsFragment, '__typename'>): UsageFigures {
  return {
    requests: stats.requests,
    responses: stats.responses,
    units: stats.units,
    errors: stats.errors,
    errorRate: stats.responses > 0 ? stats.errorRate : null,
    latencyMin: stats.responseTimeMin,
    latencyAvg: stats.responseTimeAvg,
    latencyMax: stats.responseTimeMax,
    latencyP50: stats.responseTimeP50,
    latencyP95: stats.responseTimeP95,
    latencyP99: stats.responseTimeP99,
  };
}

/** "CONSUMER_KEY …x9Qz" as the page names credentials: "Consumer key pcs_…x9Qz". */
export function credentialLabel(label: string): string {
  const match = /^([A-Z0-9_]+) …(.+)$/.exec(label);
  const info = match ? KINDS.find((kind) => kind.kind === match[1]) : undefined;
  if (!match || !info) return label;
  const singular = info.singular.charAt(0).toUpperCase() + info.singular.slice(1);
  return `${singular} ${info.secretPrefix}_…${match[2]}`;
}

function group(key: BreakdownKey, row: UsageGroupFieldsFragment): UsageGroup {
  return {
    ...figures(row),
    id: row.id ?? '',
    name: key === 'credential' ? credentialLabel(row.label) : row.label,
    // A deleted app or environment is named so by the API; a credential keeps its name.
    note: row.deleted && key === 'credential' ? 'revoked' : null,
  };
}

type UsageData = UsageQueryResult['usage'];

/** The API's answer as the page shows it. */
export function usageView(
  usage: UsageData,
  breakdowns: readonly BreakdownKey[],
  billingMonth: string,
): UsageView {
  const rows: Record<BreakdownKey, UsageGroupFieldsFragment[] | null | undefined> = {
    app: usage.byApp,
    product: usage.byProduct,
    environment: usage.byEnvironment,
    credential: usage.byCredential,
  };
  const caps: UsageCap[] = (usage.caps ?? []).map((cap) => ({
    productId: cap.product.id,
    productName: cap.product.name,
    planName: cap.plan?.name ?? null,
    metric: cap.metric === 'UNITS' ? 'units' : 'requests',
    used: cap.used,
    cap: cap.cap,
    projected: cap.projectedTotal,
    reachedAt: cap.capReachedAt ?? null,
  }));
  return {
    from: usage.from,
    to: usage.to,
    granularity: usage.granularity,
    billingMonth: usage.caps?.[0]?.month ?? billingMonth,
    totals: figures(usage.totals),
    points: usage.series.map((point) => ({ ...figures(point), time: point.at })),
    caps,
    breakdowns: breakdowns.map((key): UsageBreakdown => ({
      key,
      ...BREAKDOWNS[key],
      rows: (rows[key] ?? []).map((row) => group(key, row)),
    })),
  };
}

interface UseUsageOptions {
  /** The organization, project, app, credential or environment; null: every organization. */
  of: string | null;
  period: UsagePeriod;
  breakdowns: readonly BreakdownKey[];
  withCaps: boolean;
}

/** Usage of a scope over a period, refreshed every minute while the chart is per minute. */
export function useUsage({ of, period, breakdowns, withCaps }: UseUsageOptions) {
  const { data, loading, error, refetch } = useQuery(UsageQuery, {
    variables: {
      of,
      period: period.kind,
      month: period.kind === 'MONTH' ? period.month : null,
      byApp: breakdowns.includes('app'),
      byEnvironment: breakdowns.includes('environment'),
      byCredential: breakdowns.includes('credential'),
      withCaps,
    },
    fetchPolicy: 'cache-and-network',
    pollInterval: period.kind === 'LAST_120_MINUTES' ? 60_000 : 0,
  });
  const billingMonth = period.kind === 'MONTH' ? period.month : monthKey(new Date());
  const usage = data?.usage;
  const view = useMemo(
    () => (usage ? usageView(usage, breakdowns, billingMonth) : null),
    [usage, breakdowns, billingMonth],
  );
  return { view, loading, error, refetch: () => void refetch() };
}
