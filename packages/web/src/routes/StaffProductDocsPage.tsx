import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  NavLink,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconApi,
  IconBook,
  IconExternalLink,
  IconFileDescription,
  IconHistory,
  IconInfoCircle,
  IconPlus,
} from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  CreateChangelogEntryMutation,
  PublishChangelogEntryMutation,
  PublishProductDocumentMutation,
  SaveProductDocumentMutation,
  StaffProductDocsQuery,
} from '../features/catalogue/catalogue.operations';
import { ChangelogEntryForm } from '../features/catalogue/ChangelogEntryForm';
import { DocumentEditor, type DocumentDraft } from '../features/catalogue/DocumentEditor';
import { kindColor, kindLabel } from '../features/catalogue/lifecycle';
import { LifecycleBadges } from '../features/catalogue/LifecycleBadges';
import { MarkdownView } from '../features/catalogue/MarkdownView';
import { RevisionHistory } from '../features/catalogue/RevisionHistory';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { formatDate } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { PageSkeleton, QueryError } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import type { StaffProductDocsQuery as StaffProductDocsResult } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';

type Product = NonNullable<StaffProductDocsResult['product']>;
type Doc =
  NonNullable<Product['overview']> | NonNullable<Product['openApi']> | Product['guides'][number];
type DocKind = 'OVERVIEW' | 'QUICK_START' | 'MIGRATION_GUIDE' | 'GUIDE' | 'OPENAPI';

const TABS = ['overview', 'guides', 'openapi', 'changelog'] as const;
type Tab = (typeof TABS)[number];
const isTab = (value: string | null): value is Tab => TABS.some((tab) => tab === value);

const GUIDE_KINDS: { value: DocKind; label: string }[] = [
  { value: 'QUICK_START', label: 'Quick start' },
  { value: 'MIGRATION_GUIDE', label: 'Migration guide' },
  { value: 'GUIDE', label: 'Guide' },
];

