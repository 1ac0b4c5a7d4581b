import { useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Stack,
  Table,
  Tabs,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import {
  IconApi,
  IconBook,
  IconFileDescription,
  IconHistory,
  IconReceipt,
  IconRss,
} from '@tabler/icons-react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ViewerQuery } from '../features/accounts/viewer';
import { ProductDocsQuery } from '../features/catalogue/catalogue.operations';
import { DocsSearch } from '../features/catalogue/DocsSearch';
import { kindColor, kindLabel } from '../features/catalogue/lifecycle';
import { LifecycleBadges } from '../features/catalogue/LifecycleBadges';
import { MarkdownView } from '../features/catalogue/MarkdownView';
import { MethodBadge } from '../features/catalogue/MethodBadge';
import { ProductBadges } from '../features/catalogue/ProductBadges';
import { SignInToRead } from '../features/catalogue/SignInToRead';
import { YourLimits } from '../features/catalogue/YourLimits';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { formatDate } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { errorCode } from '../features/forms/serverErrors';
import type { ProductDocsQuery as ProductDocsResult } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';
import { ProductPlans } from '../features/catalogue/ProductPlans';

type Product = NonNullable<ProductDocsResult['catalogueProduct']>;

const TABS = ['overview', 'endpoints', 'guides', 'plans', 'changelog'] as const;
type Tab = (typeof TABS)[number];
const isTab = (value: string | null): value is Tab => TABS.some((tab) => tab === value);

const GUIDE_KIND_LABELS: Record<string, string> = {
  QUICK_START: 'Quick start',
  MIGRATION_GUIDE: 'Migration guide',
  GUIDE: 'Guide',
};

/** A product's documentation: overview, endpoints, guides, plans and changelog. */
export function ProductDocsPage() {
  const { productSlug = '' } = useParams();
  const viewer = useQuery(ViewerQuery, { fetchPolicy: 'cache-first' }).data?.viewer ?? null;
  const { data, loading, error, refetch } = useQuery(ProductDocsQuery, {
    variables: { slug: productSlug },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={3} />;
  if (error && !data) {
    if (errorCode(error) === 'NOT_FOUND') return viewer ? <NotFoundPage /> : <SignInToRead />;
    return <QueryError error={error} onRetry={() => void refetch()} />;
  }
  const product = data?.catalogueProduct;
  if (!product) return viewer ? <NotFoundPage /> : <SignInToRead />;
  return <ProductDocs product={product} signedIn={Boolean(viewer)} />;
}

function ProductDocs({ product, signedIn }: { product: Product; signedIn: boolean }) {
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: Tab = isTab(tabParam) ? tabParam : 'overview';
  const setTab = (value: string | null) =>
    setParams(value && value !== 'overview' ? { tab: value } : {}, { replace: true });

  return (
    <>
      <PageHeader
        above={
          <PageBreadcrumbs items={[{ label: 'API docs', to: '/docs' }, { label: product.name }]} />
        }
        title={product.name}
        description={
          <Stack gap={6}>
            <span>{product.description || 'No description.'}</span>
            <ProductBadges product={product} showVisibility={signedIn} />
          </Stack>
        }
        actions={
          product.endpoints.length > 0 ? (
            <Button
              component={Link}
              to={`/docs/${product.slug}/reference`}
              variant="light"
              leftSection={<IconApi size={16} />}
            >
              API reference
            </Button>
          ) : null
        }
      />
      <Stack gap="lg">
        <DocsSearch productId={product.id} placeholder={`Search ${product.name}`} />
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="overview" leftSection={<IconBook size={16} />}>
              Overview
            </Tabs.Tab>
            <Tabs.Tab value="endpoints" leftSection={<IconApi size={16} />}>
              Endpoints ({product.endpoints.length})
            </Tabs.Tab>
            <Tabs.Tab value="guides" leftSection={<IconFileDescription size={16} />}>
              Guides ({product.guides.length})
            </Tabs.Tab>
            <Tabs.Tab value="plans" leftSection={<IconReceipt size={16} />}>
              Plans and limits
            </Tabs.Tab>
            <Tabs.Tab value="changelog" leftSection={<IconHistory size={16} />}>
              Changelog
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="overview" pt="lg">
            <OverviewTab product={product} signedIn={signedIn} />
          </Tabs.Panel>
          <Tabs.Panel value="endpoints" pt="lg">
            <EndpointsTab product={product} />
          </Tabs.Panel>
          <Tabs.Panel value="guides" pt="lg">
            <GuidesTab product={product} />
          </Tabs.Panel>
          <Tabs.Panel value="plans" pt="lg">
            <ProductPlans productId={product.id} signedIn={signedIn} />
          </Tabs.Panel>
          <Tabs.Panel value="changelog" pt="lg">
            <ChangelogTab product={product} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </>
  );
}

function OverviewTab({ product, signedIn }: { product: Product; signedIn: boolean }) {
  const html = product.overview?.published?.html;
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: signedIn ? 8 : 12 }}>
        <Card padding="lg">
          {html ? (
            <MarkdownView html={html} label="Overview" />
          ) : (
            <Text c="dimmed" size="sm">
              No overview yet. See the endpoints and guides.
            </Text>
          )}
        </Card>
      </Grid.Col>
      {signedIn ? (
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="xs">
            <Title order={3} size="h5">
              Your limits
            </Title>
            <YourLimits productId={product.id} />
          </Stack>
        </Grid.Col>
      ) : null}
    </Grid>
  );
}

