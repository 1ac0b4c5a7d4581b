import '@mantine/charts/styles.css';
import { AreaChart, BarChart, GaugeChart, LineChart } from '@mantine/charts';
import { Card, Center, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconChartAreaLine, IconGauge, IconInfinity } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import {
  formatBucket,
  formatCompact,
  formatCount,
  formatMs,
  formatPercent,
  formatTick,
  formatUtcDate,
} from './usageFormat';
import type { Granularity } from './usagePeriods';
import { capColor, capShare, type UsageCap, type UsagePoint } from './usageView';

/**
 * The charts and cap gauges of a usage page. This module (with `@mantine/charts` and
 * recharts) is loaded on demand: pages import it through `React.lazy`.
 */

const CHART_HEIGHT = 220;

interface ChartPoint {
  time: string;
  requests: number;
  responses: number;
  units: number;
  errors: number;
  min: number | null;
  avg: number | null;
  max: number | null;
  p95: number | null;
}

function chartPoints(points: UsagePoint[]): ChartPoint[] {
  return points.map((point) => ({
    time: point.time,
    requests: point.requests,
    responses: point.responses,
    units: point.units,
    errors: point.errors,
    min: point.latencyMin,
    avg: point.latencyAvg,
    max: point.latencyMax,
    p95: point.latencyP95,
  }));
}

function axes(granularity: Granularity) {
  return {
    xAxisProps: {
      tickFormatter: (value: string) => formatTick(value, granularity),
      minTickGap: 28,
      tickMargin: 8,
    },
    tooltipProps: {
      labelFormatter: (value: unknown) =>
        typeof value === 'string' ? formatBucket(value, granularity) : String(value),
    },
  };
}

function NoTraffic({ message = 'No traffic in this period' }: { message?: string }) {
  return (
    <Center h={CHART_HEIGHT} bg="var(--mantine-color-default-hover)" style={{ borderRadius: 8 }}>
      <Stack gap={6} align="center">
        <ThemeIcon variant="light" color="gray" size="lg" radius="xl">
          <IconChartAreaLine size={18} />
        </ThemeIcon>
        <Text size="sm" fw={500}>
          {message}
        </Text>
        <Text size="xs" c="dimmed">
          Figures appear here as gateways report calls.
        </Text>
      </Stack>
    </Center>
  );
}

function ChartCard({
  title,
  total,
  children,
}: {
  title: string;
  total?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card padding="lg" component="section" aria-label={title}>
      <Group justify="space-between" align="baseline" mb="md">
        <Title order={3} size="h5">
          {title}
        </Title>
        {total ? (
          <Text size="sm" c="dimmed">
            {total}
          </Text>
        ) : null}
      </Group>
      {children}
    </Card>
  );
}

interface SeriesProps {
  points: UsagePoint[];
  granularity: Granularity;
}

/** Requests, units and errors over time, then response times. */
export function UsageCharts({ points, granularity }: SeriesProps) {
  const data = chartPoints(points);
  const sum = (key: 'requests' | 'responses' | 'units' | 'errors') =>
    points.reduce((total, point) => total + point[key], 0);
  const requests = sum('requests');
  const responses = sum('responses');
  const traffic = requests + responses;
  // Gateways that verify count requests; those that report count responses; many do both.
  const trafficSeries = [
    ...(requests > 0 ? [{ name: 'requests', label: 'Verified requests', color: 'indigo.6' }] : []),
    ...(responses > 0 ? [{ name: 'responses', label: 'Reported responses', color: 'cyan.6' }] : []),
  ];
  const units = sum('units');
  const errors = sum('errors');
  const timed = points.filter((point) => point.latencyAvg !== null).length;
  const withLatency = timed > 0;
  const shared = { data, dataKey: 'time', h: CHART_HEIGHT, ...axes(granularity) } as const;
  // Bars for up to a month of days, an area for longer or finer series.
  const Counts = points.length <= 31 ? BarChart : AreaChart;
  const countProps = Counts === AreaChart ? { withDots: false, curveType: 'linear' as const } : {};

  return (
    <Stack gap="lg">
      <ChartCard
        title="Requests"
        total={
          responses > 0 && requests > 0
            ? `${formatCount(requests)} verified, ${formatCount(responses)} reported`
            : `${formatCount(Math.max(requests, responses))} in total`
        }
      >
        {traffic === 0 ? (
          <NoTraffic />
        ) : (
          <Counts
            {...shared}
            {...countProps}
            series={trafficSeries}
            withLegend={trafficSeries.length > 1}
            legendProps={{ verticalAlign: 'top', height: 36 }}
            valueFormatter={formatCount}
            yAxisProps={{ tickFormatter: formatCompact, width: 56, allowDecimals: false }}
          />
        )}
      </ChartCard>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ChartCard title="Units" total={`${formatCount(units)} in total`}>
          {units === 0 ? (
            <NoTraffic message={traffic === 0 ? undefined : 'No units delivered in this period'} />
          ) : (
            <Counts
              {...shared}
              {...countProps}
              series={[{ name: 'units', label: 'Units', color: 'teal.6' }]}
              valueFormatter={formatCount}
              yAxisProps={{ tickFormatter: formatCompact, width: 56, allowDecimals: false }}
            />
          )}
        </ChartCard>
        <ChartCard title="Errors" total={`${formatCount(errors)} in total`}>
          {errors === 0 ? (
            <NoTraffic message={traffic === 0 ? undefined : 'No errors in this period'} />
          ) : (
            <Counts
              {...shared}
              {...countProps}
              series={[{ name: 'errors', label: 'Errors (4xx, 5xx)', color: 'red.6' }]}
              valueFormatter={formatCount}
              yAxisProps={{ tickFormatter: formatCompact, width: 56, allowDecimals: false }}
            />
          )}
        </ChartCard>
      </SimpleGrid>
      <ChartCard title="Response time">
        {withLatency ? (
          <LineChart
            {...shared}
            series={[
              { name: 'max', label: 'Max', color: 'red.5', strokeDasharray: '4 4' },
              { name: 'p95', label: 'p95', color: 'orange.6' },
              { name: 'avg', label: 'Average', color: 'indigo.6' },
              { name: 'min', label: 'Min', color: 'teal.6', strokeDasharray: '4 4' },
            ]}
            curveType="linear"
            // Minutes or hours without responses have no time: the line joins the ones around
            // them, and dots show each measured bucket while they are few.
            withDots={timed <= 40}
            connectNulls
            withLegend
            legendProps={{ verticalAlign: 'top', height: 36 }}
            valueFormatter={formatMs}
            // A square-root scale keeps the typical times readable beside a rare slow call.
            yAxisProps={{ tickFormatter: formatMs, width: 64, scale: 'sqrt' }}
          />
        ) : (
          <NoTraffic
            message={traffic === 0 ? undefined : 'No response times reported in this period'}
          />
        )}
      </ChartCard>
    </Stack>
  );
}

