import { useQuery } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { Alert, Badge, Group, Progress, Stack, Table, Text } from '@mantine/core';
import type { BulkRunFieldsFragment } from '../../gql/graphql';
import { useLiveEvents } from '../live/useLiveEvents';
import { BulkRunQuery, StaffEventsSubscription } from './console.operations';

const RUN_POLL_MS = 5_000;

const STATUS_COLOR: Record<string, string> = {
  PLANNED: 'gray',
  QUEUED: 'blue',
  RUNNING: 'blue',
  FINISHED: 'green',
  REFUSED: 'red',
};

export function BulkRunStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLOR[status] ?? 'gray'} variant="light">
      {status.toLowerCase()}
    </Badge>
  );
}

/** Counts of a run, as a bar and numbers. */
export function BulkRunCounts({ run }: { run: BulkRunFieldsFragment }) {
  const done = run.appliedCount + run.failedCount;
  const percent = run.changeCount ? Math.round((done / run.changeCount) * 100) : 100;
  return (
    <Stack gap={6}>
      <Progress
        value={run.status === 'PLANNED' ? 0 : percent}
        animated={run.status === 'RUNNING' || run.status === 'QUEUED'}
        aria-label="Progress of the run"
      />
      <Group gap="md">
        <Text size="sm" data-testid="bulk-run-applied">
          Changed: <b>{run.appliedCount}</b> of {run.changeCount}
        </Text>
        <Text size="sm">
          Skipped: <b>{run.skipCount}</b>
        </Text>
        <Text size="sm" c={run.failedCount ? 'red' : undefined}>
          Failed: <b>{run.failedCount}</b>
        </Text>
      </Group>
    </Stack>
  );
}

/**
 * A run's live progress: the staff events stream pushes each update of the run `runId` (or of
 * any run, for `*`) with its counts, which Apollo's cache writes into every view of the run;
 * `onChange` runs on each (and on a poll while the stream is down), e.g. to read the items again.
 */
export function useBulkRunLive(
  runId: string | null,
  onChange?: () => void,
  inProgress = false,
): void {
  useLiveEvents({
    subscription: StaffEventsSubscription,
    variables: {},
    skip: !runId,
    select: (data) => data.staffEvents,
    onEvent: (event) => {
      if (runId !== '*' && event.subjectId !== runId) return;
      onChange?.();
    },
    onPoll: () => onChange?.(),
    pollMs: RUN_POLL_MS,
  });
  // The stream starts at the moment it is opened: an update sent just before (a run that began
  // while the page was opening) reaches the page only by reading the run again. While a run is
  // in progress it is read every few seconds as well, so it never stays "running" on screen.
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  });
  useEffect(() => {
    if (!runId || !inProgress) return;
    const timer = setInterval(() => latest.current?.(), RUN_POLL_MS);
    return () => clearInterval(timer);
  }, [runId, inProgress]);
}

/** Whether a run is still changing (queued or running). */
export function runInProgress(status: string | null | undefined): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}

/** A run's items: what changed, what was skipped and why, what failed and why. */
export function BulkRunItems({
  runId,
  plan,
  first = 100,
}: {
  runId: string;
  plan?: 'CHANGE' | 'SKIP';
  first?: number;
}) {
  const { data, loading } = useQuery(BulkRunQuery, {
    variables: { id: runId, first, plan: plan ?? null },
    fetchPolicy: 'cache-and-network',
  });
  const items = data?.bulkRun?.items;
  if (!items) return loading ? <Text c="dimmed">Loading…</Text> : null;
  if (!items.nodes.length) {
    return (
      <Text c="dimmed" size="sm">
        {plan === 'SKIP' ? 'Nothing is skipped.' : 'Nothing to change.'}
      </Text>
    );
  }
  return (
    <>
      <Table striped withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>App</Table.Th>
            <Table.Th>Organization</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>{plan === 'SKIP' ? 'Why skipped' : 'State'}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.nodes.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td>{item.app?.name ?? item.appId}</Table.Td>
              <Table.Td>{item.app?.organizationName ?? '—'}</Table.Td>
              <Table.Td>{item.app?.ownerEmail ?? '—'}</Table.Td>
              <Table.Td>
                {item.plan === 'SKIP' ? (
                  item.skipReason
                ) : item.state === 'FAILED' ? (
                  <Text c="red" size="sm">
                    Failed: {item.failure}
                  </Text>
                ) : (
                  item.state.toLowerCase()
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {items.totalCount > items.nodes.length ? (
        <Text size="xs" c="dimmed">
          {items.nodes.length} of {items.totalCount} shown; the export and the run page list all.
        </Text>
      ) : null}
    </>
  );
}

export function RefusalAlert({ run }: { run: BulkRunFieldsFragment }) {
  return run.refusal ? (
    <Alert color="red" title="The real run was refused">
      {run.refusal}
    </Alert>
  ) : null;
}
