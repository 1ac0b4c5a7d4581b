import { useMutation } from '@apollo/client/react';
import { Anchor, PasswordInput, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useNavigate } from 'react-router';
import { rememberAfterSignUp } from '../features/accounts/afterSignUp';
import { AuthCard, AuthForm } from '../features/accounts/AuthCard';
import { useAuthRedirect } from '../features/accounts/useAuthRedirect';
import { SignUpMutation } from '../features/accounts/auth.operations';
import { useServerErrors } from '../features/forms/useServerErrors';

export function SignUpPage() {
  const { next, nextQuery } = useAuthRedirect();
  const navigate = useNavigate();
  const [signUp, { loading }] = useMutation(SignUpMutation);
  const form = useForm({ initialValues: { name: '', email: '', password: '' } });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      // The answer is the same whether or not the address has an account: the mail tells.
      await signUp({ variables: { input: values } });
      rememberAfterSignUp(next);
      await navigate('/check-email', { state: { email: values.email.trim() } });
    } catch (error) {
      server.apply(error);
    }
  });

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
      <AuthForm
        onSubmit={submit}
        error={server.formError}
        submitLabel="Create account"
        loading={loading}
      >
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
      </AuthForm>
    </AuthCard>
  );
}
