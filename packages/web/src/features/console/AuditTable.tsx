import { useQuery } from '@apollo/client/react';
import { Card, Code, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { StaffAuditFilter } from '../../gql/graphql';
import { formatDateTime } from '../common/format';
import { Empty, QueryError, TableSkeleton } from '../common/states';
import { StaffAuditLogQuery } from './console.operations';
import { CursorPager } from './CursorPager';

/** Audit entries matching `filter`, newest first, cursor-paged. */
export function AuditTable({
  filter,
  pageSize = 25,
}: {
  filter: StaffAuditFilter;
  pageSize?: number;
}) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const filterKey = JSON.stringify(filter);
  const [seenKey, setSeenKey] = useState(filterKey);
  if (seenKey !== filterKey) {
    setSeenKey(filterKey);
    setCursors([null]);
  }
  const { data, error, refetch } = useQuery(StaffAuditLogQuery, {
    variables: { filter, first: pageSize, after: cursors[cursors.length - 1] ?? null },
    fetchPolicy: 'cache-and-network',
  });
  const page = data?.staffAuditLog;
  if (error && !page) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (!page) {
    return (
      <Card padding="md">
        <TableSkeleton rows={5} />
      </Card>
    );
  }
  if (!page.nodes.length) {
    return <Empty title="No entries" description="Nothing was recorded for these criteria." />;
  }
  return (
    <Card padding="sm">
      <Table.ScrollContainer minWidth={800}>
        <Table verticalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>Target</Table.Th>
              <Table.Th>Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.nodes.map((entry) => (
              <Table.Tr key={entry.id} data-testid="audit-row">
                <Table.Td>
                  <Text size="xs">{formatDateTime(entry.createdAt)}</Text>
                </Table.Td>
                <Table.Td>
                  <Code>{entry.action}</Code>
                </Table.Td>
                <Table.Td>{entry.actor?.name ?? 'system'}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {entry.targetType} <Code>{entry.targetId}</Code>
                  </Text>
                </Table.Td>
                <Table.Td maw={380}>
                  <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                    {Object.entries(entry.data)
                      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                      .join(' · ')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CursorPager
        shown={page.nodes.length}
        total={page.totalCount}
        cursors={cursors}
        endCursor={page.pageInfo.endCursor}
        hasNextPage={page.pageInfo.hasNextPage}
        onChange={setCursors}
      />
    </Card>
  );
}
