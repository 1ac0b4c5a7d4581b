import { useMutation } from '@apollo/client/react';
import { Anchor, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link } from 'react-router';
import { AuthCard, AuthForm } from '../features/accounts/AuthCard';
import { useAuthRedirect } from '../features/accounts/useAuthRedirect';
import { SignInMutation } from '../features/accounts/auth.operations';
import { useServerErrors } from '../features/forms/useServerErrors';

export function SignInPage() {
  const { nextQuery, enter } = useAuthRedirect();
  const [signIn, { loading }] = useMutation(SignInMutation);
  const form = useForm({ initialValues: { email: '', password: '' } });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await signIn({ variables: { input: values } });
      await enter();
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <AuthCard
      title="Sign in to Portico"
      description="Manage your organizations, projects and apps. Just signed up? Open the link we emailed you first."
      footer={
        <>
          New to Portico?{' '}
          <Anchor component={Link} to={`/signup${nextQuery}`} size="sm">
            Create an account
          </Anchor>
        </>
      }
    >
      <AuthForm onSubmit={submit} error={server.formError} submitLabel="Sign in" loading={loading}>
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          required
          autoFocus
          {...form.getInputProps('email')}
        />
        <Stack gap={4}>
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <Group justify="flex-end">
            <Anchor component={Link} to="/forgot-password" size="xs">
              Forgot password?
            </Anchor>
          </Group>
        </Stack>
      </AuthForm>
    </AuthCard>
  );
}
