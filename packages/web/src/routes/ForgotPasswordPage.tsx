import { useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { AuthCard } from '../features/accounts/AuthCard';
import { RequestPasswordResetMutation } from '../features/accounts/auth.operations';
import { FormAlert } from '../features/common/states';
import { useServerErrors } from '../features/forms/useServerErrors';

export function ForgotPasswordPage() {
  const [requestReset, { loading }] = useMutation(RequestPasswordResetMutation);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: '' } });
  const server = useServerErrors(form);

  const submit = form.onSubmit(async (values) => {
    server.clear();
    try {
      await requestReset({ variables: { input: values } });
      setSentTo(values.email);
    } catch (error) {
      server.apply(error);
    }
  });

  return (
    <AuthCard
      title="Reset your password"
      description="Enter the email you signed up with and we will send you a link to set a new password."
      footer={
        <Anchor component={Link} to="/signin" size="sm">
          Back to sign in
        </Anchor>
      }
    >
      {sentTo ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconMailCheck size={18} />}
          title="Check your inbox"
        >
          If an account exists for {sentTo}, a reset link is on its way. The link works for one
          hour.
        </Alert>
      ) : (
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
            <Button type="submit" loading={loading} fullWidth>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
