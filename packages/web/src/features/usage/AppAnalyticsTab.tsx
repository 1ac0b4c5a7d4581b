import { UsageDashboard, usePeriodParam } from './UsageDashboard';
import { useUsage, type BreakdownKey } from './useUsage';

const BREAKDOWNS: readonly BreakdownKey[] = ['credential', 'product'];

/** An app's usage: the organization's usage page scoped to the app, per credential and product. */
export function AppAnalyticsTab({ appId, appName }: { appId: string; appName: string }) {
  const [period, setPeriod] = usePeriodParam();
  const usage = useUsage({ of: appId, period, breakdowns: BREAKDOWNS, withCaps: true });
  return (
    <UsageDashboard
      scopeName={appName}
      period={period}
      onPeriodChange={setPeriod}
      view={usage.view}
      loading={usage.loading}
      error={usage.error}
      onRetry={usage.refetch}
    />
  );
}
