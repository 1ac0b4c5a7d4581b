import { useApolloClient, useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, Loader, Stack, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { forgetAfterSignUp, pageAfterSignUp } from '../features/accounts/afterSignUp';
import { AuthCard } from '../features/accounts/AuthCard';
import { VerifyEmailMutation } from '../features/accounts/auth.operations';
import { errorMessage } from '../features/forms/serverErrors';

export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const client = useApolloClient();
  const [verifyEmail, { data, error }] = useMutation(VerifyEmailMutation);
  // Tokens are single-use: run the mutation once even when effects run twice (StrictMode).
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    // The link of a sign-up also signs in: whatever was loaded as signed out is stale.
    verifyEmail({ variables: { input: { token } } })
      .then(() => client.resetStore())
      .catch(() => undefined);
  }, [token, verifyEmail, client]);

  if (!token) {
    return (
      <AuthCard title="Verify your email">
        <Alert color="red" variant="light" title="This link is incomplete">
          Open the link from the email again. You can ask for a new one from the banner in the app.
        </Alert>
      </AuthCard>
    );
  }

  if (data) {
    return (
      <AuthCard title="Email verified">
        <Stack gap="md" align="flex-start">
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} w="100%">
            {data.verifyEmail.user.email} is verified. Thanks!
          </Alert>
          <Button component={Link} to={pageAfterSignUp()} onClick={forgetAfterSignUp} fullWidth>
            Continue
          </Button>
        </Stack>
      </AuthCard>
    );
  }

  if (error) {
    return (
      <AuthCard title="We could not verify your email">
        <Stack gap="md">
          <Alert color="red" variant="light" role="alert">
            {errorMessage(error)}
          </Alert>
          <Text size="sm" c="dimmed">
            Links work once and for 48 hours. Sign in and use “Resend” in the banner to get a new
            one. Just signed up? Ask for a password reset instead: its link finishes creating your
            account.
          </Text>
          <Anchor component={Link} to="/">
            Go to Portico
          </Anchor>
        </Stack>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Verifying your email…">
      <Stack align="center" py="md">
        <Loader aria-label="Verifying" />
      </Stack>
    </AuthCard>
  );
}
