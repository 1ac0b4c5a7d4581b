import { Card, Code, Group, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { CopyValueButton } from '../common/CopyId';
import { connectSnippets } from './connectSnippets';

function Snippet({ code, label }: { code: string; label: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code block style={{ flex: 1, minWidth: 0, overflowX: 'auto' }} aria-label={label}>
        {code}
      </Code>
      <CopyValueButton value={code} label={`Copy ${label}`} />
    </Group>
  );
}

/** How to put a gateway in front of an API: forward-auth to /v1/verify, usage to /v1/usage. */
export function ConnectGatewayCard() {
  const [snippets] = useState(() => connectSnippets(window.location.origin));
  return (
    <Card padding="lg" component="section" aria-labelledby="connect-gateway-title">
      <Stack gap="sm">
        <div>
          <Text fw={600} id="connect-gateway-title">
            Connect a gateway
          </Text>
          <Text size="sm" c="dimmed">
            Gateways ask <Code>/v1/verify</Code> whether each request&apos;s credential may call the
            path (NGINX <Code>auth_request</Code>, Traefik ForwardAuth, Envoy ext_authz), and report
            what happened to <Code>POST /v1/usage</Code> with a gateway token.
          </Text>
        </div>
        <Tabs defaultValue="nginx" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="nginx">NGINX auth_request</Tabs.Tab>
            <Tabs.Tab value="usage">Usage reports</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="nginx" pt="sm">
            <Snippet code={snippets.nginx} label="NGINX configuration" />
          </Tabs.Panel>
          <Tabs.Panel value="usage" pt="sm">
            <Stack gap="xs">
              <Snippet code={snippets.usage} label="usage report example" />
              <Text size="xs" c="dimmed">
                Up to 10,000 events per call, each with a credentialId or appId, the product id or
                slug, the response status, its time in milliseconds and an optional unit count,
                timed within the last 7 days. Verification already counts requests; reports add
                responses, errors, response times and units.
              </Text>
            </Stack>
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Card>
  );
}
