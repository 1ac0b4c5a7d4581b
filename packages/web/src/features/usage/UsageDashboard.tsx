import {
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconApi,
  IconBox,
  IconChevronDown,
  IconClockHour4,
  IconDownload,
  IconStopwatch,
} from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { QueryError } from '../common/states';
import { UsageBreakdowns } from './UsageBreakdowns';
import { breakdownCsv, csvFileName, downloadCsv, seriesCsv } from './usageCsv';
import { formatCount, formatMs, formatPercent, formatRange } from './usageFormat';
import {
  monthKey,
  monthLabel,
  parsePeriod,
  periodLabel,
  periodOptions,
  periodValue,
  type UsagePeriod,
} from './usagePeriods';
import type { UsageView } from './usageView';

// recharts and @mantine/charts load with the first usage page, not with the app.
const loadCharts = () => import('./UsageCharts');
const UsageCharts = lazy(() => loadCharts().then((m) => ({ default: m.UsageCharts })));
const UsageCaps = lazy(() => loadCharts().then((m) => ({ default: m.UsageCaps })));

/** The period a usage page shows, kept in the URL (`?period=`) beside any other parameter. */
export function usePeriodParam(): [UsagePeriod, (period: UsagePeriod) => void] {
  const [params, setParams] = useSearchParams();
  const period = parsePeriod(params.get('period'));
  const setPeriod = (next: UsagePeriod) => {
    const updated = new URLSearchParams(params);
    if (next.kind === 'CURRENT_MONTH') updated.delete('period');
    else updated.set('period', periodValue(next));
    setParams(updated, { replace: true });
  };
  return [period, setPeriod];
}

function Stat({
  label,
  value,
  detail,
  icon,
  color = 'indigo',
}: {
  label: string;
  value: string;
  detail?: string;
  icon: ReactNode;
  color?: string;
}) {
  return (
    <Card padding="md">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {label}
          </Text>
          <Text fw={700} size="xl" mt={2} className="portico-figure">
            {value}
          </Text>
          {detail ? (
            <Text size="xs" c="dimmed" mt={2}>
              {detail}
            </Text>
          ) : null}
        </div>
        <ThemeIcon variant="light" size="xl" radius="md" color={color}>
          {icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
}

/** Where the request count comes from: verifications, gateway reports, or both. */
function trafficDetail(requests: number, responses: number): string {
  if (requests > 0 && responses > 0) {
    return `${formatCount(requests)} verified, ${formatCount(responses)} reported`;
  }
  if (responses > 0) return 'Reported by gateways';
  if (requests > 0) return 'Verified by the gateway';
  return 'None in this period';
}

function ChartsSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading charts">
      <Skeleton height={290} radius="md" />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Skeleton height={290} radius="md" />
        <Skeleton height={290} radius="md" />
      </SimpleGrid>
      <Skeleton height={290} radius="md" />
    </Stack>
  );
}

function DashboardSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading usage">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        {Array.from({ length: 4 }, (_, index) => (
          <Skeleton key={index} height={92} radius="md" />
        ))}
      </SimpleGrid>
      <ChartsSkeleton />
    </Stack>
  );
}

function SectionTitle({ title, description }: { title: string; description?: ReactNode }) {
  return (
    <div>
      <Title order={3} size="h4">
        {title}
      </Title>
      {description ? (
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      ) : null}
    </div>
  );
}

export interface UsageDashboardProps {
  /** Names the CSV files: the organization, app … */
  scopeName: string;
  period: UsagePeriod;
  onPeriodChange: (period: UsagePeriod) => void;
  view: UsageView | null;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** More controls beside the period menu (what to show). */
  controls?: ReactNode;
  /** Show the monthly cap gauges (they belong to an organization's plans). */
  withCaps?: boolean;
}

/**
 * A usage page's body: the period menu, totals, cap gauges, charts over time and
 * breakdowns, with a CSV download of each. Every time is UTC, and the page says so.
 */
