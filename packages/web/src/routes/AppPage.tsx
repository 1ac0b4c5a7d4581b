import { useQuery } from '@apollo/client/react';
import { Alert, Avatar, Badge, Card, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import {
  IconAlertTriangle,
  IconChartHistogram,
  IconInfoCircle,
  IconKey,
  IconLock,
  IconPackages,
  IconShieldLock,
  IconTags,
} from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { AppAttributesForm } from '../features/apps/AppAttributesForm';
import { AppDetailsForm } from '../features/apps/AppDetailsForm';
import { AppPermissionsForm } from '../features/apps/AppPermissionsForm';
import { AppQuery } from '../features/apps/apps.operations';
import { AppStatusBadge } from '../features/apps/AppStatusBadge';
import { DeleteAppSection } from '../features/apps/DeleteAppSection';
import { StaffSuspension } from '../features/apps/StaffSuspension';
import { AppProductsTab } from '../features/grants/AppProductsTab';
import type { SettingsApp } from '../features/apps/types';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { CopyId } from '../features/common/CopyId';
import { formatDate, formatRelative } from '../features/common/format';
import { PageSkeleton, QueryError, TableSkeleton } from '../features/common/states';
import { NotFoundPage } from './NotFoundPage';

// Loaded when the tab is first opened.
const AppKeysTab = lazy(() =>
  import('../features/credentials/AppKeysTab').then((m) => ({ default: m.AppKeysTab })),
);
const AppAnalyticsTab = lazy(() =>
  import('../features/usage/AppAnalyticsTab').then((m) => ({ default: m.AppAnalyticsTab })),
);

const TABS = [
  'details',
  'keys',
  'products',
  'analytics',
  'permissions',
  'attributes',
  'danger',
] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | null): value is Tab {
  return TABS.some((tab) => tab === value);
}

export function AppPage() {
  const { appId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(AppQuery, {
    variables: { id: appId },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const app = data?.app;
  if (!app) return <NotFoundPage />;
  // Key by app so the forms start over when another app is opened.
  return <AppSettings key={app.id} app={app} />;
}

function AppSettings({ app }: { app: SettingsApp }) {
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: Tab = isTab(tabParam) ? tabParam : 'details';
  const org = app.organization;

  return (
    <>
      <Stack gap={6} mb="lg">
        <PageBreadcrumbs
          items={[
            { label: org.name, to: `/orgs/${org.id}` },
            app.project
              ? { label: app.project.name, to: `/orgs/${org.id}/projects/${app.project.id}` }
              : { label: 'Standalone apps' },
            { label: app.name },
          ]}
        />
        <Group gap="md" wrap="nowrap" align="center">
          <Avatar src={app.iconUrl} size={52} radius="md" color="indigo" variant="light">
            {app.name.charAt(0).toUpperCase()}
          </Avatar>
          <div style={{ minWidth: 0 }}>
            <Group gap="sm">
              <Title order={2}>{app.name}</Title>
              <AppStatusBadge status={app.status} />
              {app.viewerCanManage ? null : (
                <Badge variant="outline" color="gray" leftSection={<IconLock size={12} />}>
                  Read only
                </Badge>
              )}
            </Group>
            <Group gap="lg" mt={4}>
              <CopyId value={app.id} label="app id" />
              <Text size="xs" c="dimmed">
                Owner: {app.owner.name}
              </Text>
              <Text size="xs" c="dimmed" title={app.updatedAt}>
                Created {formatDate(app.createdAt)} · updated {formatRelative(app.updatedAt)}
              </Text>
            </Group>
          </div>
          <div style={{ marginLeft: 'auto' }}>
            <StaffSuspension app={app} />
          </div>
        </Group>
      </Stack>

      {app.status === 'SUSPENDED' || app.status === 'REJECTED' ? (
        <Alert
          color={app.status === 'SUSPENDED' ? 'orange' : 'red'}
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title={app.status === 'SUSPENDED' ? 'This app is suspended' : 'This app was rejected'}
          mb="lg"
        >
          {app.statusReason ?? 'Its credentials do not work. Contact the API provider for details.'}
        </Alert>
      ) : null}
      {app.status === 'PENDING' ? (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconInfoCircle size={18} />}
          mb="lg"
          title="Waiting for review"
        >
          The API provider reviews this app's product requests before its credentials work. This
          page updates as soon as they decide.
        </Alert>
      ) : null}
      {app.viewerCanManage ? null : (
        <Alert color="gray" variant="light" icon={<IconLock size={18} />} mb="lg">
          Only the owner ({app.owner.name}) and organization admins can change this app.
        </Alert>
      )}

      <Tabs
        value={tab}
        onChange={(value) => {
          const next = new URLSearchParams(params);
          if (value && value !== 'details') next.set('tab', value);
          else next.delete('tab');
          // The period belongs to the analytics tab.
          if (value !== 'analytics') next.delete('period');
          setParams(next, { replace: true });
        }}
        variant="outline"
      >
        {/* One row of tabs: on narrow screens it scrolls sideways rather than wrapping. */}
        <Tabs.List mb="lg" style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          <Tabs.Tab value="details" leftSection={<IconInfoCircle size={16} />}>
            Details
          </Tabs.Tab>
          <Tabs.Tab value="keys" leftSection={<IconKey size={16} />}>
            Keys and tokens
          </Tabs.Tab>
          <Tabs.Tab value="products" leftSection={<IconPackages size={16} />}>
            Products
          </Tabs.Tab>
          <Tabs.Tab value="analytics" leftSection={<IconChartHistogram size={16} />}>
            Analytics
          </Tabs.Tab>
          <Tabs.Tab value="permissions" leftSection={<IconShieldLock size={16} />}>
            Permissions
          </Tabs.Tab>
          <Tabs.Tab value="attributes" leftSection={<IconTags size={16} />}>
            Custom attributes
          </Tabs.Tab>
          <Tabs.Tab value="danger" color="red" leftSection={<IconAlertTriangle size={16} />}>
            Danger zone
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <Card padding="lg">
            <AppDetailsForm app={app} />
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="keys">
          {tab === 'keys' ? (
            <Suspense
              fallback={
                <Card padding="lg">
                  <TableSkeleton rows={4} />
                </Card>
              }
            >
              <AppKeysTab appId={app.id} />
            </Suspense>
          ) : null}
        </Tabs.Panel>
        <Tabs.Panel value="products">
          {tab === 'products' ? <AppProductsTab appId={app.id} orgId={org.id} /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="analytics">
          {tab === 'analytics' ? (
            <Suspense fallback={<PageSkeleton rows={3} />}>
              <AppAnalyticsTab appId={app.id} appName={app.name} />
            </Suspense>
          ) : null}
        </Tabs.Panel>
        <Tabs.Panel value="permissions">
          <Card padding="lg">
            <AppPermissionsForm app={app} />
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="attributes">
          <Card padding="lg">
            <AppAttributesForm app={app} />
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="danger">
          <DeleteAppSection app={app} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
