import { useMutation } from '@apollo/client/react';
import { Button, Card, Group, Radio, Stack, Switch, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { isPermissionLevel, permissionLevels } from './appFields';
import { UpdateAppMutation } from './apps.operations';
import type { SettingsApp } from './types';

export function AppPermissionsForm({ app }: { app: SettingsApp }) {
  const [updateApp, { loading }] = useMutation(UpdateAppMutation);
  const form = useForm({
    initialValues: {
      permissionLevel: app.permissionLevel as string,
      threeLeggedOAuth: app.threeLeggedOAuth,
      requestEmail: app.requestEmail,
    },
  });
  const server = useServerErrors(form);
  const readOnly = !app.viewerCanManage;
  const missingPolicyUrls = !app.termsOfServiceUrl || !app.privacyPolicyUrl;

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await updateApp({
        variables: {
          input: {
            appId: app.id,
            permissionLevel: isPermissionLevel(values.permissionLevel)
              ? values.permissionLevel
              : undefined,
            threeLeggedOAuth: values.threeLeggedOAuth,
            requestEmail: values.requestEmail,
          },
        },
      });
      form.resetDirty();
      notifications.show({
        color: 'teal',
        title: 'Changes saved',
        message: 'Permissions updated.',
      });
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        <FormAlert message={server.formError} />
        <Radio.Group
          label="Permission level"
          description="What the app may do with the API on behalf of its users."
          {...form.getInputProps('permissionLevel')}
        >
          <Stack gap="xs" mt="sm">
            {permissionLevels.map((level) => (
              <Radio.Card
                key={level.value}
                value={level.value}
                p="md"
                radius="md"
                disabled={readOnly}
              >
                <Group wrap="nowrap" align="flex-start">
                  <Radio.Indicator />
                  <div>
                    <Text fw={600} size="sm">
                      {level.label}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {level.description}
                    </Text>
                  </div>
                </Group>
              </Radio.Card>
            ))}
          </Stack>
        </Radio.Group>

        <Card padding="md">
          <Stack gap="md">
            <Switch
              label="3-legged OAuth"
              description="Let users sign in to your app with their account (OAuth 1.0a and 2.0)."
              disabled={readOnly}
              {...form.getInputProps('threeLeggedOAuth', { type: 'checkbox' })}
            />
            <Switch
              label="Request email from users"
              description={
                missingPolicyUrls
                  ? 'Needs a terms of service URL and a privacy policy URL (Details tab).'
                  : 'Ask users who sign in for their email address.'
              }
              disabled={readOnly}
              {...form.getInputProps('requestEmail', { type: 'checkbox' })}
            />
          </Stack>
        </Card>
        {readOnly ? null : (
          <Group justify="flex-end">
            <Button type="submit" loading={loading}>
              Save changes
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
