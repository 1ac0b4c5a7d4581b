import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Collapse,
  Group,
  MultiSelect,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPackages, IconPlus } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { GrantFieldsFragment } from '../../gql/graphql';
import { AppModal, ConfirmModal } from '../common/AppModal';
import { formatDateTime, formatRelative } from '../common/format';
import { Empty, FormAlert, QueryError, TableSkeleton } from '../common/states';
import { errorMessage } from '../forms/serverErrors';
import { useServerErrors } from '../forms/useServerErrors';
import { approvalModeLabels, ruleLabel } from '../products/productFormat';
import { decidedByText, requestableProductIds, splitCurrentGrants } from './grantDisplay';
import {
  AppGrantsQuery,
  RequestProductsMutation,
  WithdrawGrantRequestMutation,
} from './grants.operations';
import { GrantStatusBadge } from './GrantStatusBadge';

interface AppProductsTabProps {
  appId: string;
  orgId: string;
}

/** The app's products: each product's current grant, history, requests and withdrawals. */
export function AppProductsTab({ appId, orgId }: AppProductsTabProps) {
  const { data, loading, error, refetch } = useQuery(AppGrantsQuery, {
    variables: { id: appId },
    fetchPolicy: 'cache-and-network',
  });
  const [requestOpened, requestHandlers] = useDisclosure(false);
  const [historyOpened, historyHandlers] = useDisclosure(false);
  const [withdrawTarget, setWithdrawTarget] = useState<GrantFieldsFragment | null>(null);
  const [withdraw, withdrawing] = useMutation(WithdrawGrantRequestMutation);

  if (loading && !data) {
    return (
      <Card padding="lg">
        <TableSkeleton rows={3} />
      </Card>
    );
  }
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const app = data?.app;
  if (!app) return null;
  const { current, history } = splitCurrentGrants(app.grants);
  const canRequest = requestableProductIds(app.grants);
  const requestable = (data.products ?? []).filter((product) => canRequest(product.id));
  const manage = app.viewerCanManage;

  const onWithdraw = async () => {
    if (!withdrawTarget) return;
    try {
      await withdraw({ variables: { input: { grantId: withdrawTarget.id } } });
      notifications.show({
        color: 'teal',
        title: 'Request withdrawn',
        message: `${withdrawTarget.product.name} is no longer requested.`,
      });
      setWithdrawTarget(null);
    } catch (failure) {
      notifications.show({
        color: 'red',
        title: 'Could not withdraw',
        message: errorMessage(failure),
      });
    }
  };

  const requestButton = manage ? (
    <Button
      leftSection={<IconPlus size={16} />}
      onClick={requestHandlers.open}
      disabled={requestable.length === 0}
    >
      Request products
    </Button>
  ) : null;

  return (
    <Stack gap="lg">
      {current.length === 0 ? (
        <Empty
          icon={<IconPackages size={28} />}
          title="No products yet"
          description={
            <>
              Request API products to let this app's credentials call them. See the{' '}
              <Anchor component={Link} to={`/orgs/${orgId}/products`} inherit>
                product catalogue
              </Anchor>
              .
            </>
          }
          actions={requestButton}
        />
      ) : (
        <Card padding="lg">
          <Group justify="space-between" mb="md">
            <div>
              <Title order={3} size="h4">
                Products
              </Title>
              <Text size="sm" c="dimmed">
                The app's credentials work for approved products only.
              </Text>
            </div>
            {requestButton}
          </Group>
          <GrantsTable
            grants={current}
            actions={(grant) =>
              manage && grant.status === 'PENDING' ? (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => setWithdrawTarget(grant)}
                >
                  Withdraw
                </Button>
              ) : null
            }
          />
          {history.length > 0 ? (
            <>
              <Button variant="subtle" size="xs" mt="md" onClick={historyHandlers.toggle}>
                {historyOpened ? 'Hide history' : `Show history (${history.length})`}
              </Button>
              <Collapse expanded={historyOpened}>
                <GrantsTable grants={history} />
              </Collapse>
            </>
          ) : null}
        </Card>
      )}

      <AppModal
        opened={requestOpened}
        onClose={requestHandlers.close}
        title={<Text fw={600}>Request products</Text>}
      >
        {requestOpened ? (
          <RequestProductsForm
            appId={app.id}
            standalone={!app.project}
            products={requestable}
            onDone={requestHandlers.close}
          />
        ) : null}
      </AppModal>
      <ConfirmModal
        opened={withdrawTarget !== null}
        onClose={() => setWithdrawTarget(null)}
        title="Withdraw request"
        confirmLabel="Withdraw request"
        danger
        loading={withdrawing.loading}
        onConfirm={() => void onWithdraw()}
      >
        <Text size="sm">
          Withdraw the request for <b>{withdrawTarget?.product.name}</b>? You can request it again
          later.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}

