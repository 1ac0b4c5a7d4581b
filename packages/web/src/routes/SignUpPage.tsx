import { useApolloClient, useMutation } from '@apollo/client/react';
import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../features/accounts/AuthCard';
import { SignUpMutation } from '../features/accounts/auth.operations';
import { safeNext } from '../features/common/format';
import { FormAlert } from '../features/common/states';
import { useServerErrors } from '../features/forms/useServerErrors';

export function SignUpPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const client = useApolloClient();
  const [signUp, { loading }] = useMutation(SignUpMutation);
  const form = useForm({ initialValues: { name: '', email: '', password: '' } });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await signUp({ variables: { input: values } });
      await client.clearStore();
      notifications.show({
        color: 'teal',
        title: 'Welcome to Portico',
        message: `We sent a verification link to ${values.email}.`,
      });
      await navigate(next, { replace: true });
    } catch (error) {
      server.apply(error);
    }
  });

  const nextQuery = params.get('next') ? `?next=${encodeURIComponent(next)}` : '';
  return (
    <AuthCard
      title="Create your account"
      description="Build apps against our APIs in minutes."
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to={`/signin${nextQuery}`} size="sm">
            Sign in
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormAlert message={server.formError} />
          <TextInput
            label="Name"
            autoComplete="name"
            required
            autoFocus
            {...form.getInputProps('name')}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            description="At least 10 characters."
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={loading} fullWidth>
            Create account
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
