import { useMutation } from '@apollo/client/react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailExclamation } from '@tabler/icons-react';
import { ResendVerificationEmailMutation } from '../accounts/auth.operations';
import type { Viewer } from '../accounts/viewer';
import { errorMessage } from '../forms/serverErrors';

export function VerifyEmailBanner({ viewer }: { viewer: Viewer }) {
  const [resend, { loading }] = useMutation(ResendVerificationEmailMutation);
  if (viewer.emailVerified) return null;

  const onResend = async () => {
    try {
      await resend();
      notifications.show({
        color: 'teal',
        title: 'Verification email sent',
        message: `Check ${viewer.email} for a new link.`,
      });
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not send the email',
        message: errorMessage(error),
      });
    }
  };

  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconMailExclamation size={18} />}
      title="Verify your email"
      mb="lg"
    >
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text size="sm">
          We sent a link to <b>{viewer.email}</b>. Verify it to keep access to your apps.
        </Text>
        <Button
          size="xs"
          variant="light"
          color="yellow"
          loading={loading}
          onClick={() => void onResend()}
        >
          Resend
        </Button>
      </Group>
    </Alert>
  );
}
