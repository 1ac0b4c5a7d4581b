import { useMutation } from '@apollo/client/react';
import { Button, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { useViewer } from '../accounts/viewer';
import { AppModal, ConfirmModal } from '../common/AppModal';
import { FormAlert } from '../common/states';
import { FormActions } from '../forms/FormActions';
import { errorMessage } from '../forms/serverErrors';
import { useServerErrors } from '../forms/useServerErrors';
import { SuspendAppMutation, UnsuspendAppMutation } from './apps.operations';
import type { SettingsApp } from './types';

/**
 * Staff only: suspend an app (its credentials stop working at once, the owner is told with
 * the reason) or lift a suspension. Nothing is shown to anyone else.
 */
export function StaffSuspension({ app }: { app: SettingsApp }) {
  const viewer = useViewer();
  const [opened, { open, close }] = useDisclosure(false);
  if (viewer.platformRole !== 'STAFF') return null;
  if (app.status === 'SUSPENDED') return <UnsuspendButton app={app} />;
  return (
    <>
      <Button
        variant="light"
        color="orange"
        leftSection={<IconPlayerPause size={16} />}
        onClick={open}
      >
        Suspend app
      </Button>
      <AppModal opened={opened} onClose={close} title={<Text fw={600}>Suspend {app.name}</Text>}>
        {opened ? <SuspendForm app={app} onDone={close} /> : null}
      </AppModal>
    </>
  );
}

function SuspendForm({ app, onDone }: { app: SettingsApp; onDone: () => void }) {
  const [suspend, { loading }] = useMutation(SuspendAppMutation);
  const form = useForm({ initialValues: { reason: '' } });
  const server = useServerErrors(form);
  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await suspend({ variables: { input: { appId: app.id, reason: values.reason.trim() } } });
      notifications.show({
        color: 'orange',
        title: 'App suspended',
        message: `${app.name}'s credentials stop working; the owner is told why.`,
      });
      onDone();
    } catch (error) {
      server.apply(error);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          Every credential of <b>{app.name}</b> stops working at once, on every gateway. The owner
          gets an &ldquo;Application suspension notice&rdquo; with your reason, in the app and by
          email.
        </Text>
        <FormAlert message={server.formError} />
        <Textarea
          label="Reason"
          description="Shown to the app's owner and members, and recorded in the audit log."
          placeholder="Why is this app suspended?"
          autosize
          minRows={3}
          required
          data-autofocus
          {...form.getInputProps('reason')}
        />
        <FormActions submitLabel="Suspend app" onCancel={onDone} loading={loading} danger />
      </Stack>
    </form>
  );
}

function UnsuspendButton({ app }: { app: SettingsApp }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [error, setError] = useState<string | null>(null);
  const [unsuspend, { loading }] = useMutation(UnsuspendAppMutation);
  const confirm = async () => {
    setError(null);
    try {
      await unsuspend({ variables: { input: { appId: app.id } } });
      notifications.show({
        color: 'teal',
        title: 'Suspension lifted',
        message: `${app.name}'s credentials work again for the products it was granted.`,
      });
      close();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  return (
    <>
      <Button variant="light" leftSection={<IconPlayerPlay size={16} />} onClick={open}>
        Unsuspend app
      </Button>
      <ConfirmModal
        opened={opened}
        onClose={close}
        title={`Unsuspend ${app.name}`}
        confirmLabel="Unsuspend app"
        onConfirm={() => void confirm()}
        loading={loading}
        error={error}
      >
        <Text size="sm">
          The app goes back to the status its product requests give it, and its credentials work
          again for the products it was granted.
        </Text>
      </ConfirmModal>
    </>
  );
}
