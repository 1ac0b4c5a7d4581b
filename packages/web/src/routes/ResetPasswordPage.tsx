import { useApolloClient, useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../features/accounts/AuthCard';
import { ResetPasswordMutation } from '../features/accounts/auth.operations';
import { FormAlert } from '../features/common/states';
import { useServerErrors } from '../features/forms/useServerErrors';

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const client = useApolloClient();
  const [resetPassword, { loading }] = useMutation(ResetPasswordMutation);
  const form = useForm({ initialValues: { password: '' } });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await resetPassword({ variables: { input: { token, password: values.password } } });
      await client.clearStore();
      notifications.show({
        color: 'teal',
        title: 'Password updated',
        message: 'You are signed in.',
      });
      await navigate('/', { replace: true });
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <AuthCard
      title="Set a new password"
      description="Choose a password of at least 10 characters. Other sessions will be signed out."
      footer={
        <Anchor component={Link} to="/forgot-password" size="sm">
          Request a new link
        </Anchor>
      }
    >
      {token ? (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <FormAlert message={server.formError} />
            <PasswordInput
              label="New password"
              autoComplete="new-password"
              required
              autoFocus
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={loading} fullWidth>
              Set new password
            </Button>
          </Stack>
        </form>
      ) : (
        <Alert color="red" variant="light" title="This link is incomplete">
          Open the link from the email again, or request a new one.
        </Alert>
      )}
    </AuthCard>
  );
}
