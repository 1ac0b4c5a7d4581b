import { useMutation, useQuery } from '@apollo/client/react';
import {
  Badge,
  Button,
  Card,
  Code,
  Group,
  Popover,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInbox, IconRefresh, IconSend } from '@tabler/icons-react';
import { useEffect } from 'react';
import type { WebhookDeliveryFieldsFragment } from '../../gql/graphql';
import { formatDateTime, formatRelative } from '../common/format';
import { Empty, QueryError, TableSkeleton } from '../common/states';
import { errorMessage } from '../forms/serverErrors';
import {
  ReplayWebhookDeliveryMutation,
  SendTestWebhookMutation,
  WebhookDeliveriesQuery,
} from './webhooks.operations';

const STATUS_COLOR = { PENDING: 'yellow', SUCCEEDED: 'teal', FAILED: 'red' } as const;
const STATUS_LABEL = { PENDING: 'Pending', SUCCEEDED: 'Delivered', FAILED: 'Failed' } as const;

function DeliveryStatus({ delivery }: { delivery: WebhookDeliveryFieldsFragment }) {
  const retrying = delivery.status === 'PENDING' && delivery.attemptCount > 0;
  return (
    <Tooltip
      label={`Next attempt ${formatDateTime(delivery.nextAttemptAt)}`}
      disabled={!delivery.nextAttemptAt}
    >
      <Badge color={STATUS_COLOR[delivery.status]} variant="light">
        {retrying ? 'Retrying' : STATUS_LABEL[delivery.status]}
      </Badge>
    </Tooltip>
  );
}

/** What came back from the last attempt: the status code, or why there was none. */
function Response({ delivery }: { delivery: WebhookDeliveryFieldsFragment }) {
  if (delivery.attemptCount === 0) {
    return (
      <Text size="sm" c="dimmed">
        Not sent yet
      </Text>
    );
  }
  const label = delivery.responseStatus
    ? `HTTP ${delivery.responseStatus}`
    : (delivery.lastError ?? 'No answer');
  const ok = delivery.responseStatus !== null && delivery.responseStatus < 300;
  if (!delivery.responseExcerpt) {
    return (
      <Text size="sm" c={ok ? undefined : 'red'} className="portico-mono">
        {label}
      </Text>
    );
  }
  return (
    <Popover width={420} position="bottom-start" shadow="md" withArrow>
      <Popover.Target>
        <Button
          variant="subtle"
          size="compact-sm"
          color={ok ? 'gray' : 'red'}
          className="portico-mono"
          aria-label={`${label}: show the response`}
        >
          {label}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={6}>
          <Text size="xs" c="dimmed">
            Start of the response body
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 240 }}>
            {delivery.responseExcerpt}
          </Code>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** Pending, and sent now or within a minute. */
function isDueSoon(delivery: WebhookDeliveryFieldsFragment): boolean {
  if (delivery.status !== 'PENDING') return false;
  return !delivery.nextAttemptAt || Date.parse(delivery.nextAttemptAt) - Date.now() < 60_000;
}

/** An endpoint's delivery log, newest first, with replay and a test event. */
export function WebhookDeliveriesCard({
  endpoint,
}: {
  endpoint: { id: string; url: string; enabled: boolean };
}) {
  const { data, error, refetch, loading, startPolling, stopPolling } = useQuery(
    WebhookDeliveriesQuery,
    { variables: { endpointId: endpoint.id }, fetchPolicy: 'cache-and-network' },
  );
  const [sendTest, sending] = useMutation(SendTestWebhookMutation, {
    refetchQueries: [WebhookDeliveriesQuery],
  });
  const [replay, replaying] = useMutation(ReplayWebhookDeliveryMutation, {
    refetchQueries: [WebhookDeliveriesQuery],
  });
  const node = data?.node;
  const deliveries = node && 'deliveries' in node ? node.deliveries.nodes : null;
  // A delivery about to be sent changes within seconds: look again until none is.
  useEffect(() => {
    if (!(deliveries ?? []).some(isDueSoon)) return;
    startPolling(1500);
    return () => stopPolling();
  }, [deliveries, startPolling, stopPolling]);

  const onTest = async () => {
    try {
      await sendTest({ variables: { input: { endpointId: endpoint.id } } });
      notifications.show({ color: 'teal', title: 'Test event queued', message: endpoint.url });
    } catch (caught) {
      notifications.show({ color: 'red', title: 'Could not send', message: errorMessage(caught) });
    }
  };
  const onReplay = async (delivery: WebhookDeliveryFieldsFragment) => {
    try {
      await replay({ variables: { input: { deliveryId: delivery.id } } });
      notifications.show({ color: 'teal', title: 'Replay queued', message: delivery.eventType });
    } catch (caught) {
      notifications.show({
        color: 'red',
        title: 'Could not replay',
        message: errorMessage(caught),
      });
    }
  };
  const testButton = (
    <Button
      variant="light"
      leftSection={<IconSend size={16} />}
      onClick={() => void onTest()}
      loading={sending.loading}
      disabled={!endpoint.enabled}
    >
      Send test event
    </Button>
  );

  return (
    <Card padding="md" aria-label="Delivery log">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <div style={{ minWidth: 0 }}>
          <Title order={4}>Delivery log</Title>
          <Text size="sm" c="dimmed" className="portico-mono" truncate="end">
            {endpoint.url}
          </Text>
        </div>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={() => void refetch()}
            loading={loading && Boolean(data)}
          >
            Refresh
          </Button>
          {testButton}
        </Group>
      </Group>
      {error && !data ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : !deliveries ? (
        <TableSkeleton rows={3} />
      ) : deliveries.length === 0 ? (
        <Empty
          icon={<IconInbox size={28} />}
          title="Nothing sent yet"
          description="Deliveries appear here as events happen. Send a test event to try your receiver now."
          actions={testButton}
        />
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="sm" highlightOnHover aria-label="Deliveries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Event</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Response</Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Last attempt</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.map((delivery) => (
                <Table.Tr key={delivery.id} data-testid="webhook-delivery">
                  <Table.Td>
                    <Text size="sm" fw={600} className="portico-mono">
                      {delivery.eventType}
                    </Text>
                    <Text size="xs" c="dimmed" className="portico-mono">
                      {delivery.messageId}
                      {delivery.replayOfId ? ' · replay' : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <DeliveryStatus delivery={delivery} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{delivery.attemptCount}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Response delivery={delivery} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {delivery.responseTimeMs === null ? '—' : `${delivery.responseTimeMs} ms`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Tooltip
                      label={formatDateTime(delivery.lastAttemptAt)}
                      disabled={!delivery.lastAttemptAt}
                    >
                      <Text size="sm" c="dimmed">
                        {delivery.lastAttemptAt ? formatRelative(delivery.lastAttemptAt) : '—'}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      onClick={() => void onReplay(delivery)}
                      disabled={!endpoint.enabled || replaying.loading}
                    >
                      Replay
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
