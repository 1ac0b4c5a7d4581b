import { useMutation, useQuery } from '@apollo/client/react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconDots,
  IconKey,
  IconLock,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlus,
  IconTrash,
  IconWebhook,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ConfirmModal } from '../features/common/AppModal';
import { formatDate, formatDateTime, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError, TableSkeleton } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import { eventName } from '../features/webhooks/eventTypes';
import { NewWebhookEndpointModal } from '../features/webhooks/NewWebhookEndpointModal';
import { RotateWebhookSecretModal } from '../features/webhooks/RotateWebhookSecretModal';
import { WebhookDeliveriesCard } from '../features/webhooks/WebhookDeliveriesCard';
import {
  DeleteWebhookEndpointMutation,
  DisableWebhookEndpointMutation,
  EnableWebhookEndpointMutation,
  WebhookEndpointsQuery,
  WebhooksPageQuery,
} from '../features/webhooks/webhooks.operations';
import type { WebhookEndpointFieldsFragment } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';

const DESCRIPTION =
  "Send your organization's events to your own systems. Every delivery is signed (Standard Webhooks), retried with backoff when it fails, and logged here.";

/** The organization's webhook endpoints and their delivery logs: admins only. */
export function WebhooksPage() {
  const { orgId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(WebhooksPageQuery, {
    variables: { organizationId: orgId },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;
  if (org.viewerRole !== 'ADMIN') {
    return (
      <>
        <PageHeader title="Webhooks" description={DESCRIPTION} />
        <Empty
          icon={<IconLock size={28} />}
          title="Admins only"
          description={`Ask an admin of ${org.name} to set up webhooks.`}
        />
      </>
    );
  }
  return <Webhooks organizationId={org.id} />;
}

function isFuture(iso: string): boolean {
  return Date.parse(iso) > Date.now();
}

function EndpointStatus({ endpoint }: { endpoint: WebhookEndpointFieldsFragment }) {
  if (!endpoint.enabled) {
    return (
      <Tooltip label={endpoint.disabledReason ?? 'Disabled'} multiline w={260}>
        <Badge color="gray" variant="light">
          Disabled
        </Badge>
      </Tooltip>
    );
  }
  if (endpoint.failingSince) {
    return (
      <Tooltip
        label={`Every attempt has failed since ${formatDateTime(endpoint.failingSince)}. After three days the endpoint is disabled.`}
        multiline
        w={260}
      >
        <Badge color="orange" variant="light">
          Failing
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge color="teal" variant="light">
      Enabled
    </Badge>
  );
}

function Webhooks({ organizationId }: { organizationId: string }) {
  const { data, error, refetch } = useQuery(WebhookEndpointsQuery, {
    variables: { organizationId },
    fetchPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpointFieldsFragment | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpointFieldsFragment | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [disable] = useMutation(DisableWebhookEndpointMutation);
  const [enable] = useMutation(EnableWebhookEndpointMutation);
  const [remove, removing] = useMutation(DeleteWebhookEndpointMutation, {
    refetchQueries: [WebhookEndpointsQuery],
    awaitRefetchQueries: true,
  });

  const endpoints = data?.webhookEndpoints ?? [];
  const selected = endpoints.find((e) => e.id === selectedId) ?? endpoints[0] ?? null;
  const addButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      Add endpoint
    </Button>
  );

  const toggle = async (endpoint: WebhookEndpointFieldsFragment) => {
    try {
      const input = { endpointId: endpoint.id };
      if (endpoint.enabled) await disable({ variables: { input } });
      else await enable({ variables: { input } });
      notifications.show({
        color: 'teal',
        title: endpoint.enabled ? 'Endpoint disabled' : 'Endpoint enabled',
        message: endpoint.url,
      });
    } catch (caught) {
      notifications.show({
        color: 'red',
        title: 'Could not change it',
        message: errorMessage(caught),
      });
    }
  };
  const onDelete = async () => {
    if (!deleting) return;
    setDeleteError(null);
    try {
      await remove({ variables: { input: { endpointId: deleting.id } } });
      notifications.show({ color: 'teal', title: 'Endpoint deleted', message: deleting.url });
      setDeleting(null);
    } catch (caught) {
      setDeleteError(errorMessage(caught));
    }
  };

  return (
    <>
      <PageHeader
        title="Webhooks"
        description={DESCRIPTION}
        actions={endpoints.length > 0 ? addButton : null}
      />
      <Stack gap="lg">
        {error && !data ? (
          <QueryError error={error} onRetry={() => void refetch()} />
        ) : !data ? (
          <Card padding="md">
            <TableSkeleton rows={2} />
          </Card>
        ) : endpoints.length === 0 ? (
          <Empty
            icon={<IconWebhook size={28} />}
            title="No webhook endpoints yet"
            description="Add an endpoint to be told when apps are approved or suspended, credentials change, usage nears its cap or the team changes."
            actions={addButton}
          />
        ) : (
          <>
            {endpoints.some((e) => !e.enabled && e.disabledReason?.startsWith('Every')) ? (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
                An endpoint was disabled because every delivery to it failed for three days. Fix the
                receiver, then enable it: pending deliveries go out again.
              </Alert>
            ) : null}
            <Card padding="sm">
              <Table.ScrollContainer minWidth={760}>
                <Table verticalSpacing="sm" highlightOnHover aria-label="Webhook endpoints">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Endpoint</Table.Th>
                      <Table.Th>Events</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Secret</Table.Th>
                      <Table.Th>
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {endpoints.map((endpoint) => (
                      <Table.Tr
                        key={endpoint.id}
                        onClick={() => setSelectedId(endpoint.id)}
                        style={{ cursor: 'pointer' }}
                        bg={
                          selected?.id === endpoint.id
                            ? 'var(--mantine-color-default-hover)'
                            : undefined
                        }
                        aria-selected={selected?.id === endpoint.id}
                      >
                        <Table.Td maw={360}>
                          <Text size="sm" fw={600} className="portico-mono" truncate="end">
                            {endpoint.url}
                          </Text>
                          <Text size="xs" c="dimmed" truncate="end">
                            {endpoint.description || `Added ${formatDate(endpoint.createdAt)}`}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            {endpoint.eventTypes.map((type) => (
                              <Badge key={type} variant="outline" color="gray" tt="none" size="sm">
                                {eventName(type)}
                              </Badge>
                            ))}
                          </Group>
                        </Table.Td>
                        <Table.Td style={{ minWidth: 112 }}>
                          <EndpointStatus endpoint={endpoint} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" c="dimmed">
                            Made {formatRelative(endpoint.secretCreatedAt)}
                          </Text>
                          {endpoint.previousSecretExpiresAt &&
                          isFuture(endpoint.previousSecretExpiresAt) ? (
                            <Text size="xs" c="dimmed">
                              Old secret signs until{' '}
                              {formatDateTime(endpoint.previousSecretExpiresAt)}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td onClick={(event) => event.stopPropagation()}>
                          <Menu position="bottom-end" withinPortal>
                            <Menu.Target>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                aria-label={`Actions for ${endpoint.url}`}
                              >
                                <IconDots size={18} />
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item
                                leftSection={<IconKey size={16} />}
                                onClick={() => setRotating(endpoint)}
                              >
                                Rotate secret
                              </Menu.Item>
                              <Menu.Item
                                leftSection={
                                  endpoint.enabled ? (
                                    <IconPlayerPause size={16} />
                                  ) : (
                                    <IconPlayerPlay size={16} />
                                  )
                                }
                                onClick={() => void toggle(endpoint)}
                              >
                                {endpoint.enabled ? 'Disable' : 'Enable'}
                              </Menu.Item>
                              <Menu.Divider />
                              <Menu.Item
                                color="red"
                                leftSection={<IconTrash size={16} />}
                                onClick={() => setDeleting(endpoint)}
                              >
                                Delete
                              </Menu.Item>
                            </Menu.Dropdown>
                          </Menu>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
            {selected ? <WebhookDeliveriesCard key={selected.id} endpoint={selected} /> : null}
          </>
        )}
      </Stack>
      <NewWebhookEndpointModal
        organizationId={organizationId}
        opened={creating}
        onClose={() => setCreating(false)}
      />
      <RotateWebhookSecretModal endpoint={rotating} onClose={() => setRotating(null)} />
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => {
          setDeleting(null);
          setDeleteError(null);
        }}
        title="Delete webhook endpoint?"
        confirmLabel="Delete endpoint"
        onConfirm={() => void onDelete()}
        loading={removing.loading}
        danger
        error={deleteError}
      >
        <Text size="sm">
          Portico stops sending to <b>{deleting?.url}</b> and deletes its delivery log. This cannot
          be undone.
        </Text>
      </ConfirmModal>
    </>
  );
}
