import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useId } from 'react';
import type { CredentialKind, CredentialStatus } from '../../gql/graphql';
import { AppModal } from '../common/AppModal';
import { formatDateTime } from '../common/format';
import { kindInfo } from './credentialDisplay';

/** A secret just made, with what made it; it lives only in the state of the page showing it. */
export interface IssuedSecret {
  kind: CredentialKind;
  publicId: string | null;
  secret: string;
  reason: 'created' | 'regenerated' | 'rotated';
  /** The credential replaced (regenerated or rotated), as the mutation left it. */
  previous: { status: CredentialStatus; expiresAt: string | null } | null;
}

interface SecretModalProps {
  issued: IssuedSecret | null;
  onDone: () => void;
}

const titles: Record<IssuedSecret['reason'], string> = {
  created: 'Your new',
  regenerated: 'Your regenerated',
  rotated: 'Your rotated',
};

/**
 * Shows a new secret once. It closes only through its button, so a stray click or Escape does
 * not lose a secret that cannot be shown again.
 */
export function SecretModal({ issued, onDone }: SecretModalProps) {
  const info = issued ? kindInfo(issued.kind) : null;
  return (
    <AppModal
      opened={issued !== null}
      onClose={onDone}
      closeOnClickOutside={false}
      closeOnEscape={false}
      withCloseButton={false}
      size="lg"
      title={
        <Text fw={600}>
          {issued && info ? `${titles[issued.reason]} ${info.singular}` : 'Your new secret'}
        </Text>
      }
    >
      {issued && info ? (
        <Stack gap="md">
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title="Copy it now: you will not see this secret again"
          >
            Portico keeps only a hash of the secret and its last four characters. If you lose it,
            regenerate or rotate the {info.singular}.
          </Alert>
          {issued.publicId && info.publicIdLabel ? (
            <CopyableValue
              label={info.publicIdLabel}
              description="Public: it stays visible on this page."
              value={issued.publicId}
            />
          ) : null}
          <CopyableValue
            label={info.secretLabel}
            description="Secret: keep it out of source code and logs."
            value={issued.secret}
            autoFocus
          />
          <RotationNote issued={issued} />
          <Group justify="flex-end">
            <Button leftSection={<IconCheck size={16} />} onClick={onDone}>
              I have copied it
            </Button>
          </Group>
        </Stack>
      ) : null}
    </AppModal>
  );
}

function RotationNote({ issued }: { issued: IssuedSecret }) {
  const { previous } = issued;
  if (!previous) return null;
  return (
    <Text size="sm" c="dimmed">
      {previous.status === 'IN_GRACE' && previous.expiresAt
        ? `The previous secret keeps working until ${formatDateTime(previous.expiresAt)}, so you can move your traffic over.`
        : 'The previous secret stopped working.'}
    </Text>
  );
}

function CopyableValue({
  label,
  description,
  value,
  autoFocus = false,
}: {
  label: string;
  description: string;
  value: string;
  /** Focus (and so select) it when the modal opens, ready to copy. */
  autoFocus?: boolean;
}) {
  const labelId = useId();
  const descriptionId = useId();
  return (
    <div>
      <Text size="sm" fw={500} id={labelId}>
        {label}
      </Text>
      <Text size="xs" c="dimmed" id={descriptionId} mb={4}>
        {description}
      </Text>
      <Group gap="xs" wrap="nowrap" align="stretch">
        {/* A read-only text field that shows the whole value, wrapped if need be. */}
        <Code
          block
          role="textbox"
          aria-readonly="true"
          aria-labelledby={labelId}
          aria-describedby={descriptionId}
          tabIndex={0}
          data-autofocus={autoFocus || undefined}
          onFocus={(event) => window.getSelection()?.selectAllChildren(event.currentTarget)}
          className="portico-mono"
          fz="sm"
          py={8}
          style={{ flex: 1, minWidth: 0, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
        >
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'light' : 'default'}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
              aria-label={copied ? `${label} copied` : `Copy ${label}`}
              miw={100}
              h="auto"
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </div>
  );
}
