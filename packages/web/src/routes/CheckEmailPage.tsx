import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconMailCheck } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { AuthCard } from '../features/accounts/AuthCard';

function emailOf(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('email' in state)) return null;
  return typeof state.email === 'string' && state.email ? state.email : null;
}

/** After signing up: the account is finished from the link mailed to the address. */
export function CheckEmailPage() {
  const email = emailOf(useLocation().state);
  return (
    <AuthCard
      title="Check your email"
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to="/signin" size="sm">
            Sign in
          </Anchor>
        </>
      }
    >
      <Stack gap="md">
        <Alert color="teal" variant="light" icon={<IconMailCheck size={18} />}>
          We sent a link to {email ? <strong>{email}</strong> : 'your email address'}. Open it to
          finish creating your account: it signs you in.
        </Alert>
        <Text size="sm" c="dimmed">
          The link works once, for 48 hours. Nothing after a few minutes? Look in your spam folder.
          If the address already had an account, the mail says so instead: sign in, or{' '}
          <Anchor component={Link} to="/forgot-password" size="sm">
            reset your password
          </Anchor>
          .
        </Text>
      </Stack>
    </AuthCard>
  );
}
