import { useMutation, useQuery } from '@apollo/client/react';
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Grid,
  Group,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconFlask, IconLock, IconShieldLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ViewerQuery } from '../features/accounts/viewer';
import {
  CreateSandboxTokenMutation,
  EndpointQuery,
  ViewerAppsForProductQuery,
} from '../features/catalogue/catalogue.operations';
import { CodeSampleTabs } from '../features/catalogue/CodeSampleTabs';
import { LifecycleBadges } from '../features/catalogue/LifecycleBadges';
import { MarkdownView } from '../features/catalogue/MarkdownView';
import { MethodBadge } from '../features/catalogue/MethodBadge';
import { appsGrantedProduct } from '../features/catalogue/productAccess';
import { exampleAsText, prettyExample } from '../features/catalogue/schemaRows';
import { SchemaView } from '../features/catalogue/SchemaView';
import { SignInToRead } from '../features/catalogue/SignInToRead';
import { TryItConsole } from '../features/catalogue/TryItConsole';
import { YourLimits } from '../features/catalogue/YourLimits';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError, TableSkeleton } from '../features/common/states';
import { errorCode } from '../features/forms/serverErrors';
import type { EndpointQuery as EndpointResult } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';

type Product = NonNullable<EndpointResult['catalogueProduct']>;
type Endpoint = Extract<NonNullable<EndpointResult['node']>, { __typename?: 'ApiEndpoint' }> & {
  method: string;
};

const PERMISSION_TEXT: Record<string, string> = {
  READ: 'Any app granted the product (Read).',
  READ_WRITE: 'Apps with the Read and write permission level.',
  READ_WRITE_DM: 'Apps with the Read, write and direct messages permission level.',
};

function isEndpoint(node: EndpointResult['node'] | undefined): node is Endpoint {
  return Boolean(node && 'method' in node && typeof node.method === 'string');
}

