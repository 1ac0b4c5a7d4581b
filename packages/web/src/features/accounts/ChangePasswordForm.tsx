import { useMutation } from '@apollo/client/react';
import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { FormAlert } from '../common/states';
import { useServerErrors } from '../forms/useServerErrors';
import { ChangePasswordMutation } from './account.operations';

export function ChangePasswordForm() {
  const [changePassword, { loading }] = useMutation(ChangePasswordMutation);
  const form = useForm({ initialValues: { currentPassword: '', newPassword: '' } });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await changePassword({ variables: { input: values } });
      form.reset();
      notifications.show({
        color: 'teal',
        title: 'Password changed',
        message: 'Use it the next time you sign in.',
      });
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={server.formError} />
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          required
          {...form.getInputProps('currentPassword')}
        />
        <PasswordInput
          label="New password"
          description="At least 10 characters."
          autoComplete="new-password"
          required
          {...form.getInputProps('newPassword')}
        />
        <Group justify="flex-end">
          <Button type="submit" variant="default" loading={loading}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
