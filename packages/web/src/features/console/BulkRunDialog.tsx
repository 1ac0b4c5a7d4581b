import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Stack,
  Tabs,
  Text,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { BulkAction, StaffAppFilter } from '../../gql/graphql';
import { BulkRunQuery, PlanBulkRunMutation, StartBulkRunMutation } from './console.operations';
import {
  BulkRunCounts,
  BulkRunItems,
  BulkRunStatusBadge,
  RefusalAlert,
  runInProgress,
  useBulkRunLive,
} from './BulkRunProgress';

export const BULK_ACTION_LABELS: Record<BulkAction, string> = {
  SUSPEND: 'Suspend',
  UNSUSPEND: 'Lift suspension',
  APPROVE: 'Approve pending requests',
  REJECT: 'Reject pending requests',
  ROTATE_CREDENTIALS: 'Rotate credentials',
};

interface Props {
  action: BulkAction | null;
  /** The apps: a selection (`ids`) or the page's criteria. */
  criteria: StaffAppFilter;
  /** What the criteria are, in words, for the dialog's title. */
  scope: string;
  onClose: () => void;
}

/**
 * A bulk operation in three steps: the reason (and grace period), the dry run listing what
 * would change and what would be skipped and why, then the real run with live progress and
 * its summary. The real run applies exactly the dry run's plan, or is refused.
 */
export function BulkRunDialog({ action, criteria, scope, onClose }: Props) {
  const [reason, setReason] = useState('');
  const [graceDays, setGraceDays] = useState<number | string>(7);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [plan, planState] = useMutation(PlanBulkRunMutation);
  const [start, startState] = useMutation(StartBulkRunMutation);
  const { data, refetch } = useQuery(BulkRunQuery, {
    variables: { id: runId ?? '', first: 1 },
    skip: !runId,
  });
  const run = data?.bulkRun ?? null;
  // Listening from the dry run on, so that no update of the real run is missed.
  useBulkRunLive(runId, () => void refetch(), runInProgress(run?.status));

  const close = () => {
    setRunId(null);
    setReason('');
    setError(null);
    onClose();
  };

  const dryRun = async () => {
    if (!action) return;
    setError(null);
    try {
      const result = await plan({
        variables: {
          input: {
            action,
            criteria,
            reason,
            graceDays: action === 'ROTATE_CREDENTIALS' ? Number(graceDays) : null,
          },
        },
      });
      setRunId(result.data?.planBulkRun.run.id ?? null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const realRun = async () => {
    if (!runId) return;
    setError(null);
    try {
      await start({ variables: { input: { runId } } });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      await refetch();
    }
  };

  return (
    <Modal
      opened={action !== null}
      onClose={close}
      size="xl"
      title={action ? `${BULK_ACTION_LABELS[action]}: ${scope}` : ''}
    >
      <Stack>
        {!run ? (
          <>
            <Textarea
              label="Reason"
              description="Kept in the audit log; owners read it in their notice."
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            {action === 'ROTATE_CREDENTIALS' ? (
              <NumberInput
                label="Grace period (days)"
                description="How long the old credentials keep working (0 to 30)."
                min={0}
                max={30}
                value={graceDays}
                onChange={setGraceDays}
              />
            ) : null}
            {error ? <Alert color="red">{error}</Alert> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button onClick={() => void dryRun()} loading={planState.loading}>
                Dry run
              </Button>
            </Group>
          </>
        ) : (
          <>
            <Group justify="space-between">
              <Text fw={600}>
                {run.status === 'PLANNED'
                  ? `Dry run: ${run.changeCount} to change, ${run.skipCount} to skip. Nothing changed yet.`
                  : run.status === 'FINISHED'
                    ? 'Finished'
                    : 'Running'}
              </Text>
              <BulkRunStatusBadge status={run.status} />
            </Group>
            {run.status !== 'PLANNED' ? <BulkRunCounts run={run} /> : null}
            <RefusalAlert run={run} />
            {error && !run.refusal ? <Alert color="red">{error}</Alert> : null}
            <Tabs defaultValue="changes">
              <Tabs.List>
                <Tabs.Tab value="changes">Changes ({run.changeCount})</Tabs.Tab>
                <Tabs.Tab value="skips">Skipped ({run.skipCount})</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="changes" pt="sm">
                <BulkRunItems runId={run.id} plan="CHANGE" />
              </Tabs.Panel>
              <Tabs.Panel value="skips" pt="sm">
                <BulkRunItems runId={run.id} plan="SKIP" />
              </Tabs.Panel>
            </Tabs>
            <Group justify="space-between">
              <Button component={Link} to={`/staff/bulk-runs/${run.id}`} variant="subtle">
                Open the run's page
              </Button>
              <Group>
                <Button variant="default" onClick={close}>
                  Close
                </Button>
                {run.status === 'PLANNED' ? (
                  <Button
                    color="red"
                    disabled={run.changeCount === 0}
                    loading={startState.loading}
                    onClick={() => void realRun()}
                  >
                    Run it: change {run.changeCount} app{run.changeCount === 1 ? '' : 's'}
                  </Button>
                ) : null}
              </Group>
            </Group>
          </>
        )}
      </Stack>
    </Modal>
  );
}
