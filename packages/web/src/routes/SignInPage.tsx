import { useApolloClient, useMutation } from '@apollo/client/react';
import { Anchor, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../features/accounts/AuthCard';
import { SignInMutation } from '../features/accounts/auth.operations';
import { safeNext } from '../features/common/format';
import { FormAlert } from '../features/common/states';
import { useServerErrors } from '../features/forms/useServerErrors';

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const client = useApolloClient();
  const [signIn, { loading }] = useMutation(SignInMutation);
  const form = useForm({ initialValues: { email: '', password: '' } });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await signIn({ variables: { input: values } });
      await client.clearStore();
      await navigate(next, { replace: true });
    } catch (error) {
      server.apply(error);
    }
  });

  const nextQuery = params.get('next') ? `?next=${encodeURIComponent(next)}` : '';
  return (
    <AuthCard
      title="Sign in to Portico"
      description="Manage your organizations, projects and apps."
      footer={
        <>
          New to Portico?{' '}
          <Anchor component={Link} to={`/signup${nextQuery}`} size="sm">
            Create an account
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormAlert message={server.formError} />
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
          <Button type="submit" loading={loading} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