/** Staff: edit a product's overview, guides, OpenAPI description and changelog. */
export function StaffProductDocsPage() {
  const { productId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(StaffProductDocsQuery, {
    variables: { id: productId },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={3} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const product = data?.product;
  if (!product) return <NotFoundPage />;
  return <ProductDocsEditor product={product} />;
}

function ProductDocsEditor({ product }: { product: Product }) {
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: Tab = isTab(tabParam) ? tabParam : 'overview';
  return (
    <>
      <PageHeader
        above={
          <PageBreadcrumbs
            items={[{ label: 'Documentation', to: '/staff/docs' }, { label: product.name }]}
          />
        }
        title={`${product.name} documentation`}
        description={
          <Group gap={6}>
            <Badge variant="default" size="sm">
              {product.docsPublic ? 'Public docs' : 'Signed-in readers'}
            </Badge>
            {product.labs ? (
              <Badge color="grape" variant="light" size="sm">
                Labs
              </Badge>
            ) : null}
            {product.apiBaseUrl ? (
              <Text size="xs" c="dimmed" className="portico-mono">
                {product.apiBaseUrl}
              </Text>
            ) : null}
          </Group>
        }
        actions={
          <Button
            component={Link}
            to={`/docs/${product.slug}`}
            variant="default"
            leftSection={<IconExternalLink size={16} />}
          >
            View as a reader
          </Button>
        }
      />
      <Tabs
        value={tab}
        onChange={(value) => setParams(value && value !== 'overview' ? { tab: value } : {})}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="overview" leftSection={<IconBook size={16} />}>
            Overview
          </Tabs.Tab>
          <Tabs.Tab value="guides" leftSection={<IconFileDescription size={16} />}>
            Guides ({product.guides.length})
          </Tabs.Tab>
          <Tabs.Tab value="openapi" leftSection={<IconApi size={16} />}>
            OpenAPI
          </Tabs.Tab>
          <Tabs.Tab value="changelog" leftSection={<IconHistory size={16} />}>
            Changelog
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview">
          <DocumentPanel
            key={product.overview?.id ?? 'new-overview'}
            product={product}
            document={product.overview}
            kind="OVERVIEW"
            defaultTitle={`${product.name} overview`}
          />
        </Tabs.Panel>
        <Tabs.Panel value="guides">
          <GuidesPanel product={product} />
        </Tabs.Panel>
        <Tabs.Panel value="openapi">
          <DocumentPanel
            key={product.openApi?.id ?? 'new-openapi'}
            product={product}
            document={product.openApi}
            kind="OPENAPI"
            defaultTitle={`${product.name} API`}
          />
        </Tabs.Panel>
        <Tabs.Panel value="changelog">
          <ChangelogPanel product={product} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

interface SavedVersion {
  number: number;
  title: string;
  source: string;
  html?: string;
}

function DocumentPanel({
  product,
  document,
  kind,
  defaultTitle,
  newGuide,
  stacked = false,
}: {
  product: Product;
  document: Doc | null;
  kind: DocKind;
  defaultTitle: string;
  /** For a guide not saved yet: its kind and slug. */
  newGuide?: { kind: DocKind; slug: string; onSaved: (documentId: string) => void };
  /** History under the editor rather than beside it (when the panel is narrow). */
  stacked?: boolean;
}) {
  const [save] = useMutation(SaveProductDocumentMutation, {
    refetchQueries: [StaffProductDocsQuery],
    awaitRefetchQueries: true,
  });
  const [publish] = useMutation(PublishProductDocumentMutation, {
    refetchQueries: [StaffProductDocsQuery],
    awaitRefetchQueries: true,
  });
  const [publishingId, setPublishingId] = useState<string | null>(null);
  const saved: SavedVersion | null = document?.draft ?? document?.published ?? null;
  const mode = kind === 'OPENAPI' ? 'openapi' : 'markdown';
  const initial: DocumentDraft = {
    title: saved?.title ?? defaultTitle,
    source: saved?.source ?? '',
    note: '',
  };

  const onSave = async (draft: DocumentDraft, andPublish: boolean) => {
    const result = await save({
      variables: {
        input: {
          ...(document
            ? { documentId: document.id }
            : {
                productId: product.id,
                kind: newGuide?.kind ?? kind,
                slug: newGuide?.slug.trim() || undefined,
              }),
          title: draft.title,
          source: draft.source,
          note: draft.note || undefined,
          publish: andPublish,
        },
      },
    });
    const number = result.data?.saveProductDocument.revision.number;
    notifications.show({
      color: 'teal',
      title: andPublish ? 'Published' : 'Draft saved',
      message: andPublish
        ? `Version ${number ?? ''} is live.`
        : `Version ${number ?? ''} is saved; readers still see the published one.`,
    });
    const id = result.data?.saveProductDocument.document.id;
    if (id && !document) newGuide?.onSaved(id);
  };

  const onPublish = async (revisionId: string) => {
    if (!document) return;
    setPublishingId(revisionId);
    try {
      await publish({ variables: { input: { documentId: document.id, revisionId } } });
      notifications.show({ color: 'teal', title: 'Published', message: 'Readers see it now.' });
    } catch (failure) {
      notifications.show({ color: 'red', title: 'Not published', message: errorMessage(failure) });
    } finally {
      setPublishingId(null);
    }
  };

  const renderPreview = (source: string) => {
    const html = saved?.html;
    const current = saved !== null && saved.source === source;
    return (
      <Stack gap="sm">
        {current ? null : (
          <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />}>
            The preview shows the last saved version, as the server renders it. Save a draft to
            preview your changes.
          </Alert>
        )}
        {html ? (
          <MarkdownView html={html} label="Preview" />
        ) : (
          <Text size="sm" c="dimmed">
            Nothing saved yet.
          </Text>
        )}
      </Stack>
    );
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: stacked ? 12 : 7 }}>
        <Card padding="lg">
          <Group justify="space-between" mb="sm">
            <Title order={3} size="h4">
              {document
                ? document.title
                : kind === 'OPENAPI'
                  ? 'New OpenAPI description'
                  : kind === 'OVERVIEW'
                    ? 'New overview'
                    : 'New guide'}
            </Title>
            {document ? (
              <Group gap={6}>
                {document.published ? (
                  <Badge color="teal" variant="light">
                    Live: v{document.published.number}
                  </Badge>
                ) : (
                  <Badge variant="default">Not published</Badge>
                )}
                {document.draft ? (
                  <Badge color="yellow" variant="light">
                    Draft: v{document.draft.number}
                  </Badge>
                ) : null}
              </Group>
            ) : null}
          </Group>
          <DocumentEditor
            key={`${document?.id ?? 'new'}-${saved?.number ?? 0}`}
            mode={mode}
            initial={initial}
            onSave={onSave}
            renderPreview={mode === 'markdown' ? renderPreview : undefined}
          />
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: stacked ? 12 : 5 }}>
        <Card padding="lg">
          <Title order={3} size="h4" mb="sm">
            History
          </Title>
          <RevisionHistory
            revisions={document?.revisions ?? []}
            onPublish={(id) => void onPublish(id)}
            publishingId={publishingId}
          />
        </Card>
      </Grid.Col>
    </Grid>
  );
}

