import { useQuery } from '@apollo/client/react';
import { Anchor, Card, SimpleGrid, Stack, Text, ThemeIcon, Title, Group } from '@mantine/core';
import { IconBook2 } from '@tabler/icons-react';
import { Link } from 'react-router';
import { ViewerQuery } from '../features/accounts/viewer';
import { DocsHomeQuery } from '../features/catalogue/catalogue.operations';
import { DocsSearch } from '../features/catalogue/DocsSearch';
import { ProductBadges } from '../features/catalogue/ProductBadges';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';

/** Every product whose documentation the reader may see, with a search over all of them. */
export function DocsHomePage() {
  const { data, loading, error, refetch } = useQuery(DocsHomeQuery, {
    fetchPolicy: 'cache-and-network',
  });
  const viewer = useQuery(ViewerQuery, { fetchPolicy: 'cache-first' }).data?.viewer ?? null;
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const products = data?.catalogue ?? [];

  return (
    <>
      <PageHeader
        title="API documentation"
        description="Guides, endpoints, limits and changes of every API product."
      />
      <Stack gap="lg">
        <DocsSearch />
        {products.length === 0 ? (
          <Empty
            icon={<IconBook2 size={28} />}
            title="No documentation to read"
            description={
              viewer
                ? 'The API provider has not published any product yet.'
                : 'No product has public documentation. Sign in to read the rest.'
            }
          />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {products.map((product) => (
              <Card
                key={product.id}
                padding="lg"
                component="article"
                aria-labelledby={`docs-${product.id}`}
              >
                <Stack gap="sm" h="100%">
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <ThemeIcon variant="light" radius="md" size="lg">
                      <IconBook2 size={18} />
                    </ThemeIcon>
                    <div style={{ minWidth: 0 }}>
                      <Title order={3} size="h4" id={`docs-${product.id}`}>
                        <Anchor component={Link} to={`/docs/${product.slug}`} inherit>
                          {product.name}
                        </Anchor>
                      </Title>
                      <Text size="xs" c="dimmed" className="portico-mono">
                        {product.slug}
                      </Text>
                    </div>
                  </Group>
                  <Text size="sm" c={product.description ? undefined : 'dimmed'}>
                    {product.description || 'No description.'}
                  </Text>
                  <ProductBadges product={product} showVisibility={Boolean(viewer)} />
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </>
  );
}
