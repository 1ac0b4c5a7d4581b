import { useQuery } from '@apollo/client/react';
import { Anchor, AppShell, Button, Center, Container, Group, Loader, Text } from '@mantine/core';
import { IconBook2 } from '@tabler/icons-react';
import { Link, Outlet, useLocation } from 'react-router';
import { PorticoMark } from '../accounts/AuthCard';
import { ViewerQuery } from '../accounts/viewer';
import { AppLayout } from '../shell/AppLayout';
import { ColorSchemeToggle } from '../shell/ColorSchemeToggle';

/**
 * The frame of the documentation pages, which anyone may read when a product's docs are
 * public: the signed-in shell for a signed-in user, a light public header otherwise.
 */
export function DocsShell() {
  const { data, loading } = useQuery(ViewerQuery);
  if (loading && !data) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (data?.viewer) return <AppLayout />;
  return <PublicDocsLayout />;
}

function PublicDocsLayout() {
  const location = useLocation();
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  return (
    <AppShell header={{ height: 60 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Anchor component={Link} to="/docs" underline="never" c="inherit">
              <Group gap={8} wrap="nowrap">
                <PorticoMark size={28} />
                <Text fw={700} size="lg">
                  Portico
                </Text>
              </Group>
            </Anchor>
            <Button
              component={Link}
              to="/docs"
              variant="subtle"
              leftSection={<IconBook2 size={16} />}
            >
              API docs
            </Button>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ColorSchemeToggle />
            <Button component={Link} to={`/signin?next=${next}`} variant="default">
              Sign in
            </Button>
            <Button component={Link} to="/signup" visibleFrom="xs">
              Sign up
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="var(--portico-page-max)" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