function GuidesPanel({ product }: { product: Product }) {
  const [params, setParams] = useSearchParams();
  const selected = params.get('guide');
  const [newKind, setNewKind] = useState<DocKind>('QUICK_START');
  const [newSlug, setNewSlug] = useState('');
  const guide = product.guides.find((g) => g.id === selected) ?? null;
  const select = (id: string) => setParams({ tab: 'guides', guide: id });

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <Stack gap={4}>
          <Button
            variant="light"
            leftSection={<IconPlus size={16} />}
            onClick={() => select('new')}
            mb="xs"
          >
            New guide
          </Button>
          {product.guides.map((g) => (
            <NavLink
              key={g.id}
              label={g.title}
              description={
                g.published
                  ? `${GUIDE_KINDS.find((k) => k.value === g.kind)?.label ?? 'Guide'} · live v${g.published.number}`
                  : 'Not published'
              }
              active={g.id === selected}
              onClick={() => select(g.id)}
              style={{ borderRadius: 8 }}
            />
          ))}
          {product.guides.length === 0 ? (
            <Text size="sm" c="dimmed">
              No guides yet.
            </Text>
          ) : null}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>
        {selected === 'new' ? (
          <Stack gap="md">
            <Card padding="md">
              <Group grow align="flex-start">
                <Select
                  label="Kind"
                  data={GUIDE_KINDS}
                  value={newKind}
                  onChange={(value) =>
                    setNewKind(GUIDE_KINDS.find((k) => k.value === value)?.value ?? 'GUIDE')
                  }
                  allowDeselect={false}
                />
                <TextInput
                  label="Address"
                  description="a-z, 0-9 and -; made from the title when left empty."
                  placeholder="quick-start"
                  value={newSlug}
                  onChange={(event) => setNewSlug(event.currentTarget.value)}
                  classNames={{ input: 'portico-mono' }}
                />
              </Group>
            </Card>
            <DocumentPanel
              product={product}
              document={null}
              kind={newKind}
              defaultTitle=""
              newGuide={{ kind: newKind, slug: newSlug, onSaved: select }}
              stacked
            />
          </Stack>
        ) : guide ? (
          <DocumentPanel
            key={guide.id}
            product={product}
            document={guide}
            kind={guide.kind}
            defaultTitle={guide.title}
            stacked
          />
        ) : (
          <Card padding="xl">
            <Text c="dimmed" size="sm">
              Pick a guide to edit, or write a new one: a quick start, a migration guide …
            </Text>
          </Card>
        )}
      </Grid.Col>
    </Grid>
  );
}

function ChangelogPanel({ product }: { product: Product }) {
  const [create] = useMutation(CreateChangelogEntryMutation, {
    refetchQueries: [StaffProductDocsQuery],
  });
  const [publishEntry] = useMutation(PublishChangelogEntryMutation, {
    refetchQueries: [StaffProductDocsQuery],
  });
  const [publishing, setPublishing] = useState<string | null>(null);
  const told = (count: number) =>
    count === 1 ? '1 app owner was told.' : `${count} app owners were told.`;

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Card padding="lg">
          <Title order={3} size="h4" mb="sm">
            New entry
          </Title>
          <ChangelogEntryForm
            endpoints={product.endpoints}
            onSubmit={async (entry, publish) => {
              const result = await create({
                variables: { input: { productId: product.id, ...entry, publish } },
              });
              notifications.show({
                color: 'teal',
                title: publish ? 'Published' : 'Draft saved',
                message: publish
                  ? told(result.data?.createChangelogEntry.notifiedOwners ?? 0)
                  : 'Publish it when it is ready.',
              });
            }}
          />
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4">
            Entries
          </Title>
          <Anchor href={product.changelogFeedPath} size="sm">
            Atom feed
          </Anchor>
        </Group>
        <Stack gap="sm">
          {product.changelog.length === 0 ? (
            <Text size="sm" c="dimmed">
              No entries yet.
            </Text>
          ) : null}
          {product.changelog.map((entry) => (
            <Card key={entry.id} padding="md" component="article">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Group gap="xs">
                    <Badge color={kindColor(entry.kind)} variant="light" size="sm">
                      {kindLabel(entry.kind)}
                    </Badge>
                    <Text fw={600} size="sm">
                      {entry.title}
                    </Text>
                  </Group>
                  {entry.kind === 'DEPRECATED' ? (
                    <LifecycleBadges
                      deprecatedAt={entry.deprecationAt}
                      sunsetAt={entry.sunsetAt}
                      besideKind
                    />
                  ) : null}
                  <Text size="xs" c="dimmed">
                    {entry.publishedAt
                      ? `Published ${formatDate(entry.publishedAt)}`
                      : `Draft, saved ${formatDate(entry.createdAt)}`}
                    {entry.endpointMethod && entry.endpointPath
                      ? ` · ${entry.endpointMethod} ${entry.endpointPath}`
                      : ''}
                  </Text>
                </Stack>
                {entry.publishedAt ? null : (
                  <Button
                    size="compact-sm"
                    loading={publishing === entry.id}
                    onClick={() => {
                      setPublishing(entry.id);
                      publishEntry({ variables: { input: { entryId: entry.id } } })
                        .then((result) =>
                          notifications.show({
                            color: 'teal',
                            title: 'Published',
                            message: told(result.data?.publishChangelogEntry.notifiedOwners ?? 0),
                          }),
                        )
                        .catch((failure: unknown) =>
                          notifications.show({
                            color: 'red',
                            title: 'Not published',
                            message: errorMessage(failure),
                          }),
                        )
                        .finally(() => setPublishing(null));
                    }}
                  >
                    Publish
                  </Button>
                )}
              </Group>
            </Card>
          ))}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