export function GrantsTable({
  grants,
  actions,
}: {
  grants: readonly GrantFieldsFragment[];
  actions?: (grant: GrantFieldsFragment) => ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Product</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Decided by</Table.Th>
            <Table.Th>When</Table.Th>
            {actions ? <Table.Th aria-label="Actions" /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {grants.map((grant) => {
            const when = grant.decidedAt ?? grant.createdAt;
            return (
              <Table.Tr key={grant.id} data-grant-id={grant.id}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {grant.product.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {approvalModeLabels[grant.product.approvalMode]}
                  </Text>
                </Table.Td>
                <Table.Td miw={110}>
                  <GrantStatusBadge status={grant.status} />
                </Table.Td>
                <Table.Td maw={320}>
                  {grant.reason ? (
                    <Text size="sm">{grant.reason}</Text>
                  ) : grant.status === 'PENDING' && grant.unmetRules.length > 0 ? (
                    <Text size="xs" c="dimmed">
                      Waiting for review: {grant.unmetRules.map(ruleLabel).join(', ')}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {grant.status === 'PENDING' ? 'Waiting for review' : '—'}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{decidedByText(grant) ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Tooltip label={formatDateTime(when)}>
                    <Text size="sm" c="dimmed">
                      {grant.decidedAt ? '' : 'Requested '}
                      {formatRelative(when)}
                    </Text>
                  </Tooltip>
                </Table.Td>
                {actions ? <Table.Td ta="right">{actions(grant)}</Table.Td> : null}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface RequestProductsFormProps {
  appId: string;
  standalone: boolean;
  products: readonly { id: string; name: string; requiresProject: boolean }[];
  onDone: () => void;
}

function RequestProductsForm({ appId, standalone, products, onDone }: RequestProductsFormProps) {
  const [requestProducts, { loading }] = useMutation(RequestProductsMutation);
  const form = useForm({ initialValues: { productIds: [] as string[] } });
  const server = useServerErrors(form);
  const submit = form.onSubmit(async (values) => {
    server.clear();
    if (values.productIds.length === 0) {
      form.setFieldError('productIds', 'Choose at least one product.');
      return;
    }
    try {
      const result = await requestProducts({
        variables: { input: { appId, productIds: values.productIds } },
      });
      const grants = result.data?.requestProducts.app.grants ?? [];
      const approved = grants.filter(
        (grant) => values.productIds.includes(grant.product.id) && grant.status === 'APPROVED',
      ).length;
      notifications.show({
        color: 'teal',
        title: 'Request sent',
        message:
          approved === values.productIds.length
            ? 'Approved at once.'
            : approved > 0
              ? `${approved} approved at once; the rest wait for review.`
              : 'The API provider will review it.',
      });
      onDone();
    } catch (error) {
      server.apply(error);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={server.formError} />
        {standalone && products.some((product) => product.requiresProject) ? (
          <Alert variant="light" color="gray">
            Some products are only for apps in a project; move this app into a project to request
            them.
          </Alert>
        ) : null}
        <MultiSelect
          label="Products"
          placeholder="Choose products"
          data={products.map((product) => ({
            value: product.id,
            label: product.name,
            disabled: standalone && product.requiresProject,
          }))}
          searchable
          data-autofocus
          {...form.getInputProps('productIds')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Send request
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