/** One endpoint: what it does, what it takes and returns, samples, and a try-it console. */
export function EndpointPage() {
  const { productSlug = '', endpointId = '' } = useParams();
  const viewer = useQuery(ViewerQuery, { fetchPolicy: 'cache-first' }).data?.viewer ?? null;
  const { data, loading, error, refetch } = useQuery(EndpointQuery, {
    variables: { slug: productSlug, endpointId },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={3} />;
  if (error && !data) {
    if (errorCode(error) === 'NOT_FOUND') return viewer ? <NotFoundPage /> : <SignInToRead />;
    return <QueryError error={error} onRetry={() => void refetch()} />;
  }
  const product = data?.catalogueProduct;
  const endpoint = data?.node;
  if (!product || !isEndpoint(endpoint) || endpoint.product.id !== product.id) {
    return viewer ? <NotFoundPage /> : <SignInToRead />;
  }
  return <EndpointDocs product={product} endpoint={endpoint} signedIn={Boolean(viewer)} />;
}

function EndpointDocs({
  product,
  endpoint,
  signedIn,
}: {
  product: Product;
  endpoint: Endpoint;
  signedIn: boolean;
}) {
  const pathParams = endpoint.parameters.filter((p) => p.in !== 'cookie');
  return (
    <>
      <PageHeader
        above={
          <PageBreadcrumbs
            items={[
              { label: 'API docs', to: '/docs' },
              { label: product.name, to: `/docs/${product.slug}?tab=endpoints` },
              { label: `${endpoint.method} ${endpoint.path}` },
            ]}
          />
        }
        title={
          <Group gap="sm" wrap="nowrap" component="span">
            <MethodBadge method={endpoint.method} size="lg" />
            <span
              style={{
                fontFamily: 'var(--mantine-font-family-monospace)',
                overflowWrap: 'anywhere',
              }}
            >
              {endpoint.path}
            </span>
          </Group>
        }
        description={
          <Stack gap={6}>
            <span>{endpoint.summary || endpoint.operationId}</span>
            <Group gap={6}>
              {endpoint.deprecated && !endpoint.deprecation ? (
                <Badge color="orange" variant="light" size="sm">
                  Deprecated
                </Badge>
              ) : null}
              {endpoint.deprecation ? (
                <LifecycleBadges
                  deprecatedAt={endpoint.deprecation.deprecationAt}
                  sunsetAt={endpoint.deprecation.sunsetAt}
                />
              ) : null}
              {endpoint.tags.map((tag) => (
                <Badge key={tag} variant="default" size="sm">
                  {tag}
                </Badge>
              ))}
            </Group>
          </Stack>
        }
        actions={
          product.labs ? (
            <Button
              component={Link}
              to={`/labs?product=${product.slug}&endpoint=${encodeURIComponent(`${endpoint.method} ${endpoint.path}`)}`}
              variant="light"
              color="grape"
              leftSection={<IconFlask size={16} />}
            >
              Send feedback
            </Button>
          ) : null
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            {endpoint.deprecation ? (
              <Alert color="orange" variant="light" title={endpoint.deprecation.title}>
                Plan your move: see the product&apos;s changelog and migration guides.
              </Alert>
            ) : null}
            {endpoint.descriptionHtml ? (
              <Card padding="lg">
                <MarkdownView html={endpoint.descriptionHtml} label="Description" />
              </Card>
            ) : null}
            <Section title="Parameters">
              {pathParams.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No parameters.
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={520}>
                  <Table fz="sm" verticalSpacing={6} aria-label="Parameters">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Name</Table.Th>
                        <Table.Th>In</Table.Th>
                        <Table.Th>Type</Table.Th>
                        <Table.Th>Description</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {pathParams.map((parameter) => (
                        <Table.Tr key={`${parameter.in}:${parameter.name}`}>
                          <Table.Td>
                            <Text span className="portico-mono">
                              {parameter.name}
                            </Text>
                            {parameter.required ? (
                              <Badge size="xs" variant="light" color="red" ml={6}>
                                required
                              </Badge>
                            ) : null}
                          </Table.Td>
                          <Table.Td>{parameter.in}</Table.Td>
                          <Table.Td className="portico-mono">
                            {typeof parameter.schema?.type === 'string'
                              ? parameter.schema.type
                              : 'string'}
                          </Table.Td>
                          <Table.Td>
                            {parameter.description}
                            {parameter.example ? (
                              <Text size="xs" c="dimmed">
                                Example: <Code>{prettyExample(parameter.example)}</Code>
                              </Text>
                            ) : null}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Section>
            {endpoint.requestBody ? (
              <Section
                title="Request body"
                aside={
                  <Group gap={6}>
                    <Code>{endpoint.requestBody.contentType}</Code>
                    {endpoint.requestBody.required ? (
                      <Badge size="xs" variant="light" color="red">
                        required
                      </Badge>
                    ) : null}
                  </Group>
                }
              >
                {endpoint.requestBody.description ? (
                  <Text size="sm" mb="xs">
                    {endpoint.requestBody.description}
                  </Text>
                ) : null}
                <SchemaView
                  schema={endpoint.requestBody.schema ?? null}
                  example={endpoint.requestBody.example}
                  label="Request body"
                />
              </Section>
            ) : null}
            <Section title="Responses">
              {endpoint.responses.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No responses described.
                </Text>
              ) : (
                <Accordion
                  variant="separated"
                  multiple
                  defaultValue={endpoint.responses.slice(0, 1).map((r) => r.status)}
                >
                  {endpoint.responses.map((response) => (
                    <Accordion.Item key={response.status} value={response.status}>
                      <Accordion.Control>
                        <Group gap="xs">
                          <Badge
                            variant="light"
                            color={response.status.startsWith('2') ? 'teal' : 'orange'}
                            className="portico-mono"
                          >
                            {response.status}
                          </Badge>
                          <Text size="sm">{response.description}</Text>
                        </Group>
                      </Accordion.Control>
                      <Accordion.Panel>
                        {response.contentType ? (
                          <Text size="xs" c="dimmed" mb={6}>
                            <Code>{response.contentType}</Code>
                          </Text>
                        ) : null}
                        <SchemaView
                          schema={response.schema ?? null}
                          example={response.example}
                          label={`Response ${response.status}`}
                        />
                      </Accordion.Panel>
                    </Accordion.Item>
                  ))}
                </Accordion>
              )}
            </Section>
            <Section title="Code samples">
              <CodeSampleTabs samples={endpoint.codeSamples} />
              <Text size="xs" c="dimmed" mt={6}>
                Replace <Code>{endpoint.codeSamples[0]?.tokenPlaceholder ?? 'YOUR_API_TOKEN'}</Code>{' '}
                with one of your app&apos;s keys or tokens.
              </Text>
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <Card padding="md">
              <Group gap={6} mb={6}>
                <IconShieldLock size={16} aria-hidden />
                <Text fw={600} size="sm">
                  Permission needed
                </Text>
              </Group>
              <Badge variant="light" mb={6}>
                {endpoint.requiredPermission}
              </Badge>
              <Text size="sm" c="dimmed">
                {PERMISSION_TEXT[endpoint.requiredPermission] ?? endpoint.requiredPermission}
              </Text>
              <Text size="xs" c="dimmed" mt="xs">
                Gateway path: <Code>{endpoint.gatewayPath}</Code>
              </Text>
            </Card>
            {signedIn ? (
              <div>
                <Title order={3} size="h5" mb="xs">
                  Your limits
                </Title>
                <YourLimits productId={product.id} />
              </div>
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
      <Card padding="lg" mt="lg" component="section" aria-labelledby="try-it">
        <Title order={3} size="h4" id="try-it" mb="sm">
          Try it
        </Title>
        {signedIn ? <TryIt product={product} endpoint={endpoint} /> : <SignInToTry />}
      </Card>
    </>
  );
}

function Section({
  title,
  aside,
  children,
}: {
  title: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-label={title}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          {title}
        </Title>
        {aside}
      </Group>
      {children}
    </section>
  );
}

function SignInToTry() {
  const location = useLocation();
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  return (
    <Empty
      icon={<IconLock size={28} />}
      title="Sign in to try this endpoint"
      description="The console sends real requests with a short-lived token for one of your apps."
      actions={
        <Button component={Link} to={`/signin?next=${next}`}>
          Sign in
        </Button>
      }
    />
  );
}

function TryIt({ product, endpoint }: { product: Product; endpoint: Endpoint }) {
  const { data, loading } = useQuery(ViewerAppsForProductQuery, {
    fetchPolicy: 'cache-and-network',
  });
  // The token stays out of Apollo's cache: it lives in the console's request only.
  const [createToken] = useMutation(CreateSandboxTokenMutation, { fetchPolicy: 'no-cache' });
  if (loading && !data) return <TableSkeleton rows={2} />;
  const orgs = data?.viewer?.organizations ?? [];
  const apps = appsGrantedProduct(orgs, product.id);
  const firstOrg = orgs[0];
  return (
    <TryItConsole
      endpoint={{
        method: endpoint.method,
        path: endpoint.path,
        parameters: endpoint.parameters.map((p) => ({
          ...p,
          example: exampleAsText(p.example),
        })),
        requestBody: endpoint.requestBody
          ? {
              contentType: endpoint.requestBody.contentType,
              example: endpoint.requestBody.example,
            }
          : null,
      }}
      baseUrl={product.apiBaseUrl}
      apps={apps}
      appsLink={firstOrg ? `/orgs/${firstOrg.id}` : null}
      mintToken={async (appId) => {
        const result = await createToken({
          variables: {
            input: { appId, productId: product.id, permissionLevel: endpoint.requiredPermission },
          },
        });
        const minted = result.data?.createSandboxToken;
        if (!minted) throw new Error('The portal did not issue a sandbox token. Try again.');
        return { token: minted.token, expiresAt: minted.expiresAt };
      }}
    />
  );
}
