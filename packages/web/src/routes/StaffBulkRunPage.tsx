import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Anchor, Button, Card, Code, Group, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { PageSkeleton, QueryError } from '../features/common/states';
import { BULK_ACTION_LABELS } from '../features/console/BulkRunDialog';
import {
  BulkRunCounts,
  BulkRunItems,
  BulkRunStatusBadge,
  RefusalAlert,
  runInProgress,
  useBulkRunLive,
} from '../features/console/BulkRunProgress';
import { BulkRunQuery, StartBulkRunMutation } from '../features/console/console.operations';
import { StaffOnly } from '../features/console/StaffOnly';

export function StaffBulkRunPage() {
  return (
    <StaffOnly>
      <BulkRunDetail />
    </StaffOnly>
  );
}

function BulkRunDetail() {
  const { runId = '' } = useParams();
  const { data, error, refetch } = useQuery(BulkRunQuery, {
    variables: { id: runId, first: 1 },
    fetchPolicy: 'cache-and-network',
  });
  const [start, startState] = useMutation(StartBulkRunMutation);
  const [startError, setStartError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const run = data?.bulkRun;
  useBulkRunLive(
    runId,
    () => {
      setVersion((v) => v + 1);
      void refetch();
    },
    runInProgress(run?.status),
  );
  if (error && !run) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (!run) return <PageSkeleton />;
  return (
    <>
      <PageHeader
        above={
          <Anchor component={Link} to="/staff/bulk-runs" size="sm">
            ← Bulk runs
          </Anchor>
        }
        title={
          <Group gap="sm">
            {BULK_ACTION_LABELS[run.action]}
            <BulkRunStatusBadge status={run.status} />
          </Group>
        }
        description={run.reason}
        actions={
          run.status === 'PLANNED' ? (
            <Button
              color="red"
              loading={startState.loading}
              disabled={run.changeCount === 0}
              onClick={() => {
                setStartError(null);
                start({ variables: { input: { runId } } })
                  .catch((err: unknown) =>
                    setStartError(err instanceof Error ? err.message : String(err)),
                  )
                  .finally(() => void refetch());
              }}
            >
              Run it: change {run.changeCount}
            </Button>
          ) : null
        }
      />
      <Stack>
        <Card padding="md">
          <Stack gap="xs">
            <BulkRunCounts run={run} />
            <Text size="xs" c="dimmed">
              Planned {formatDateTime(run.createdAt)} by {run.plannedBy?.name ?? '—'}
              {run.startedAt ? ` · started ${formatDateTime(run.startedAt)}` : ''}
              {run.finishedAt ? ` · ended ${formatDateTime(run.finishedAt)}` : ''}
              {run.graceDays !== null ? ` · grace period ${run.graceDays} days` : ''}
            </Text>
            <Text size="xs" c="dimmed">
              Criteria: <Code>{JSON.stringify(run.criteria)}</Code>
            </Text>
          </Stack>
        </Card>
        <RefusalAlert run={run} />
        {startError && !run.refusal ? <Alert color="red">{startError}</Alert> : null}
        <Tabs defaultValue="changes" key={version}>
          <Tabs.List>
            <Tabs.Tab value="changes">Changes ({run.changeCount})</Tabs.Tab>
            <Tabs.Tab value="skips">Skipped ({run.skipCount})</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="changes" pt="sm">
            <BulkRunItems runId={run.id} plan="CHANGE" first={100} />
          </Tabs.Panel>
          <Tabs.Panel value="skips" pt="sm">
            <BulkRunItems runId={run.id} plan="SKIP" first={100} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </>
  );
}
