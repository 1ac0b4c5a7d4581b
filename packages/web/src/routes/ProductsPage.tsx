import { useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Card,
  Code,
  Group,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconFolder, IconPackages, IconReceipt } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { ApprovalModeBadge } from '../features/products/ApprovalModeBadge';
import { planForProduct } from '../features/products/orgPlans';
import { describeRules } from '../features/products/productFormat';
import { CatalogueQuery } from '../features/products/products.operations';
import { NotFoundPage } from './NotFoundPage';

/** The API products an organization's apps can request, with the org's plan for each. */
export function ProductsPage() {
  const { orgId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(CatalogueQuery, {
    variables: { organizationId: orgId },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;
  const products = data.products.filter((product) => !product.archivedAt);
  const planName = (rank: number) =>
    data.plans.find((plan) => plan.rank === rank)?.name ?? `rank ${rank}`;

  return (
    <>
      <PageHeader
        title="Products"
        description={`The APIs ${org.name}'s apps can request. Request a product from an app's Products tab.`}
      />
      {products.length === 0 ? (
        <Empty
          icon={<IconPackages size={28} />}
          title="No products yet"
          description="The API provider has not published any product."
        />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {products.map((product) => {
            const { plan, chosen } = planForProduct(product.id, org.planSubscriptions, data.plans);
            const rules = describeRules(product.approvalRules, planName);
            return (
              <Card
                key={product.id}
                padding="lg"
                component="article"
                aria-labelledby={`product-${product.id}`}
              >
                <Stack gap="sm" h="100%">
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <ThemeIcon variant="light" radius="md" size="lg">
                      <IconPackages size={18} />
                    </ThemeIcon>
                    <div style={{ minWidth: 0 }}>
                      <Title order={3} size="h4" id={`product-${product.id}`}>
                        {product.name}
                      </Title>
                      <Text size="xs" c="dimmed" className="portico-mono">
                        {product.slug}
                      </Text>
                    </div>
                  </Group>
                  <Text size="sm" c={product.description ? undefined : 'dimmed'}>
                    {product.description || 'No description.'}
                  </Text>
                  <Group gap={6}>
                    <ApprovalModeBadge mode={product.approvalMode} />
                    {product.requiresProject ? (
                      <Tooltip label="Only apps inside a project can get this product">
                        <Badge
                          variant="light"
                          color="blue"
                          size="sm"
                          leftSection={<IconFolder size={12} />}
                        >
                          Requires project
                        </Badge>
                      </Tooltip>
                    ) : (
                      <Badge variant="default" size="sm">
                        Any app
                      </Badge>
                    )}
                  </Group>
                  {rules.length > 0 ? (
                    <div>
                      <Text size="xs" fw={600} c="dimmed">
                        Approved at once when:
                      </Text>
                      {rules.map((rule) => (
                        <Text size="xs" c="dimmed" key={rule}>
                          • {rule}
                        </Text>
                      ))}
                    </div>
                  ) : null}
                  {product.pathPrefixes.length > 0 ? (
                    <Group gap={4}>
                      {product.pathPrefixes.slice(0, 4).map((prefix) => (
                        <Code key={prefix}>{prefix}</Code>
                      ))}
                      {product.pathPrefixes.length > 4 ? (
                        <Text size="xs" c="dimmed">
                          +{product.pathPrefixes.length - 4}
                        </Text>
                      ) : null}
                    </Group>
                  ) : null}
                  <Group
                    mt="auto"
                    pt="sm"
                    justify="space-between"
                    style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
                  >
                    <Group gap={6}>
                      <IconReceipt size={16} aria-hidden />
                      <Text size="sm">
                        Plan:{' '}
                        <Text span fw={600} inherit>
                          {plan?.name ?? '—'}
                        </Text>
                        {chosen ? '' : ' (default)'}
                      </Text>
                    </Group>
                    <Anchor component={Link} to={`/orgs/${org.id}/plans`} size="sm">
                      Plans and limits
                    </Anchor>
                  </Group>
                </Stack>
              </Card>
            );
          })}
        </SimpleGrid>
      )}
    </>
  );
}
