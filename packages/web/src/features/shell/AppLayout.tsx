import {
  Anchor,
  AppShell,
  Box,
  Burger,
  Button,
  Container,
  Group,
  NavLink,
  Progress,
  ScrollArea,
  Text,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { ModalsProvider } from '@mantine/modals';
import {
  IconApps,
  IconBook2,
  IconBox,
  IconChartHistogram,
  IconBuilding,
  IconHistory,
  IconReportAnalytics,
  IconStack2,
  IconChecklist,
  IconFlask,
  IconMessageCircle,
  IconFileCertificate,
  IconFileText,
  IconHourglassLow,
  IconLayoutDashboard,
  IconMail,
  IconPackages,
  IconPlus,
  IconReceipt,
  IconRouter,
  IconServer2,
  IconSettings,
  IconUserCog,
  IconUsers,
  IconWebhook,
} from '@tabler/icons-react';
import { useEffect, type ReactNode } from 'react';
import { Link, matchPath, Outlet, useLocation, useNavigation } from 'react-router';
import { PorticoMark } from '../accounts/AuthCard';
import { useViewer } from '../accounts/viewer';
import { useOrganizationLiveUpdates, useViewerLiveUpdates } from '../live/useShellLiveUpdates';
import { NotificationsBell } from '../notifications/NotificationsBell';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { rememberOrganization, useCurrentOrganization } from './currentOrg';
import { OrgSwitcher } from './OrgSwitcher';
import { UserMenu } from './UserMenu';
import { VerifyEmailBanner } from './VerifyEmailBanner';

interface NavItem {
  label: string;
  to: string | null;
  icon: ReactNode;
  active: boolean;
}

/** The signed-in app: header with org switcher and user menu, navbar, and the page. */
export function AppLayout() {
  const viewer = useViewer();
  const current = useCurrentOrganization(viewer);
  const location = useLocation();
  const navigation = useNavigation();
  const [opened, { toggle, close }] = useDisclosure(false);
  useOrganizationLiveUpdates(current?.id ?? null);
  useViewerLiveUpdates();

  useEffect(() => {
    if (current) rememberOrganization(current.id);
  }, [current]);
  useEffect(() => {
    close();
  }, [location.pathname, close]);

  const path = location.pathname;
  const orgSection = (section: string) =>
    Boolean(matchPath({ path: `/orgs/:orgId/${section}`, end: false }, path));
  const sections = ['team', 'products', 'plans', 'environments', 'usage', 'webhooks', 'settings'];
  const onOrg =
    Boolean(matchPath({ path: '/orgs/:orgId', end: false }, path)) &&
    !path.startsWith('/orgs/new') &&
    !sections.some(orgSection);
  const orgLink = (section: string) => (current ? `/orgs/${current.id}/${section}` : null);
  const items: NavItem[] = [
    {
      label: 'Dashboard',
      to: current ? `/orgs/${current.id}` : null,
      icon: <IconLayoutDashboard size={18} />,
      active: onOrg,
    },
    {
      label: 'Usage',
      to: orgLink('usage'),
      icon: <IconChartHistogram size={18} />,
      active: orgSection('usage'),
    },
    {
      label: 'Products',
      to: orgLink('products'),
      icon: <IconPackages size={18} />,
      active: orgSection('products'),
    },
    {
      label: 'Plans',
      to: orgLink('plans'),
      icon: <IconReceipt size={18} />,
      active: orgSection('plans'),
    },
    {
      label: 'Environments',
      to: orgLink('environments'),
      icon: <IconServer2 size={18} />,
      active: orgSection('environments'),
    },
    {
      label: 'Team',
      to: orgLink('team'),
      icon: <IconUsers size={18} />,
      active: orgSection('team'),
    },
    {
      label: 'Webhooks',
      to: orgLink('webhooks'),
      icon: <IconWebhook size={18} />,
      active: orgSection('webhooks'),
    },
    {
      label: 'Settings',
      to: orgLink('settings'),
      icon: <IconSettings size={18} />,
      active: orgSection('settings'),
    },
    {
      label: 'API docs',
      to: '/docs',
      icon: <IconBook2 size={18} />,
      active: path.startsWith('/docs'),
    },
    {
      label: 'Labs',
      to: '/labs',
      icon: <IconFlask size={18} />,
      active: path.startsWith('/labs'),
    },
    {
      label: 'Account settings',
      to: '/account',
      icon: <IconUserCog size={18} />,
      active: path.startsWith('/account'),
    },
  ];
  if (viewer.platformRole !== 'STAFF') {
    items.push({
      label: 'Developer application',
      to: '/developer-application',
      icon: <IconFileCertificate size={18} />,
      active: path.startsWith('/developer-application'),
    });
  }
  const staffItems: NavItem[] = [
    {
      label: 'Review queue',
      to: '/staff/review',
      icon: <IconChecklist size={18} />,
      active: path.startsWith('/staff/review') || path.startsWith('/staff/applications'),
    },
    {
      label: 'Apps',
      to: '/staff/apps',
      icon: <IconApps size={18} />,
      active: path.startsWith('/staff/apps'),
    },
    {
      label: 'Organizations',
      to: '/staff/organizations',
      icon: <IconBuilding size={18} />,
      active: path.startsWith('/staff/organizations'),
    },
    {
      label: 'Bulk runs',
      to: '/staff/bulk-runs',
      icon: <IconStack2 size={18} />,
      active: path.startsWith('/staff/bulk-runs'),
    },
    {
      label: 'Reports',
      to: '/staff/reports',
      icon: <IconReportAnalytics size={18} />,
      active: path.startsWith('/staff/reports'),
    },
    {
      label: 'Audit log',
      to: '/staff/audit',
      icon: <IconHistory size={18} />,
      active: path.startsWith('/staff/audit'),
    },
    {
      label: 'Products',
      to: '/staff/products',
      icon: <IconBox size={18} />,
      active: path.startsWith('/staff/products'),
    },
    {
      label: 'Documentation',
      to: '/staff/docs',
      icon: <IconFileText size={18} />,
      active: path.startsWith('/staff/docs'),
    },
    {
      label: 'Deprecations',
      to: '/staff/deprecations',
      icon: <IconHourglassLow size={18} />,
      active: path.startsWith('/staff/deprecations'),
    },
    {
      label: 'Labs feedback',
      to: '/staff/labs-feedback',
      icon: <IconMessageCircle size={18} />,
      active: path.startsWith('/staff/labs-feedback'),
    },
    {
      label: 'Plans',
      to: '/staff/plans',
      icon: <IconReceipt size={18} />,
      active: path.startsWith('/staff/plans'),
    },
    {
      label: 'Usage',
      to: '/staff/usage',
      icon: <IconChartHistogram size={18} />,
      active: path.startsWith('/staff/usage'),
    },
    {
      label: 'Gateways',
      to: '/staff/gateways',
      icon: <IconRouter size={18} />,
      active: path.startsWith('/staff/gateways'),
    },
    {
      label: 'Mail outbox',
      to: '/staff/outbox',
      icon: <IconMail size={18} />,
      active: path.startsWith('/staff/outbox'),
    },
  ];
  const isStaff = viewer.platformRole === 'STAFF';

  return (
    <ModalsProvider labels={{ confirm: 'Confirm', cancel: 'Cancel' }}>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="lg"
      >
        <AppShell.Header>
          {navigation.state === 'loading' ? (
            <Progress
              value={100}
              animated
              size={3}
              radius={0}
              pos="absolute"
              top={0}
              left={0}
              right={0}
              aria-label="Loading page"
            />
          ) : null}
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label="Toggle navigation"
              />
              <Anchor component={Link} to="/" underline="never" c="inherit" visibleFrom="xs">
                <Group gap={8} wrap="nowrap">
                  <PorticoMark size={28} />
                  <Text fw={700} size="lg">
                    Portico
                  </Text>
                </Group>
              </Anchor>
              <Box ml={{ base: 0, sm: 'md' }}>
                <OrgSwitcher viewer={viewer} current={current} />
              </Box>
              <Button
                component={Link}
                to="/orgs/new"
                variant="default"
                leftSection={<IconPlus size={16} />}
                visibleFrom="md"
              >
                New organization
              </Button>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <NotificationsBell />
              <ColorSchemeToggle />
              <UserMenu viewer={viewer} />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="sm">
          <AppShell.Section grow component={ScrollArea}>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="xs" pb={6}>
              {current ? current.name : 'Workspace'}
            </Text>
            <nav aria-label="Main">
              {items.map((item) =>
                item.to ? (
                  <NavLink
                    key={item.label}
                    component={Link}
                    to={item.to}
                    label={item.label}
                    leftSection={item.icon}
                    active={item.active}
                    variant="light"
                    style={{ borderRadius: 8 }}
                  />
                ) : (
                  <NavLink
                    key={item.label}
                    label={item.label}
                    leftSection={item.icon}
                    disabled
                    style={{ borderRadius: 8 }}
                  />
                ),
              )}
            </nav>
            <NavLink
              component={Link}
              to="/orgs/new"
              label="New organization"
              leftSection={<IconPlus size={18} />}
              hiddenFrom="md"
              style={{ borderRadius: 8 }}
            />
            {isStaff ? (
              <>
                <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="lg" pb={6}>
                  Portal staff
                </Text>
                <nav aria-label="Staff">
                  {staffItems.map((item) => (
                    <NavLink
                      key={item.label}
                      component={Link}
                      to={item.to ?? '/'}
                      label={item.label}
                      leftSection={item.icon}
                      active={item.active}
                      variant="light"
                      style={{ borderRadius: 8 }}
                    />
                  ))}
                </nav>
              </>
            ) : null}
          </AppShell.Section>
          <AppShell.Section>
            <Text size="xs" c="dimmed" px="sm" py="xs" truncate>
              Signed in as {viewer.email}
            </Text>
          </AppShell.Section>
        </AppShell.Navbar>

        <AppShell.Main>
          <Container size="var(--portico-page-max)" px={0}>
            <VerifyEmailBanner viewer={viewer} />
            <Outlet />
          </Container>
        </AppShell.Main>
      </AppShell>
    </ModalsProvider>
  );
}
