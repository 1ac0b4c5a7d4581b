import { useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconApps,
  IconFolder,
  IconFolderPlus,
  IconPlus,
  IconRosetteDiscountCheck,
  IconStack2,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useViewer } from '../features/accounts/viewer';
import { ApplyCallout } from '../features/applications/ApplyCallout';
import { AppsTable } from '../features/apps/AppsTable';
import { CopyId } from '../features/common/CopyId';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { DashboardQuery } from '../features/orgs/orgs.operations';
import { ProjectFormModal } from '../features/projects/ProjectFormModal';
import { NotFoundPage } from './NotFoundPage';

function Stat({ label, value, icon }: { label: string; value: number; icon: ReactNode }) {
  return (
    <Card padding="md">
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {label}
          </Text>
          <Text fw={700} size="xl" mt={2}>
            {value}
          </Text>
        </div>
        <ThemeIcon variant="light" size="xl" radius="md">
          {icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
}

export function DashboardPage() {
  const { orgId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(DashboardQuery, {
    variables: { id: orgId },
    fetchPolicy: 'cache-and-network',
  });
  const [projectModal, projectModalHandlers] = useDisclosure(false);
  const viewer = useViewer();

  if (loading && !data) return <PageSkeleton />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;

  const isAdmin = org.viewerRole === 'ADMIN';
  const projects = org.projectsConnection;
  const standalone = org.standaloneAppsConnection;
  // A developer whose account application is not approved yet cannot create apps: the apply
  // prompt below takes the place of the button.
  const newAppButton =
    viewer.canCreateApps === false ? null : (
      <Button component={Link} to={`/orgs/${org.id}/apps/new`} leftSection={<IconPlus size={16} />}>
        New app
      </Button>
    );
  const newProjectButton = isAdmin ? (
    <Button
      variant="default"
      leftSection={<IconFolderPlus size={16} />}
      onClick={projectModalHandlers.open}
    >
      New project
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={org.name}
        description={
          <Group gap="xs">
            <Badge variant="light" color={org.kind === 'PERSONAL' ? 'gray' : 'indigo'}>
              {org.kind === 'PERSONAL' ? 'Personal' : 'Team'}
            </Badge>
            {org.verifiedAt ? (
              <Tooltip label="Verified by the API provider">
                <Badge
                  variant="light"
                  color="teal"
                  leftSection={<IconRosetteDiscountCheck size={12} />}
                >
                  Verified
                </Badge>
              </Tooltip>
            ) : null}
            <Badge variant="outline" color="gray">
              {org.viewerRole === 'ADMIN'
                ? 'Admin'
                : org.viewerRole === 'DEVELOPER'
                  ? 'Developer'
                  : 'Staff view'}
            </Badge>
            <CopyId value={org.id} label="organization id" />
          </Group>
        }
        actions={
          newProjectButton || newAppButton ? (
            <>
              {newProjectButton}
              {newAppButton}
            </>
          ) : undefined
        }
      />

      {viewer.canCreateApps === false ? <ApplyCallout /> : null}

      <SimpleGrid cols={{ base: 1, xs: 3 }} mb="xl">
        <Stat label="Projects" value={projects.totalCount} icon={<IconFolder size={22} />} />
        <Stat label="Apps" value={org.allApps.totalCount} icon={<IconApps size={22} />} />
        <Stat
          label="Active apps"
          value={org.activeApps.totalCount}
          icon={<IconStack2 size={22} />}
        />
      </SimpleGrid>

      {projects.totalCount === 0 && standalone.totalCount === 0 ? (
        <Empty
          icon={<IconApps size={28} />}
          title="No projects or apps yet"
          description={
            isAdmin
              ? 'Group apps by use case in a project, or create a standalone app to get credentials.'
              : 'Create an app to get credentials for the APIs.'
          }
          actions={
            newProjectButton || newAppButton ? (
              <>
                {newProjectButton}
                {newAppButton}
              </>
            ) : undefined
          }
        />
      ) : (
        <Stack gap="lg">
          {projects.nodes.map((project) => (
            <Card key={project.id} padding="lg">
              <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap">
                <Group gap="sm" wrap="nowrap" align="flex-start">
                  <ThemeIcon variant="light" radius="md" size="lg">
                    <IconFolder size={18} />
                  </ThemeIcon>
                  <div>
                    <Title order={3} size="h4">
                      <Anchor
                        component={Link}
                        to={`/orgs/${org.id}/projects/${project.id}`}
                        c="inherit"
                      >
                        {project.name}
                      </Anchor>
                    </Title>
                    {project.description ? (
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {project.description}
                      </Text>
                    ) : null}
                    {project.useCase ? (
                      <Text size="xs" c="dimmed" mt={2} lineClamp={1}>
                        <Text span fw={600} size="xs" inherit>
                          Use case:
                        </Text>{' '}
                        {project.useCase}
                      </Text>
                    ) : null}
                  </div>
                </Group>
                <Badge variant="default" style={{ flexShrink: 0 }}>
                  {project.appsConnection.totalCount}{' '}
                  {project.appsConnection.totalCount === 1 ? 'app' : 'apps'}
                </Badge>
              </Group>
              {project.appsConnection.totalCount > 0 ? (
                <>
                  <AppsTable orgId={org.id} apps={project.appsConnection.nodes} />
                  {project.appsConnection.totalCount > project.appsConnection.nodes.length ? (
                    <Anchor
                      component={Link}
                      to={`/orgs/${org.id}/projects/${project.id}`}
                      size="sm"
                      mt="xs"
                      display="inline-block"
                    >
                      See all {project.appsConnection.totalCount} apps of {project.name}
                    </Anchor>
                  ) : null}
                </>
              ) : (
                <Group
                  justify="space-between"
                  p="sm"
                  bg="var(--mantine-color-default-hover)"
                  style={{ borderRadius: 8 }}
                >
                  <Text size="sm" c="dimmed">
                    No apps in this project yet.
                  </Text>
                  <Anchor
                    component={Link}
                    to={`/orgs/${org.id}/apps/new?projectId=${project.id}`}
                    size="sm"
                  >
                    Add an app
                  </Anchor>
                </Group>
              )}
            </Card>
          ))}

          <Card padding="lg">
            <Group justify="space-between" mb="sm">
              <Group gap="sm">
                <ThemeIcon variant="light" color="gray" radius="md" size="lg">
                  <IconApps size={18} />
                </ThemeIcon>
                <div>
                  <Title order={3} size="h4">
                    Standalone apps
                  </Title>
                  <Text size="sm" c="dimmed">
                    Apps outside any project. Some products are only available to apps in a project.
                  </Text>
                </div>
              </Group>
              <Badge variant="default">{standalone.totalCount}</Badge>
            </Group>
            {standalone.totalCount > 0 ? (
              <AppsTable orgId={org.id} apps={standalone.nodes} />
            ) : (
              <Text size="sm" c="dimmed" p="sm">
                No standalone apps.
              </Text>
            )}
          </Card>
        </Stack>
      )}

      <ProjectFormModal
        mode="create"
        organizationId={org.id}
        opened={projectModal}
        onClose={projectModalHandlers.close}
      />
    </>
  );
}