function EndpointsTab({ product }: { product: Product }) {
  if (product.endpoints.length === 0) {
    return (
      <Empty
        icon={<IconApi size={28} />}
        title="No endpoints yet"
        description="The product has no published OpenAPI description."
      />
    );
  }
  return (
    <Card padding={0}>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm" highlightOnHover aria-label="Endpoints">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>Method</Table.Th>
              <Table.Th>Path</Table.Th>
              <Table.Th>Summary</Table.Th>
              <Table.Th>Permission</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {product.endpoints.map((endpoint) => (
              <Table.Tr key={endpoint.id}>
                <Table.Td>
                  <MethodBadge method={endpoint.method} />
                </Table.Td>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/docs/${product.slug}/endpoints/${endpoint.id}`}
                    className="portico-mono"
                    td={endpoint.deprecated ? 'line-through' : undefined}
                  >
                    {endpoint.path}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm">{endpoint.summary || '—'}</Text>
                    {endpoint.deprecated ? (
                      <Badge color="orange" variant="light" size="xs">
                        Deprecated
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge variant="default" size="sm">
                    {endpoint.requiredPermission}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function GuidesTab({ product }: { product: Product }) {
  const guides = product.guides.filter((guide) => guide.published);
  if (guides.length === 0) {
    return (
      <Empty
        icon={<IconFileDescription size={28} />}
        title="No guides yet"
        description="Quick starts and migration guides appear here once published."
      />
    );
  }
  return (
    <Stack gap="sm">
      {guides.map((guide) => (
        <Card key={guide.id} padding="md" component="article">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/docs/${product.slug}/guides/${guide.slug}`} fw={600}>
                {guide.title}
              </Anchor>
              {guide.published?.publishedAt ? (
                <Text size="xs" c="dimmed">
                  Updated {formatDate(guide.published.publishedAt)}
                </Text>
              ) : null}
            </div>
            <Badge variant="light" color={guide.kind === 'MIGRATION_GUIDE' ? 'orange' : 'blue'}>
              {GUIDE_KIND_LABELS[guide.kind] ?? 'Guide'}
            </Badge>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

function ChangelogTab({ product }: { product: Product }) {
  const entries = product.changelog.filter((entry) => entry.publishedAt);
  return (
    <Stack gap="md">
      {product.docsPublic ? (
        <Group gap="xs">
          <IconRss size={16} aria-hidden />
          <Anchor href={product.changelogFeedPath} size="sm">
            Atom feed
          </Anchor>
          <Text size="sm" c="dimmed">
            ·
          </Text>
          <Anchor href={product.changelogFeedPath.replace(/\.atom$/, '.rss')} size="sm">
            RSS
          </Anchor>
        </Group>
      ) : null}
      {entries.length === 0 ? (
        <Empty
          icon={<IconHistory size={28} />}
          title="No changes yet"
          description="New features, changes and deprecations are listed here."
        />
      ) : (
        <Timeline bulletSize={14} lineWidth={2} aria-label="Changelog">
          {entries.map((entry) => (
            <Timeline.Item
              key={entry.id}
              id={entry.id}
              color={kindColor(entry.kind)}
              title={
                <Group gap="xs">
                  <Badge color={kindColor(entry.kind)} variant="light" size="sm">
                    {kindLabel(entry.kind)}
                  </Badge>
                  <Text fw={600} size="sm">
                    {entry.title}
                  </Text>
                  {entry.kind === 'DEPRECATED' ? (
                    <LifecycleBadges
                      deprecatedAt={entry.deprecationAt}
                      sunsetAt={entry.sunsetAt}
                      besideKind
                    />
                  ) : null}
                </Group>
              }
            >
              <Text size="xs" c="dimmed" mb={4}>
                {entry.publishedAt ? formatDate(entry.publishedAt) : ''}
                {entry.endpointMethod && entry.endpointPath
                  ? ` · ${entry.endpointMethod} ${entry.endpointPath}`
                  : ''}
              </Text>
              {entry.bodyHtml ? <MarkdownView html={entry.bodyHtml} /> : null}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}
