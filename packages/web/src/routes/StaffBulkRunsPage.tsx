import { useQuery } from '@apollo/client/react';
import { Anchor, Card, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDateTime } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, QueryError, TableSkeleton } from '../features/common/states';
import { BULK_ACTION_LABELS } from '../features/console/BulkRunDialog';
import {
  BulkRunStatusBadge,
  runInProgress,
  useBulkRunLive,
} from '../features/console/BulkRunProgress';
import { BulkRunsQuery } from '../features/console/console.operations';
import { CursorPager } from '../features/console/CursorPager';
import { StaffOnly } from '../features/console/StaffOnly';

export function StaffBulkRunsPage() {
  return (
    <StaffOnly>
      <BulkRuns />
    </StaffOnly>
  );
}

function BulkRuns() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const { data, error, refetch } = useQuery(BulkRunsQuery, {
    variables: { first: 25, after: cursors.at(-1) ?? null },
    fetchPolicy: 'cache-and-network',
  });
  // Runs in progress update in place (the staff stream carries each run's counts).
  const page = data?.bulkRuns;
  useBulkRunLive(
    '*',
    () => void refetch(),
    (page?.nodes ?? []).some((run) => runInProgress(run.status)),
  );
  return (
    <>
      <PageHeader
        title="Bulk runs"
        description="Every bulk operation: its dry run, and once started, its progress and summary."
      />
      {error && !page ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : !page ? (
        <Card padding="md">
          <TableSkeleton rows={6} />
        </Card>
      ) : page.nodes.length === 0 ? (
        <Empty
          title="No bulk runs yet"
          description="Start one from the Apps page: select apps or filter them, then pick a bulk action."
        />
      ) : (
        <Card padding="sm">
          <Table verticalSpacing="xs" fz="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Action</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Changed / planned</Table.Th>
                <Table.Th>Skipped</Table.Th>
                <Table.Th>Failed</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Planned</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.nodes.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/staff/bulk-runs/${run.id}`}>
                      {BULK_ACTION_LABELS[run.action]}
                    </Anchor>
                  </Table.Td>
                  <Table.Td miw={110}>
                    <BulkRunStatusBadge status={run.status} />
                  </Table.Td>
                  <Table.Td maw={260}>
                    <Text size="xs" lineClamp={2}>
                      {run.reason}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {run.appliedCount} / {run.changeCount}
                  </Table.Td>
                  <Table.Td>{run.skipCount}</Table.Td>
                  <Table.Td>{run.failedCount}</Table.Td>
                  <Table.Td>{run.plannedBy?.name ?? '—'}</Table.Td>
                  <Table.Td>{formatDateTime(run.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <CursorPager
            shown={page.nodes.length}
            total={page.totalCount}
            cursors={cursors}
            endCursor={page.pageInfo.endCursor}
            hasNextPage={page.pageInfo.hasNextPage}
            onChange={setCursors}
          />
        </Card>
      )}
    </>
  );
}