export function UsageDashboard({
  scopeName,
  period,
  onPeriodChange,
  view,
  loading,
  error,
  onRetry,
  controls,
  withCaps = true,
}: UsageDashboardProps) {
  // Fetch the charts while the usage query is in flight rather than after it.
  useEffect(() => {
    void loadCharts();
  }, []);
  const options = useMemo(() => periodOptions(new Date()), []);
  const value = periodValue(period);
  const data = options.some((group) => group.items.some((item) => item.value === value))
    ? options
    : [...options, { group: 'Other', items: [{ value, label: periodLabel(period) }] }];
  const file = (...parts: string[]) => csvFileName('usage', scopeName, value, ...parts);

  const toolbar = (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Period"
          data={data}
          value={value}
          onChange={(next) => {
            if (next) onPeriodChange(parsePeriod(next));
          }}
          allowDeselect={false}
          w={220}
          maxDropdownHeight={360}
          comboboxProps={{ keepMounted: false }}
        />
        {controls}
      </Group>
      <Group gap="sm">
        <Tooltip label="Buckets, totals and caps follow Coordinated Universal Time">
          <Badge
            variant="light"
            color="gray"
            size="lg"
            leftSection={<IconClockHour4 size={14} />}
            tt="none"
          >
            All times UTC
          </Badge>
        </Tooltip>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button
              variant="default"
              leftSection={<IconDownload size={16} />}
              rightSection={<IconChevronDown size={14} />}
              disabled={!view}
            >
              Download CSV
            </Button>
          </Menu.Target>
          {view ? (
            <Menu.Dropdown>
              <Menu.Label>{periodLabel(period)}, UTC</Menu.Label>
              <Menu.Item onClick={() => downloadCsv(file(), seriesCsv(view))}>
                Over time (per {view.granularity.toLowerCase()})
              </Menu.Item>
              {view.breakdowns.map((breakdown) => (
                <Menu.Item
                  key={breakdown.key}
                  onClick={() => downloadCsv(file(`by-${breakdown.key}`), breakdownCsv(breakdown))}
                >
                  {breakdown.title}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          ) : null}
        </Menu>
      </Group>
    </Group>
  );

  if (error && !view) {
    return (
      <Stack gap="lg">
        {toolbar}
        <QueryError title="Could not load usage" error={error} onRetry={onRetry} />
      </Stack>
    );
  }
  if (!view) {
    return (
      <Stack gap="lg">
        {toolbar}
        <DashboardSkeleton />
      </Stack>
    );
  }

  const { totals } = view;
  const closedMonth = view.billingMonth < monthKey(new Date());
  return (
    <Stack gap="lg" aria-busy={loading}>
      {toolbar}
      <Text size="sm" c="dimmed" mt={-8}>
        {periodLabel(period)}: {formatRange(view.from, view.to, view.granularity)}, one point per{' '}
        {view.granularity.toLowerCase()}.
      </Text>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat
          label="Requests"
          value={formatCount(Math.max(totals.requests, totals.responses))}
          detail={trafficDetail(totals.requests, totals.responses)}
          icon={<IconApi size={22} />}
        />
        <Stat
          label="Units"
          value={formatCount(totals.units)}
          detail="Records delivered"
          icon={<IconBox size={22} />}
          color="teal"
        />
        <Stat
          label="Errors"
          value={formatCount(totals.errors)}
          detail={
            totals.errorRate === null
              ? 'No responses'
              : `${formatPercent(totals.errorRate)} of responses`
          }
          icon={<IconAlertTriangle size={22} />}
          color="red"
        />
        <Stat
          label="Avg response"
          value={formatMs(totals.latencyAvg)}
          detail={
            totals.latencyP95 === null ? 'No responses' : `p95 ${formatMs(totals.latencyP95)}`
          }
          icon={<IconStopwatch size={22} />}
          color="orange"
        />
      </SimpleGrid>
      <Suspense fallback={<ChartsSkeleton />}>
        {withCaps ? (
          <Stack gap="sm">
            <SectionTitle
              title="Monthly caps"
              description={
                closedMonth
                  ? `${monthLabel(view.billingMonth)} (UTC), final figures`
                  : `${monthLabel(view.billingMonth)} (UTC), projected at the current rate`
              }
            />
            <UsageCaps
              caps={view.caps}
              month={monthLabel(view.billingMonth)}
              closed={closedMonth}
            />
          </Stack>
        ) : null}
        <Stack gap="sm">
          <SectionTitle title="Over time" />
          <UsageCharts points={view.points} granularity={view.granularity} />
        </Stack>
      </Suspense>
      {view.breakdowns.length > 0 ? (
        <Stack gap="sm">
          <SectionTitle title="Breakdown" description={`${periodLabel(period)}, UTC`} />
          <UsageBreakdowns breakdowns={view.breakdowns} />
        </Stack>
      ) : null}
    </Stack>
  );
}
