import { useMutation, useQuery } from '@apollo/client/react';
import {
  Button,
  Card,
  Divider,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useViewer } from '../features/accounts/viewer';
import { ApplyCallout } from '../features/applications/ApplyCallout';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  isPermissionLevel,
  orNull,
  parseLines,
  permissionLevels,
  projectOptions,
  STANDALONE,
} from '../features/apps/appFields';
import { CreateAppMutation, NewAppQuery } from '../features/apps/apps.operations';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { PageHeader } from '../features/common/PageHeader';
import { FormAlert, PageSkeleton, QueryError } from '../features/common/states';
import { useServerErrors } from '../features/forms/useServerErrors';
import { NotFoundPage } from './NotFoundPage';

export function NewAppPage() {
  const { orgId = '' } = useParams();
  const viewer = useViewer();
  const { data, loading, error, refetch } = useQuery(NewAppQuery, { variables: { id: orgId } });
  if (loading && !data) return <PageSkeleton rows={1} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;
  if (viewer.canCreateApps === false) {
    return (
      <Stack maw={760}>
        <PageHeader
          above={
            <PageBreadcrumbs
              items={[{ label: org.name, to: `/orgs/${org.id}` }, { label: 'New app' }]}
            />
          }
          title="New app"
          description="An app holds the credentials your software uses to call the APIs."
        />
        <ApplyCallout />
      </Stack>
    );
  }
  return (
    <NewAppForm
      org={{ id: org.id, name: org.name, projects: org.projectsConnection.nodes }}
      products={data.products}
    />
  );
}

interface NewAppFormProps {
  org: { id: string; name: string; projects: readonly { id: string; name: string }[] };
  products: readonly { id: string; name: string; requiresProject: boolean }[];
}

function NewAppForm({ org, products }: NewAppFormProps) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const wantedProject = params.get('projectId');
  const initialProject = org.projects.some((project) => project.id === wantedProject)
    ? (wantedProject ?? STANDALONE)
    : STANDALONE;
  const [createApp, { loading }] = useMutation(CreateAppMutation);
  const form = useForm({
    initialValues: {
      name: '',
      description: '',
      projectId: initialProject,
      useCase: '',
      websiteUrl: '',
      callbackUrls: '',
      permissionLevel: 'READ' as string,
      productIds: [] as string[],
    },
  });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    const permissionLevel = isPermissionLevel(values.permissionLevel)
      ? values.permissionLevel
      : 'READ';
    try {
      const result = await createApp({
        variables: {
          input: {
            organizationId: org.id,
            projectId: values.projectId === STANDALONE ? null : values.projectId,
            name: values.name,
            description: values.description,
            useCase: values.useCase,
            websiteUrl: orNull(values.websiteUrl),
            callbackUrls: parseLines(values.callbackUrls),
            permissionLevel,
            productIds: values.productIds.length > 0 ? values.productIds : null,
          },
        },
      });
      const app = result.data?.createApp.app;
      if (!app) return;
      notifications.show({ color: 'teal', title: 'App created', message: `${app.name} is ready.` });
      await navigate(`/orgs/${org.id}/apps/${app.id}`);
    } catch (failure) {
      server.apply(failure);
    }
  });

  return (
    <Stack maw={760}>
      <PageHeader
        above={
          <PageBreadcrumbs
            items={[{ label: org.name, to: `/orgs/${org.id}` }, { label: 'New app' }]}
          />
        }
        title="New app"
        description="An app holds the credentials your software uses to call the APIs. You will own it."
      />
      <Card padding="lg">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <FormAlert message={server.formError} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="App name"
                description="Unique in the organization, at most 50 characters."
                required
                autoFocus
                maxLength={50}
                {...form.getInputProps('name')}
              />
              <Select
                label="Project"
                description="Apps in a project can use project-only products."
                data={projectOptions(org.projects)}
                allowDeselect={false}
                {...form.getInputProps('projectId')}
              />
            </SimpleGrid>
            <Textarea
              label="Description"
              autosize
              minRows={2}
              maxRows={6}
              {...form.getInputProps('description')}
            />
            <TextInput
              label="Use case"
              placeholder="What will you build with the API?"
              {...form.getInputProps('useCase')}
            />
            <Divider label="Authentication" labelPosition="left" />
            <TextInput
              label="Website URL"
              placeholder="https://example.com"
              type="url"
              {...form.getInputProps('websiteUrl')}
            />
            <Textarea
              label="Callback URLs"
              description="One per line, at most 10. https, or http for localhost only."
              placeholder="https://example.com/oauth/callback"
              autosize
              minRows={2}
              maxRows={10}
              classNames={{ input: 'portico-mono' }}
              {...form.getInputProps('callbackUrls')}
            />
            <Select
              label="Permission level"
              data={permissionLevels.map(({ value, label }) => ({ value, label }))}
              allowDeselect={false}
              {...form.getInputProps('permissionLevel')}
            />
            <Text size="xs" c="dimmed">
              {
                permissionLevels.find((level) => level.value === form.getValues().permissionLevel)
                  ?.description
              }
            </Text>
            {products.length > 0 ? (
              <>
                <Divider label="API products" labelPosition="left" />
                <MultiSelect
                  label="Products"
                  description="Request access now; some products are approved at once, others after review. You can also request them later."
                  placeholder="Choose products"
                  data={products.map((product) => ({
                    value: product.id,
                    label: product.requiresProject
                      ? `${product.name} (apps in a project only)`
                      : product.name,
                    disabled: product.requiresProject && form.getValues().projectId === STANDALONE,
                  }))}
                  searchable
                  clearable
                  {...form.getInputProps('productIds')}
                />
              </>
            ) : null}
            <Group justify="flex-end" gap="sm" mt="sm">
              <Button variant="default" component={Link} to={`/orgs/${org.id}`}>
                Cancel
              </Button>
              <Button type="submit" loading={loading}>
                Create app
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