function capOutlook(cap: UsageCap, share: number, month: string, closed: boolean): string {
  if (cap.reachedAt && (share >= 1 || closed))
    return `Cap reached on ${formatUtcDate(cap.reachedAt)}`;
  if (cap.reachedAt) return `Cap reached on ${formatUtcDate(cap.reachedAt)} at this rate`;
  return closed ? `Cap not reached in ${month}` : 'Cap not reached this month at this rate';
}

/** One product's monthly cap: a gauge, the projected total and when the cap is reached. */
function CapGauge({ cap, month, closed }: { cap: UsageCap; month: string; closed: boolean }) {
  const share = capShare(cap);
  const metric = cap.metric === 'units' ? 'units' : 'requests';
  const title = (
    <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
      <div style={{ minWidth: 0 }}>
        <Text fw={600} truncate>
          {cap.productName}
        </Text>
        <Text size="xs" c="dimmed">
          {cap.planName ? `${cap.planName} plan · ` : ''}
          {metric} in {month}
        </Text>
      </div>
    </Group>
  );
  if (cap.cap === null || share === null) {
    return (
      <Card padding="lg" component="section" aria-label={`${cap.productName} ${metric} cap`}>
        {title}
        <Stack align="center" gap={4} mt="md">
          <ThemeIcon variant="light" color="gray" size={64} radius="xl">
            <IconInfinity size={36} />
          </ThemeIcon>
          <Text fw={700} size="lg">
            {formatCount(cap.used)}
          </Text>
          <Text size="sm" c="dimmed">
            {metric} used · no monthly cap
          </Text>
          {cap.projected !== null && !closed ? (
            <Text size="xs" c="dimmed">
              Projected {formatCount(cap.projected)} by month end
            </Text>
          ) : null}
        </Stack>
      </Card>
    );
  }
  const color = capColor(share);
  const projectedShare = cap.projected !== null && cap.cap > 0 ? cap.projected / cap.cap : null;
  return (
    <Card padding="lg" component="section" aria-label={`${cap.productName} ${metric} cap`}>
      {title}
      <Center mt="sm">
        <GaugeChart
          value={Math.min(share * 100, 100)}
          max={100}
          size={180}
          thickness={14}
          filledColor={color}
          // A round cap on an empty arc would draw a dot.
          roundCaps={share > 0.005}
          label={
            <Stack gap={0} align="center">
              <Text fw={700} size="xl" c={share >= 1 ? 'red' : undefined}>
                {formatPercent(share)}
              </Text>
              <Text size="xs" c="dimmed">
                of the cap
              </Text>
            </Stack>
          }
        />
      </Center>
      <Stack gap={4} mt={4}>
        <Text size="sm" ta="center">
          <Text span fw={600}>
            {formatCount(cap.used)}
          </Text>{' '}
          of {formatCount(cap.cap)} {metric}
        </Text>
        {closed ? null : (
          <Text size="xs" c="dimmed" ta="center">
            Projected {formatCount(cap.projected)} by month end
            {projectedShare !== null ? ` (${formatPercent(projectedShare)})` : ''}
          </Text>
        )}
        <Text
          size="xs"
          ta="center"
          fw={cap.reachedAt ? 600 : undefined}
          c={cap.reachedAt ? (share >= 1 ? 'red' : 'orange') : 'dimmed'}
        >
          {capOutlook(cap, share, month, closed)}
        </Text>
      </Stack>
    </Card>
  );
}

/** The monthly caps of the plans the scope is subscribed to, one gauge each. */
export function UsageCaps({
  caps,
  month,
  closed = false,
}: {
  caps: UsageCap[];
  month: string;
  /** A past month: its figures are final, with nothing to project. */
  closed?: boolean;
}) {
  if (caps.length === 0) {
    return (
      <Card padding="lg">
        <Group gap="sm">
          <ThemeIcon variant="light" color="gray" radius="md">
            <IconGauge size={18} />
          </ThemeIcon>
          <Text size="sm" c="dimmed">
            No plan with a monthly cap applies here.
          </Text>
        </Group>
      </Card>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
      {caps.map((cap) => (
        <CapGauge key={`${cap.productId}-${cap.metric}`} cap={cap} month={month} closed={closed} />
      ))}
    </SimpleGrid>
  );
}
