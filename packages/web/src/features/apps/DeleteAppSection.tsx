import { useMutation } from '@apollo/client/react';
import { Alert, Button, Card, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { AppModal } from '../common/AppModal';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { DeleteAppMutation } from './apps.operations';
import type { SettingsApp } from './types';

export function DeleteAppSection({ app }: { app: SettingsApp }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <Card padding="lg" style={{ borderColor: 'var(--mantine-color-red-outline)' }}>
      <Group justify="space-between" wrap="wrap" gap="md">
        <div style={{ maxWidth: 560 }}>
          <Text fw={600}>Delete this app</Text>
          <Text size="sm" c="dimmed">
            Every credential of the app stops working at once. Its usage history is kept under a
            tombstone, and the name becomes available again. This cannot be undone.
          </Text>
        </div>
        <Button color="red" onClick={open} disabled={!app.viewerCanManage}>
          Delete app
        </Button>
      </Group>
      <AppModal opened={opened} onClose={close} title={<Text fw={600}>Delete {app.name}</Text>}>
        {opened ? <DeleteAppForm app={app} onCancel={close} /> : null}
      </AppModal>
    </Card>
  );
}

function DeleteAppForm({ app, onCancel }: { app: SettingsApp; onCancel: () => void }) {
  const navigate = useNavigate();
  const [deleteApp, { loading }] = useMutation(DeleteAppMutation);
  const form = useForm({ initialValues: { confirmName: '', reason: '' } });
  const server = useServerErrors(form);
  const confirmed = form.getValues().confirmName === app.name;

  const submit = form.onSubmit(async (values) => {
    if (!confirmed) return;
    server.clear();
    try {
      await deleteApp({
        variables: { input: { appId: app.id, reason: values.reason.trim() } },
        update(cache) {
          cache.evict({ id: cache.identify({ __typename: 'App', id: app.id }) });
          cache.gc();
        },
      });
      notifications.show({
        color: 'teal',
        title: 'App deleted',
        message: `${app.name} was deleted.`,
      });
      await navigate(`/orgs/${app.organization.id}`, { replace: true });
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
          All credentials of <b>{app.name}</b> will be revoked immediately.
        </Alert>
        <FormAlert message={server.formError} />
        <Textarea
          label="Reason"
          description="Recorded in the audit log."
          placeholder="Why are you deleting this app?"
          autosize
          minRows={2}
          {...form.getInputProps('reason')}
        />
        <TextInput
          label="Type the app name to confirm"
          description={app.name}
          autoComplete="off"
          data-autofocus
          {...form.getInputProps('confirmName')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" disabled={!confirmed} loading={loading}>
            Delete app
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
