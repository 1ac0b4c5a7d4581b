import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Card, Code, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBox, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useViewer } from '../features/accounts/viewer';
import { ConfirmModal } from '../features/common/AppModal';
import { formatDate } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, QueryError, TableSkeleton } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import { ApprovalModeBadge } from '../features/products/ApprovalModeBadge';
import { ProductFormModal } from '../features/products/ProductFormModal';
import { describeRules } from '../features/products/productFormat';
import {
  ArchiveProductMutation,
  StaffProductsQuery,
} from '../features/products/products.operations';
import type { ProductFieldsFragment } from '../gql/graphql';

export function StaffProductsPage() {
  const viewer = useViewer();
  if (viewer.platformRole !== 'STAFF') {
    return <Empty title="Staff only" description="Products are managed by the portal's staff." />;
  }
  return <StaffProducts />;
}

function StaffProducts() {
  const { data, error, refetch } = useQuery(StaffProductsQuery, {
    fetchPolicy: 'cache-and-network',
  });
  const [formTarget, setFormTarget] = useState<ProductFieldsFragment | 'new' | null>(null);
  const [archiveTarget, setArchiveTarget] = useState<ProductFieldsFragment | null>(null);
  const [archive, archiving] = useMutation(ArchiveProductMutation);
  const plans = data?.plans ?? [];
  const planName = (rank: number) =>
    plans.find((plan) => plan.rank === rank)?.name ?? `rank ${rank}`;

  const onArchive = async () => {
    if (!archiveTarget) return;
    try {
      await archive({ variables: { input: { productId: archiveTarget.id } } });
      notifications.show({ color: 'teal', title: 'Product archived', message: archiveTarget.name });
      setArchiveTarget(null);
    } catch (failure) {
      notifications.show({
        color: 'red',
        title: 'Could not archive',
        message: errorMessage(failure),
      });
    }
  };

  return (
    <>
      <PageHeader
        title="Products"
        description="The API products apps request, their gateway paths and how requests are approved."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setFormTarget('new')}>
            New product
          </Button>
        }
      />
      {error && !data ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Card padding="md">
          <TableSkeleton rows={4} />
        </Card>
      ) : data.products.length === 0 ? (
        <Empty
          icon={<IconBox size={28} />}
          title="No products yet"
          description="Create the first product developers can request."
          actions={
            <Button leftSection={<IconPlus size={16} />} onClick={() => setFormTarget('new')}>
              New product
            </Button>
          }
        />
      ) : (
        <Card padding="sm">
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Product</Table.Th>
                  <Table.Th>Approval</Table.Th>
                  <Table.Th>Path prefixes</Table.Th>
                  <Table.Th>Project</Table.Th>
                  <Table.Th>Updated</Table.Th>
                  <Table.Th aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.products.map((product) => {
                  const rules = describeRules(product.approvalRules, planName);
                  return (
                    <Table.Tr key={product.id} opacity={product.archivedAt ? 0.6 : 1}>
                      <Table.Td>
                        <Group gap="xs">
                          <Text size="sm" fw={600}>
                            {product.name}
                          </Text>
                          {product.archivedAt ? (
                            <Badge size="xs" color="gray" variant="light">
                              Archived
                            </Badge>
                          ) : null}
                        </Group>
                        <Text size="xs" c="dimmed" className="portico-mono">
                          {product.slug}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <ApprovalModeBadge mode={product.approvalMode} />
                        {rules.map((rule) => (
                          <Text key={rule} size="xs" c="dimmed">
                            {rule}
                          </Text>
                        ))}
                      </Table.Td>
                      <Table.Td maw={260}>
                        <Group gap={4}>
                          {product.pathPrefixes.map((prefix) => (
                            <Code key={prefix}>{prefix}</Code>
                          ))}
                          {product.dmPathPrefixes.map((prefix) => (
                            <Code key={`dm-${prefix}`} color="var(--mantine-color-grape-light)">
                              DM {prefix}
                            </Code>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{product.requiresProject ? 'Required' : 'Any app'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {formatDate(product.updatedAt)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {product.archivedAt ? null : (
                          <Group gap="xs" justify="flex-end" wrap="nowrap">
                            <Button
                              size="xs"
                              variant="subtle"
                              onClick={() => setFormTarget(product)}
                            >
                              Edit
                            </Button>
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() => setArchiveTarget(product)}
                            >
                              Archive
                            </Button>
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <ProductFormModal
        opened={formTarget !== null}
        onClose={() => setFormTarget(null)}
        product={formTarget === 'new' ? null : formTarget}
        plans={plans}
      />
      <ConfirmModal
        opened={archiveTarget !== null}
        onClose={() => setArchiveTarget(null)}
        title="Archive product"
        confirmLabel="Archive product"
        danger
        loading={archiving.loading}
        onConfirm={() => void onArchive()}
      >
        <Text size="sm">
          Archive <b>{archiveTarget?.name}</b>? Developers no longer see it, its path prefixes are
          freed, and it can no longer be changed.
        </Text>
      </ConfirmModal>
    </>
  );
}
