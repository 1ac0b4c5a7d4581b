import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconApps, IconChartHistogram, IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { AppsTable } from '../features/apps/AppsTable';
import { ConfirmModal } from '../features/common/AppModal';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { CopyId } from '../features/common/CopyId';
import { formatDateTime } from '../features/common/format';
import { LoadMore } from '../features/common/LoadMore';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import { ProjectFormModal } from '../features/projects/ProjectFormModal';
import { DeleteProjectMutation, ProjectQuery } from '../features/projects/projects.operations';
import { NotFoundPage } from './NotFoundPage';

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" mt={4} component="div">
        {children}
      </Text>
    </div>
  );
}

export function ProjectPage() {
  const { orgId = '', projectId = '' } = useParams();
  const navigate = useNavigate();
  const { data, loading, error, refetch, fetchMore } = useQuery(ProjectQuery, {
    variables: { id: projectId },
    fetchPolicy: 'cache-and-network',
  });
  const [editOpened, edit] = useDisclosure(false);
  const [deleteOpened, del] = useDisclosure(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleteProject, deleting] = useMutation(DeleteProjectMutation);

  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const project = data?.project;
  if (!project) return <NotFoundPage />;
  const isAdmin = project.organization.viewerRole === 'ADMIN';
  const apps = project.appsConnection;
  const moreApps = () => fetchMore({ variables: { appsAfter: apps.pageInfo.endCursor } });

  const onDelete = async () => {
    setDeleteError(null);
    try {
      await deleteProject({
        variables: { input: { projectId: project.id } },
        update(cache) {
          cache.evict({ id: cache.identify({ __typename: 'Project', id: project.id }) });
          cache.gc();
        },
      });
      notifications.show({ color: 'teal', title: 'Project deleted', message: project.name });
      await navigate(`/orgs/${orgId}`);
    } catch (failure) {
      setDeleteError(errorMessage(failure));
    }
  };

  return (
    <>
      <PageHeader
        above={
          <PageBreadcrumbs
            items={[
              { label: project.organization.name, to: `/orgs/${project.organization.id}` },
              { label: 'Projects' },
              { label: project.name },
            ]}
          />
        }
        title={project.name}
        description={<CopyId value={project.id} label="project id" />}
        actions={
          <>
            {isAdmin ? (
              <>
                <Button variant="default" leftSection={<IconEdit size={16} />} onClick={edit.open}>
                  Edit project
                </Button>
                <Button
                  variant="light"
                  color="red"
                  leftSection={<IconTrash size={16} />}
                  onClick={() => {
                    setDeleteError(null);
                    del.open();
                  }}
                >
                  Delete project
                </Button>
              </>
            ) : null}
            <Button
              component={Link}
              to={`/orgs/${orgId}/usage?of=${project.id}`}
              variant="default"
              leftSection={<IconChartHistogram size={16} />}
            >
              Usage
            </Button>
            <Button
              component={Link}
              to={`/orgs/${orgId}/apps/new?projectId=${project.id}`}
              leftSection={<IconPlus size={16} />}
            >
              New app
            </Button>
          </>
        }
      />

      <Stack gap="lg">
        <Card padding="lg">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            <Detail label="Description">
              {project.description || (
                <Text c="dimmed" size="sm">
                  No description
                </Text>
              )}
            </Detail>
            <Detail label="Use case">
              {project.useCase || (
                <Text c="dimmed" size="sm">
                  Not set
                </Text>
              )}
            </Detail>
            <Detail label="Created">{formatDateTime(project.createdAt)}</Detail>
            <Detail label="Last updated">{formatDateTime(project.updatedAt)}</Detail>
          </SimpleGrid>
        </Card>

        <div>
          <Title order={3} size="h4" mb="sm">
            Apps
          </Title>
          {apps.totalCount > 0 ? (
            <Card padding="sm">
              <AppsTable orgId={orgId} apps={apps.nodes} />
              <LoadMore
                shown={apps.nodes.length}
                total={apps.totalCount}
                hasMore={apps.pageInfo.hasNextPage}
                onLoadMore={moreApps}
              />
            </Card>
          ) : (
            <Empty
              icon={<IconApps size={28} />}
              title="No apps in this project"
              description="Apps in a project can use products that require one."
              actions={
                <Button component={Link} to={`/orgs/${orgId}/apps/new?projectId=${project.id}`}>
                  New app
                </Button>
              }
            />
          )}
        </div>
      </Stack>

      <ProjectFormModal
        mode="edit"
        projectId={project.id}
        initial={{ name: project.name, description: project.description, useCase: project.useCase }}
        opened={editOpened}
        onClose={edit.close}
      />
      <ConfirmModal
        opened={deleteOpened}
        onClose={del.close}
        title="Delete project"
        confirmLabel="Delete project"
        danger
        loading={deleting.loading}
        onConfirm={() => void onDelete()}
        error={deleteError}
      >
        <Text size="sm">
          Delete <b>{project.name}</b>? A project can only be deleted once it holds no apps: move or
          delete its apps first.
          {apps.totalCount > 0
            ? ` It still holds ${apps.totalCount} ${apps.totalCount === 1 ? 'app' : 'apps'}.`
            : ''}
        </Text>
      </ConfirmModal>
    </>
  );
}
