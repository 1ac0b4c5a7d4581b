import { Badge, Group, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { PlanFieldsFragment } from '../../gql/graphql';
import { formatCap, formatRateLimit } from './productFormat';

interface PlanComparisonTableProps {
  plans: readonly PlanFieldsFragment[];
  /** Plans to mark "In use": the organization has them for at least one product (by id). */
  current?: ReadonlySet<string>;
  actions?: (plan: PlanFieldsFragment) => ReactNode;
}

/** Every plan's limits side by side, lowest rank first. */
export function PlanComparisonTable({ plans, current, actions }: PlanComparisonTableProps) {
  const sorted = [...plans].sort((a, b) => a.rank - b.rank);
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Plan</Table.Th>
            <Table.Th>Rank</Table.Th>
            <Table.Th>Requests / month</Table.Th>
            <Table.Th>Units / month</Table.Th>
            <Table.Th>Rate limit</Table.Th>
            <Table.Th>Apps</Table.Th>
            <Table.Th>Dev environments</Table.Th>
            {actions ? <Table.Th aria-label="Actions" /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((plan) => (
            <Table.Tr key={plan.id}>
              <Table.Td>
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    {plan.name}
                  </Text>
                  {current?.has(plan.id) ? (
                    <Badge size="xs" variant="light" color="teal">
                      In use
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {plan.rank}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatCap(plan.monthlyRequestCap)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatCap(plan.monthlyUnitCap)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {formatRateLimit(plan.rateLimitRequests, plan.rateLimitWindowSeconds)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{plan.maxApps}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{plan.maxDevEnvironments}</Text>
              </Table.Td>
              {actions ? <Table.Td ta="right">{actions(plan)}</Table.Td> : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
