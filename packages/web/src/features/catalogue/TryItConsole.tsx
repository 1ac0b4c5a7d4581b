import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  JsonInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../forms/serverErrors';
import { MethodBadge } from './MethodBadge';
import {
  buildTryItRequest,
  formatResponseBody,
  headerList,
  methodTakesBody,
  statusColor,
  type ParameterLocation,
  type TryItParameter,
} from './tryIt';

export interface TryItEndpoint {
  method: string;
  path: string;
  parameters: readonly {
    name: string;
    in: string;
    required: boolean;
    description?: string | null;
    example?: unknown;
  }[];
  requestBody: { contentType: string; example?: unknown } | null;
}

export interface TryItApp {
  id: string;
  name: string;
}

interface TryItConsoleProps {
  endpoint: TryItEndpoint;
  baseUrl: string | null;
  /** The viewer's apps that hold an approved grant for the product. */
  apps: readonly TryItApp[];
  /** Where a developer without such an app goes to get one. */
  appsLink: string | null;
  /** Mints a short-lived sandbox token for the app (a server mutation). */
  mintToken: (appId: string) => Promise<{ token: string; expiresAt: string }>;
}

interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

const LOCATIONS: readonly ParameterLocation[] = ['path', 'query', 'header'];

function exampleText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function initialBody(endpoint: TryItEndpoint): string {
  const example = endpoint.requestBody?.example;
  if (example === null || example === undefined) return endpoint.requestBody ? '{}' : '';
  return typeof example === 'string' ? example : JSON.stringify(example, null, 2);
}

/**
 * Sends a real request to the product from the browser, with a sandbox token the portal mints
 * for one of the developer's own apps: no second sign-in. The token lives only in this
 * component's memory and in the request's Authorization header.
 */
