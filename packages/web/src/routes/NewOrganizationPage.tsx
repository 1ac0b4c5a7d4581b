import { useMutation } from '@apollo/client/react';
import { Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { ViewerQuery } from '../features/accounts/viewer';
import { PageHeader } from '../features/common/PageHeader';
import { FormAlert } from '../features/common/states';
import { useServerErrors } from '../features/forms/useServerErrors';
import { CreateOrganizationMutation } from '../features/orgs/orgs.operations';

export function NewOrganizationPage() {
  const navigate = useNavigate();
  const [createOrganization, { loading }] = useMutation(CreateOrganizationMutation, {
    refetchQueries: [ViewerQuery],
    awaitRefetchQueries: true,
  });
  const form = useForm({ initialValues: { name: '' } });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      const result = await createOrganization({ variables: { input: values } });
      const organization = result.data?.createOrganization.organization;
      if (!organization) return;
      notifications.show({
        color: 'teal',
        title: 'Organization created',
        message: `${organization.name} is ready. Invite your team or create an app.`,
      });
      await navigate(`/orgs/${organization.id}`);
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <Stack maw={560}>
      <PageHeader
        title="New organization"
        description="Organizations hold projects, apps and the people who work on them. You become its admin."
      />
      <Card padding="lg">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <FormAlert message={server.formError} />
            <TextInput
              label="Organization name"
              placeholder="Acme Inc."
              required
              autoFocus
              {...form.getInputProps('name')}
            />
            <Text size="xs" c="dimmed">
              You can rename it later. Its URL slug is derived from the name.
            </Text>
            <Group justify="flex-end">
              <Button type="submit" loading={loading}>
                Create organization
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
