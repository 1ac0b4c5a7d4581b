import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconShieldLock } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { AppModal } from './AppModal';

/**
 * A modal that first shows a form making a token, then the token, this once: it cannot be
 * closed by a click outside while the token shows, and forgets it when closed.
 */
export function ShowOnceModal({
  opened,
  onClose,
  formTitle,
  shownTitle,
  form,
  shown,
}: {
  opened: boolean;
  onClose: () => void;
  formTitle: string;
  shownTitle: string;
  form: (onCreated: (token: string) => void, onCancel: () => void) => ReactNode;
  shown: (token: string, onDone: () => void) => ReactNode;
}) {
  const [token, setToken] = useState<string | null>(null);
  const close = () => {
    setToken(null);
    onClose();
  };
  return (
    <AppModal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{token ? shownTitle : formTitle}</Text>}
      size="lg"
      closeOnClickOutside={token === null}
    >
      {!opened ? null : token ? shown(token, close) : form(setToken, close)}
    </AppModal>
  );
}

/** The token just made, with a copy button and the warning that it will not be shown again. */
export function ShownOnceToken({
  token,
  warning,
  hint,
  label,
  testId,
  copiedMessage,
  copyLabel = 'Copy token',
  onDone,
}: {
  token: string;
  warning: ReactNode;
  hint: ReactNode;
  label: string;
  testId: string;
  copiedMessage: string;
  /** The copy button's text (default "Copy token"). */
  copyLabel?: string;
  onDone: () => void;
}) {
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" icon={<IconShieldLock size={18} />} role="alert">
        {warning}
      </Alert>
      <Group gap="xs" wrap="nowrap" align="stretch">
        <Code
          block
          style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
          aria-label={label}
          data-testid={testId}
        >
          {token}
        </Code>
        <CopyButton value={token}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'light' : 'filled'}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={() => {
                copy();
                notifications.show({ color: 'teal', title: 'Copied', message: copiedMessage });
              }}
              h="auto"
            >
              {copied ? 'Copied' : copyLabel}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