export function TryItConsole({ endpoint, baseUrl, apps, appsLink, mintToken }: TryItConsoleProps) {
  const parameters: TryItParameter[] = endpoint.parameters
    .filter((p): p is typeof p & { in: ParameterLocation } =>
      LOCATIONS.some((location) => location === p.in),
    )
    .map((p) => ({ name: p.name, location: p.in, required: p.required }));
  const [appId, setAppId] = useState<string | null>(apps[0]?.id ?? null);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      endpoint.parameters.map((p) => [`${p.in}:${p.name}`, exampleText(p.example)]),
    ),
  );
  const [body, setBody] = useState(() => initialBody(endpoint));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const takesBody = methodTakesBody(endpoint.method) && endpoint.requestBody !== null;

  if (apps.length === 0) {
    return (
      <Alert variant="light" color="blue" title="Try it with one of your apps">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">
            The console sends requests with a short-lived sandbox token for one of your apps. None
            of your apps has been granted this product yet.
          </Text>
          {appsLink ? (
            <Button component={Link} to={appsLink} size="xs" variant="light">
              Request this product for an app
            </Button>
          ) : null}
        </Stack>
      </Alert>
    );
  }

  const send = async () => {
    setFailure(null);
    const check = buildTryItRequest({
      method: endpoint.method,
      baseUrl: baseUrl ?? '',
      path: endpoint.path,
      parameters,
      values,
      body: takesBody ? body : '',
      contentType: endpoint.requestBody?.contentType ?? null,
      token: null,
    });
    setProblems(Object.fromEntries(check.problems.map((p) => [p.field, p.message])));
    if (!check.request || !appId) return;
    setSending(true);
    try {
      const { token } = await mintToken(appId);
      const { request } = buildTryItRequest({
        method: endpoint.method,
        baseUrl: baseUrl ?? '',
        path: endpoint.path,
        parameters,
        values,
        body: takesBody ? body : '',
        contentType: endpoint.requestBody?.contentType ?? null,
        token,
      });
      if (!request) return;
      let response: Response;
      try {
        response = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          credentials: 'omit',
          mode: 'cors',
          redirect: 'follow',
        });
      } catch {
        setFailure(
          `The browser could not reach ${new URL(request.url).origin}. The API may be down, or it does not allow requests from this portal (CORS).`,
        );
        setAnswer(null);
        return;
      }
      const text = await response.text();
      setAnswer({
        status: response.status,
        statusText: response.statusText,
        headers: headerList(response.headers.entries()),
        body: formatResponseBody(response.headers.get('content-type'), text),
      });
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setSending(false);
    }
  };

  const field = (location: string, name: string) => `${location}:${name}`;
  const setValue = (key: string, value: string) =>
    setValues((current) => ({ ...current, [key]: value }));

  return (
    <Stack gap="md">
      <Group gap="xs" wrap="nowrap">
        <MethodBadge method={endpoint.method} />
        <Code style={{ overflowWrap: 'anywhere' }}>
          {(baseUrl ?? '(no base URL)') + endpoint.path}
        </Code>
      </Group>
      {problems.baseUrl ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
          {problems.baseUrl}: staff set it in the product&apos;s OpenAPI description (`servers`).
        </Alert>
      ) : null}
      <Select
        label="App"
        description="The request is sent with a sandbox token for this app, valid a few minutes."
        data={apps.map((app) => ({ value: app.id, label: app.name }))}
        value={appId}
        onChange={setAppId}
        allowDeselect={false}
        maw={360}
      />
      {parameters.length > 0 ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {endpoint.parameters
            .filter((p) => LOCATIONS.some((location) => location === p.in))
            .map((p) => {
              const key = field(p.in, p.name);
              return (
                <TextInput
                  key={key}
                  label={p.name}
                  description={`${p.in}${p.description ? ` · ${p.description}` : ''}`}
                  required={p.required}
                  value={values[key] ?? ''}
                  onChange={(event) => setValue(key, event.currentTarget.value)}
                  error={problems[key]}
                  classNames={{ input: 'portico-mono' }}
                />
              );
            })}
        </SimpleGrid>
      ) : null}
      {takesBody ? (
        <JsonInput
          label="Request body"
          description={endpoint.requestBody?.contentType}
          value={body}
          onChange={setBody}
          autosize
          minRows={4}
          maxRows={16}
          error={problems.body}
          formatOnBlur
        />
      ) : null}
      <Group>
        <Button
          leftSection={<IconPlayerPlay size={16} />}
          onClick={() => void send()}
          loading={sending}
          disabled={!appId}
        >
          Send request
        </Button>
      </Group>
      {failure ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
          {failure}
        </Alert>
      ) : null}
      {answer ? <AnswerView answer={answer} /> : null}
    </Stack>
  );
}

function AnswerView({ answer }: { answer: Answer }) {
  return (
    <Card withBorder padding="md" aria-label="Response">
      <Group gap="xs" mb="sm">
        <Text fw={600} size="sm">
          Response
        </Text>
        <Badge color={statusColor(answer.status)} variant="light" data-testid="try-it-status">
          {answer.status} {answer.statusText}
        </Badge>
      </Group>
      <Tabs defaultValue="body" variant="outline">
        <Tabs.List>
          <Tabs.Tab value="body">Body</Tabs.Tab>
          <Tabs.Tab value="headers">Headers ({answer.headers.length})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="body" pt="xs">
          {answer.body ? (
            <Code block className="portico-code" aria-label="Response body">
              {answer.body}
            </Code>
          ) : (
            <Text size="sm" c="dimmed">
              Empty body.
            </Text>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="headers" pt="xs">
          <Table fz="sm" aria-label="Response headers">
            <Table.Tbody>
              {answer.headers.map(([name, value]) => (
                <Table.Tr key={name}>
                  <Table.Td className="portico-mono" w="35%">
                    {name}
                  </Table.Td>
                  <Table.Td className="portico-mono" style={{ overflowWrap: 'anywhere' }}>
                    {value}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" mt="xs">
            The browser shows only the headers the API exposes to this portal (CORS).
          </Text>
        </Tabs.Panel>
      </Tabs>
    </Card>
  );
}
