import { useViewer } from '../features/accounts/viewer';
import { PageHeader } from '../features/common/PageHeader';
import { Empty } from '../features/common/states';
import { UsageDashboard, usePeriodParam } from '../features/usage/UsageDashboard';
import { useUsage, type BreakdownKey } from '../features/usage/useUsage';

const BREAKDOWNS: readonly BreakdownKey[] = ['product', 'app', 'environment'];

export function StaffUsagePage() {
  const viewer = useViewer();
  if (viewer.platformRole !== 'STAFF') {
    return (
      <Empty
        title="Staff only"
        description="Usage across every organization is for the portal's staff."
      />
    );
  }
  return <StaffUsage />;
}

/** Usage of every organization together, per product, app and environment. */
function StaffUsage() {
  const [period, setPeriod] = usePeriodParam();
  const usage = useUsage({ of: null, period, breakdowns: BREAKDOWNS, withCaps: false });
  return (
    <>
      <PageHeader
        title="Usage"
        description="Calls to the APIs by every app of every organization. An organization's caps are on its own usage page."
      />
      <UsageDashboard
        scopeName="all organizations"
        period={period}
        onPeriodChange={setPeriod}
        withCaps={false}
        view={usage.view}
        loading={usage.loading}
        error={usage.error}
        onRetry={usage.refetch}
      />
    </>
  );
}
