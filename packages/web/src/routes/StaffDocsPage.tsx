import { useMutation, useQuery } from '@apollo/client/react';
import { Anchor, Badge, Card, Group, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileText } from '@tabler/icons-react';
import { Link } from 'react-router';
import {
  StaffDocsQuery,
  UpdateProductCatalogueMutation,
} from '../features/catalogue/catalogue.operations';
import { LifecycleBadges } from '../features/catalogue/LifecycleBadges';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';

/** Staff: each product's documentation, whether it is public, and whether it is in Labs. */
export function StaffDocsPage() {
  const { data, loading, error, refetch } = useQuery(StaffDocsQuery, {
    fetchPolicy: 'cache-and-network',
  });
  const [update] = useMutation(UpdateProductCatalogueMutation);
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const products = (data?.products ?? []).filter((product) => !product.archivedAt);

  const toggle = async (productId: string, change: { docsPublic?: boolean; labs?: boolean }) => {
    try {
      await update({ variables: { input: { productId, ...change } } });
    } catch (failure) {
      notifications.show({ color: 'red', title: 'Not changed', message: errorMessage(failure) });
    }
  };

  return (
    <>
      <PageHeader
        title="Documentation"
        description="Write each product's overview, guides and OpenAPI description, and keep its changelog."
      />
      {products.length === 0 ? (
        <Empty icon={<IconFileText size={28} />} title="No products yet" />
      ) : (
        <Card padding={0}>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover aria-label="Products">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Product</Table.Th>
                  <Table.Th>Documents</Table.Th>
                  <Table.Th>Public docs</Table.Th>
                  <Table.Th>Labs</Table.Th>
                  <Table.Th>Lifecycle</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {products.map((product) => (
                  <Table.Tr key={product.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/staff/docs/${product.id}`} fw={600}>
                        {product.name}
                      </Anchor>
                      <Text size="xs" c="dimmed" className="portico-mono">
                        {product.slug}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {product.documents.some((d) => d.kind === 'OPENAPI') ? (
                          <Badge size="sm" variant="light">
                            OpenAPI
                          </Badge>
                        ) : null}
                        <Badge size="sm" variant="default">
                          {product.documents.filter((d) => d.kind !== 'OPENAPI').length} pages
                        </Badge>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Switch
                        checked={product.docsPublic}
                        onChange={(event) =>
                          void toggle(product.id, { docsPublic: event.currentTarget.checked })
                        }
                        aria-label={`Public docs for ${product.name}`}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Switch
                        color="grape"
                        checked={product.labs}
                        onChange={(event) =>
                          void toggle(product.id, { labs: event.currentTarget.checked })
                        }
                        aria-label={`Labs: ${product.name}`}
                      />
                    </Table.Td>
                    <Table.Td>
                      {product.deprecation ? (
                        <LifecycleBadges
                          deprecatedAt={product.deprecation.deprecationAt}
                          sunsetAt={product.deprecation.sunsetAt}
                        />
                      ) : (
                        <Text size="sm" c="dimmed">
                          Active
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </>
  );
}
