import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconLock, IconPlus, IconServer2 } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ConfirmModal } from '../features/common/AppModal';
import { formatDate } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { EnvironmentFormModal } from '../features/environments/EnvironmentFormModal';
import {
  DeleteDevEnvironmentMutation,
  EnvironmentsQuery,
} from '../features/environments/environments.operations';
import { errorMessage } from '../features/forms/serverErrors';
import { planForProduct } from '../features/products/orgPlans';
import type { DevEnvironmentFieldsFragment } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';

/** Dev environments per product; admins add, edit and delete them within the plan's limit. */
export function EnvironmentsPage() {
  const { orgId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(EnvironmentsQuery, {
    variables: { organizationId: orgId },
    fetchPolicy: 'cache-and-network',
  });
  const [formTarget, setFormTarget] = useState<DevEnvironmentFieldsFragment | 'new' | null>(null);
  const [deleteTarget, setDeleteTarget] = useState<DevEnvironmentFieldsFragment | null>(null);
  const [deleteEnvironment, deleting] = useMutation(DeleteDevEnvironmentMutation, {
    refetchQueries: [EnvironmentsQuery],
    awaitRefetchQueries: true,
  });

  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;
  const isAdmin = org.viewerRole === 'ADMIN';
  const products = data.products
    .filter((product) => !product.archivedAt)
    .map((product) => {
      const { plan } = planForProduct(product.id, org.planSubscriptions, data.plans);
      const used = org.devEnvironments.filter((env) => env.product.id === product.id).length;
      const max = plan?.maxDevEnvironments ?? 0;
      return { ...product, plan, used, max, full: used >= max };
    });
  const fullProducts = products.filter((product) => product.full);
  const allFull = products.length > 0 && fullProducts.length === products.length;

  const onDelete = async () => {
    if (!deleteTarget) return;
    try {
      await deleteEnvironment({ variables: { input: { devEnvironmentId: deleteTarget.id } } });
      notifications.show({
        color: 'teal',
        title: 'Environment deleted',
        message: deleteTarget.label,
      });
      setDeleteTarget(null);
    } catch (failure) {
      notifications.show({
        color: 'red',
        title: 'Could not delete',
        message: errorMessage(failure),
      });
    }
  };

  const newButton = isAdmin ? (
    <Button
      leftSection={<IconPlus size={16} />}
      onClick={() => setFormTarget('new')}
      disabled={products.length === 0 || allFull}
    >
      New environment
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Environments"
        description="Dev environments isolate usage, rules and rate limits per product. Your plan sets how many you may have."
        actions={newButton}
      />
      {!isAdmin ? (
        <Alert color="gray" variant="light" icon={<IconLock size={18} />} mb="lg">
          Only organization admins can add, change or delete environments.
        </Alert>
      ) : null}
      {fullProducts.length > 0 ? (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title="Plan limit reached"
          mb="lg"
        >
          {fullProducts
            .map(
              (product) =>
                `${product.name}: your ${product.plan?.name ?? ''} plan allows ${product.max} dev ${product.max === 1 ? 'environment' : 'environments'}`,
            )
            .join('. ')}
          .{' '}
          <Anchor component={Link} to={`/orgs/${org.id}/plans`} inherit>
            {isAdmin ? 'Upgrade the plan' : 'See plans'}
          </Anchor>{' '}
          to add more.
        </Alert>
      ) : null}
      {products.length === 0 ? (
        <Empty
          icon={<IconServer2 size={28} />}
          title="No products yet"
          description="Environments belong to a product; the API provider has not published any."
        />
      ) : org.devEnvironments.length === 0 ? (
        <Empty
          icon={<IconServer2 size={28} />}
          title="No environments yet"
          description={
            isAdmin
              ? 'Add one per stage (development, staging …) and attach an app to it.'
              : 'Admins of the organization add environments.'
          }
        />
      ) : (
        <Stack gap="lg">
          {products
            .filter((product) => product.used > 0)
            .map((product) => (
              <Card key={product.id} padding="lg">
                <Group justify="space-between" mb="sm">
                  <Title order={3} size="h4">
                    {product.name}
                  </Title>
                  <Badge variant="light" color={product.full ? 'orange' : 'gray'}>
                    {product.used} of {product.max} on {product.plan?.name ?? 'your plan'}
                  </Badge>
                </Group>
                <Table.ScrollContainer minWidth={560}>
                  <Table verticalSpacing="sm" highlightOnHover>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Label</Table.Th>
                        <Table.Th>App</Table.Th>
                        <Table.Th>Created</Table.Th>
                        <Table.Th aria-label="Actions" />
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {org.devEnvironments
                        .filter((env) => env.product.id === product.id)
                        .map((env) => (
                          <Table.Tr key={env.id}>
                            <Table.Td>
                              <Text size="sm" fw={600}>
                                {env.label}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              {env.app ? (
                                <Anchor
                                  component={Link}
                                  to={`/orgs/${org.id}/apps/${env.app.id}`}
                                  size="sm"
                                >
                                  {env.app.name}
                                </Anchor>
                              ) : (
                                <Text size="sm" c="dimmed">
                                  No app
                                </Text>
                              )}
                            </Table.Td>
                            <Table.Td>
                              <Text size="sm" c="dimmed">
                                {formatDate(env.createdAt)}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              <Group gap="xs" justify="flex-end" wrap="nowrap">
                                <Button
                                  size="xs"
                                  variant="subtle"
                                  component={Link}
                                  to={`/orgs/${org.id}/usage?of=${env.id}`}
                                >
                                  Usage
                                </Button>
                                {isAdmin ? (
                                  <>
                                    <Button
                                      size="xs"
                                      variant="subtle"
                                      onClick={() => setFormTarget(env)}
                                    >
                                      Edit
                                    </Button>
                                    <Button
                                      size="xs"
                                      variant="subtle"
                                      color="red"
                                      onClick={() => setDeleteTarget(env)}
                                    >
                                      Delete
                                    </Button>
                                  </>
                                ) : null}
                              </Group>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
            ))}
        </Stack>
      )}
      <EnvironmentFormModal
        opened={formTarget !== null}
        onClose={() => setFormTarget(null)}
        organizationId={org.id}
        environment={formTarget === 'new' ? null : formTarget}
        products={products}
        apps={org.appsConnection.nodes}
      />
      <ConfirmModal
        opened={deleteTarget !== null}
        onClose={() => setDeleteTarget(null)}
        title="Delete environment"
        confirmLabel="Delete environment"
        danger
        loading={deleting.loading}
        onConfirm={() => void onDelete()}
      >
        <Text size="sm">
          Delete <b>{deleteTarget?.label}</b> ({deleteTarget?.product.name})? Its usage history is
          kept.
        </Text>
      </ConfirmModal>
    </>
  );
}
