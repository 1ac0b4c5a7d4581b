import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconLock, IconReceipt } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { AppModal } from '../features/common/AppModal';
import { formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, FormAlert, PageSkeleton, QueryError } from '../features/common/states';
import { useServerErrors } from '../features/forms/useServerErrors';
import { planForProduct } from '../features/products/orgPlans';
import { PlanComparisonTable } from '../features/products/PlanComparisonTable';
import { formatCap } from '../features/products/productFormat';
import { ChangePlanMutation, OrgPlansQuery } from '../features/products/products.operations';
import type { PlanFieldsFragment } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';

interface ChangeTarget {
  productId: string;
  productName: string;
  planId: string | null;
}

/** The organization's plan per product; admins change it, developers read it. */
export function PlansPage() {
  const { orgId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(OrgPlansQuery, {
    variables: { organizationId: orgId },
    fetchPolicy: 'cache-and-network',
  });
  const [target, setTarget] = useState<ChangeTarget | null>(null);
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;
  const isAdmin = org.viewerRole === 'ADMIN';
  const products = data.products.filter((product) => !product.archivedAt);
  const rows = products.map((product) => ({
    product,
    subscription: org.planSubscriptions.find((sub) => sub.product.id === product.id) ?? null,
    ...planForProduct(product.id, org.planSubscriptions, data.plans),
  }));
  const currentIds = new Set(rows.flatMap((row) => (row.plan ? [row.plan.id] : [])));

  return (
    <>
      <PageHeader
        title="Plans"
        description={`${org.name} has one plan per product. The plan sets the monthly caps, the rate limit and how many apps and dev environments you may have.`}
      />
      {!isAdmin ? (
        <Alert color="gray" variant="light" icon={<IconLock size={18} />} mb="lg">
          Only organization admins can change plans.
        </Alert>
      ) : null}
      <Stack gap="lg">
        {rows.length === 0 ? (
          <Empty
            icon={<IconReceipt size={28} />}
            title="No products yet"
            description="Plans apply per product; the API provider has not published any product."
          />
        ) : (
          <Card padding="lg">
            <Title order={3} size="h4" mb="sm">
              Your plans
            </Title>
            <Table.ScrollContainer minWidth={600}>
              <Table verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Product</Table.Th>
                    <Table.Th>Current plan</Table.Th>
                    <Table.Th>Requests / month</Table.Th>
                    <Table.Th>Changed</Table.Th>
                    {isAdmin ? <Table.Th aria-label="Actions" /> : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map(({ product, plan, chosen, subscription }) => (
                    <Table.Tr key={product.id}>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {product.name}
                        </Text>
                        {product.description ? (
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {product.description}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs">
                          <Badge variant="light" color="indigo">
                            {plan?.name ?? '—'}
                          </Badge>
                          {chosen ? null : (
                            <Text size="xs" c="dimmed">
                              default
                            </Text>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatCap(plan?.monthlyRequestCap)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {subscription ? formatRelative(subscription.updatedAt) : '—'}
                        </Text>
                      </Table.Td>
                      {isAdmin ? (
                        <Table.Td ta="right">
                          <Button
                            size="xs"
                            variant="light"
                            onClick={() =>
                              setTarget({
                                productId: product.id,
                                productName: product.name,
                                planId: plan?.id ?? null,
                              })
                            }
                          >
                            Change plan
                          </Button>
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        )}
        <Card padding="lg">
          <Title order={3} size="h4" mb="sm">
            Compare plans
          </Title>
          <PlanComparisonTable plans={data.plans} current={currentIds} />
        </Card>
      </Stack>
      <AppModal
        opened={target !== null}
        onClose={() => setTarget(null)}
        title={<Text fw={600}>Change plan for {target?.productName}</Text>}
      >
        {target ? (
          <ChangePlanForm
            organizationId={org.id}
            target={target}
            plans={data.plans}
            onDone={() => setTarget(null)}
          />
        ) : null}
      </AppModal>
    </>
  );
}

function describePlan(plan: PlanFieldsFragment | undefined): string | undefined {
  if (!plan) return undefined;
  return `${formatCap(plan.monthlyRequestCap)} requests a month, up to ${plan.maxApps} apps and ${plan.maxDevEnvironments} dev environments.`;
}

interface ChangePlanFormProps {
  organizationId: string;
  target: ChangeTarget;
  plans: readonly PlanFieldsFragment[];
  onDone: () => void;
}

function ChangePlanForm({ organizationId, target, plans, onDone }: ChangePlanFormProps) {
  const [changePlan, { loading }] = useMutation(ChangePlanMutation);
  const form = useForm({ initialValues: { planId: target.planId ?? '' } });
  const server = useServerErrors(form);
  const sorted = [...plans].sort((a, b) => a.rank - b.rank);
  const submit = form.onSubmit(async (values) => {
    server.clear();
    if (!values.planId) {
      form.setFieldError('planId', 'Choose a plan.');
      return;
    }
    try {
      await changePlan({
        variables: {
          input: { organizationId, productId: target.productId, planId: values.planId },
        },
      });
      const name = plans.find((plan) => plan.id === values.planId)?.name ?? 'the new plan';
      notifications.show({
        color: 'teal',
        title: 'Plan changed',
        message: `${target.productName} is now on ${name}.`,
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
        <Select
          label="Plan"
          data={sorted.map((plan) => ({ value: plan.id, label: plan.name }))}
          description={describePlan(plans.find((plan) => plan.id === form.getValues().planId))}
          allowDeselect={false}
          data-autofocus
          {...form.getInputProps('planId')}
        />
        <Text size="xs" c="dimmed">
          Moving to a lower plan is refused while the organization has more apps or dev environments
          than it allows.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Change plan
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
