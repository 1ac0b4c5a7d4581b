import { Badge, Card, Group, Progress, Table, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { formatCount, formatMsList, formatPercent } from './usageFormat';
import type { UsageBreakdown, UsageGroup } from './usageView';

/** Calls of a group: verified requests, or the responses gateways reported when they only report. */
function calls(row: UsageGroup): number {
  return Math.max(row.requests, row.responses);
}

function BreakdownTable({ breakdown }: { breakdown: UsageBreakdown }) {
  const total = breakdown.rows.reduce((sum, row) => sum + calls(row), 0);
  if (breakdown.rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="md" ta="center">
        No traffic in this period.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table
        verticalSpacing="xs"
        highlightOnHover
        aria-label={`Usage ${breakdown.title.toLowerCase()}`}
      >
        <Table.Thead style={{ whiteSpace: 'nowrap' }}>
          <Table.Tr>
            <Table.Th>{breakdown.label}</Table.Th>
            <Table.Th ta="right">Requests</Table.Th>
            <Table.Th w={100}>Share</Table.Th>
            <Table.Th ta="right">Units</Table.Th>
            <Table.Th ta="right">Errors</Table.Th>
            <Table.Th ta="right">Error rate</Table.Th>
            <Table.Th ta="right">Min / avg / max</Table.Th>
            <Table.Th ta="right">p50 / p95 / p99</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {breakdown.rows.map((row) => {
            const share = total > 0 ? calls(row) / total : 0;
            return (
              <Table.Tr key={row.id || row.name}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap" miw={180}>
                    <Text size="sm" fw={500} c={row.note ? 'dimmed' : undefined}>
                      {row.name}
                    </Text>
                    {row.note ? (
                      <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
                        {row.note}
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td ta="right" className="portico-figure">
                  {formatCount(calls(row))}
                </Table.Td>
                <Table.Td>
                  <Progress
                    value={share * 100}
                    size="sm"
                    aria-label={`${row.name}: ${formatPercent(share)} of requests`}
                  />
                </Table.Td>
                <Table.Td ta="right" className="portico-figure">
                  {formatCount(row.units)}
                </Table.Td>
                <Table.Td ta="right" className="portico-figure">
                  {formatCount(row.errors)}
                </Table.Td>
                <Table.Td
                  ta="right"
                  className="portico-figure"
                  c={row.errorRate !== null && row.errorRate >= 0.05 ? 'red' : undefined}
                >
                  {formatPercent(row.errorRate)}
                </Table.Td>
                <Table.Td ta="right" className="portico-figure">
                  {formatMsList([row.latencyMin, row.latencyAvg, row.latencyMax])}
                </Table.Td>
                <Table.Td ta="right" className="portico-figure">
                  {formatMsList([row.latencyP50, row.latencyP95, row.latencyP99])}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The period's usage split by app, product, environment … one tab each. */
export function UsageBreakdowns({ breakdowns }: { breakdowns: UsageBreakdown[] }) {
  const [tab, setTab] = useState<string | null>(breakdowns[0]?.key ?? null);
  if (breakdowns.length === 0) return null;
  const active = breakdowns.some((breakdown) => breakdown.key === tab)
    ? tab
    : (breakdowns[0]?.key ?? null);
  return (
    <Card padding="lg" component="section" aria-label="Breakdown">
      <Tabs value={active} onChange={setTab}>
        <Tabs.List mb="sm">
          {breakdowns.map((breakdown) => (
            <Tabs.Tab key={breakdown.key} value={breakdown.key}>
              {breakdown.title}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {breakdowns.map((breakdown) => (
          <Tabs.Panel key={breakdown.key} value={breakdown.key}>
            <BreakdownTable breakdown={breakdown} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Card>
  );
}
