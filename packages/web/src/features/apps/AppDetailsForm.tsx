import { useMutation } from '@apollo/client/react';
import {
  Button,
  Divider,
  Group,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { orNull, parseLines, projectOptions, STANDALONE } from './appFields';
import { UpdateAppMutation } from './apps.operations';
import type { SettingsApp } from './types';

export function AppDetailsForm({ app }: { app: SettingsApp }) {
  const [updateApp, { loading }] = useMutation(UpdateAppMutation);
  const form = useForm({
    initialValues: {
      name: app.name,
      description: app.description,
      projectId: app.project?.id ?? STANDALONE,
      useCase: app.useCase,
      websiteUrl: app.websiteUrl ?? '',
      callbackUrls: app.callbackUrls.join('\n'),
      termsOfServiceUrl: app.termsOfServiceUrl ?? '',
      privacyPolicyUrl: app.privacyPolicyUrl ?? '',
      organizationName: app.organizationName ?? '',
      organizationUrl: app.organizationUrl ?? '',
      iconUrl: app.iconUrl ?? '',
    },
  });
  const server = useServerErrors(form);
  const readOnly = !app.viewerCanManage;

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await updateApp({
        variables: {
          input: {
            appId: app.id,
            name: values.name,
            description: values.description,
            projectId: values.projectId === STANDALONE ? null : values.projectId,
            useCase: values.useCase,
            websiteUrl: orNull(values.websiteUrl),
            callbackUrls: parseLines(values.callbackUrls),
            termsOfServiceUrl: orNull(values.termsOfServiceUrl),
            privacyPolicyUrl: orNull(values.privacyPolicyUrl),
            organizationName: orNull(values.organizationName),
            organizationUrl: orNull(values.organizationUrl),
            iconUrl: orNull(values.iconUrl),
          },
        },
      });
      form.resetDirty();
      notifications.show({ color: 'teal', title: 'Changes saved', message: values.name });
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="md">
          <FormAlert message={server.formError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="App name" required maxLength={50} {...form.getInputProps('name')} />
            <Select
              label="Project"
              data={projectOptions(app.organization.projectsConnection.nodes)}
              allowDeselect={false}
              disabled={readOnly}
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
          <TextInput label="Use case" {...form.getInputProps('useCase')} />
          <Divider label="Links" labelPosition="left" />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Website URL" type="url" {...form.getInputProps('websiteUrl')} />
            <TextInput label="Icon URL" type="url" {...form.getInputProps('iconUrl')} />
            <TextInput
              label="Terms of service URL"
              type="url"
              {...form.getInputProps('termsOfServiceUrl')}
            />
            <TextInput
              label="Privacy policy URL"
              type="url"
              {...form.getInputProps('privacyPolicyUrl')}
            />
            <TextInput label="Organization name" {...form.getInputProps('organizationName')} />
            <TextInput
              label="Organization URL"
              type="url"
              {...form.getInputProps('organizationUrl')}
            />
          </SimpleGrid>
          <Textarea
            label="Callback URLs"
            description="One per line, at most 10. https, or http for localhost only."
            autosize
            minRows={2}
            maxRows={10}
            classNames={{ input: 'portico-mono' }}
            {...form.getInputProps('callbackUrls')}
          />
          {readOnly ? null : (
            <Group justify="flex-end">
              <Button type="submit" loading={loading}>
                Save changes
              </Button>
            </Group>
          )}
        </Stack>
      </fieldset>
    </form>
  );
}
