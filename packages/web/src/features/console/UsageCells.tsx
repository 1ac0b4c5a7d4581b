import { Badge, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import type { StaffUsageFieldsFragment } from '../../gql/graphql';
import { formatCount, formatPercent } from '../usage/usageFormat';

/*
 * Usage in the staff tables: this month's requests, the largest share of a plan cap (with the
 * product, plan and metric in a tooltip) and the "suggest an upgrade" flag from 80 %.
 */

const METRIC_LABELS: Record<string, string> = { REQUESTS: 'requests', UNITS: 'units' };

function capColor(percent: number): string {
  if (percent >= 100) return 'red';
  if (percent >= 80) return 'orange';
  return 'blue';
}

/** "Trend Radar used 85% of the Basic plan's requests on Public Posts". */
function capDescription(usage: StaffUsageFieldsFragment): string {
  const cap = usage.highestCap;
  if (!cap || usage.percentOfCap === null) return 'Nothing with a cap used this month';
  return `${formatCount(cap.used)} of ${formatCount(cap.cap)} ${METRIC_LABELS[cap.metric] ?? cap.metric} on ${cap.productName} (${cap.planName} plan), ${usage.month}`;
}

/** The flag staff act on: the organization is worth offering a higher plan. */
export function UpgradeBadge({ usage }: { usage: StaffUsageFieldsFragment }) {
  if (!usage.suggestUpgrade) return null;
  return (
    <Tooltip label={capDescription(usage)} withArrow>
      <Badge
        color="orange"
        variant="light"
        size="sm"
        tt="none"
        style={{ flexShrink: 0, overflow: 'visible' }}
        data-testid="suggest-upgrade"
      >
        Suggest an upgrade
      </Badge>
    </Tooltip>
  );
}

/** The largest share of a plan cap used this month, as a bar and a figure. */
export function CapShare({
  usage,
  withBadge = true,
}: {
  usage: StaffUsageFieldsFragment;
  withBadge?: boolean;
}) {
  if (usage.percentOfCap === null) {
    return (
      <Text size="sm" c="dimmed" title={capDescription(usage)}>
        —
      </Text>
    );
  }
  const percent = usage.percentOfCap;
  return (
    <Stack gap={4} miw={110}>
      <Tooltip label={capDescription(usage)} withArrow>
        <Group gap={6} wrap="nowrap">
          <Progress
            value={Math.min(percent, 100)}
            color={capColor(percent)}
            size="sm"
            w={60}
            aria-label="Share of the plan cap"
          />
          <Text size="sm">{formatPercent(percent / 100)}</Text>
        </Group>
      </Tooltip>
      {withBadge ? <UpgradeBadge usage={usage} /> : null}
    </Stack>
  );
}

/** Requests this month, with units beside them when there are any. */
export function MonthRequests({ usage }: { usage: StaffUsageFieldsFragment }) {
  return (
    <Stack gap={0}>
      <Text size="sm" c={usage.requests ? undefined : 'dimmed'}>
        {formatCount(usage.requests)}
      </Text>
      {usage.units ? (
        <Text size="xs" c="dimmed">
          {formatCount(usage.units)} units
        </Text>
      ) : null}
    </Stack>
  );
}

/** The error rate over the last 30 days. */
export function ErrorRate({ usage }: { usage: StaffUsageFieldsFragment }) {
  const rate = usage.errorRateLast30Days;
  return (
    <Text size="sm" c={rate >= 0.05 ? 'red' : rate > 0 ? undefined : 'dimmed'}>
      {formatPercent(rate)}
    </Text>
  );
}

/**
 * Usage in one cell: this month's requests (and units), the share of the plan cap, and the
 * error rate over the last 30 days when there is one.
 */
export function UsageSummaryCell({ usage }: { usage: StaffUsageFieldsFragment }) {
  const rate = usage.errorRateLast30Days;
  return (
    <Stack gap={4} miw={150}>
      <MonthRequests usage={usage} />
      {usage.percentOfCap !== null ? <CapShare usage={usage} /> : null}
      {rate > 0 ? (
        <Text size="xs" c={rate >= 0.05 ? 'red' : 'dimmed'}>
          {formatPercent(rate)} errors (30 days)
        </Text>
      ) : null}
    </Stack>
  );
}
