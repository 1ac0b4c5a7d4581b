import { Button, Group, Table, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { CredentialFieldsFragment } from '../../gql/graphql';
import { CopyValueButton } from '../common/CopyId';
import { formatDate, formatDateTime, formatRelative } from '../common/format';
import { credentialName, type KindInfo, maskedSecret, shortPublicId } from './credentialDisplay';
import { CredentialStatusBadge } from './CredentialStatusBadge';

export interface CredentialRowActions {
  onRotate: (credential: CredentialFieldsFragment) => void;
  onRegenerate: (credential: CredentialFieldsFragment) => void;
  onRevoke: (credential: CredentialFieldsFragment) => void;
}

interface CredentialsTableProps {
  info: KindInfo;
  credentials: readonly CredentialFieldsFragment[];
  now: Date;
  /** Row actions (live credentials only), for those who may manage the app. */
  actions?: CredentialRowActions;
}

/** The credentials of one kind: identifiers, status and use; never a secret. */
export function CredentialsTable({ info, credentials, now, actions }: CredentialsTableProps) {
  return (
    <Table.ScrollContainer minWidth={900}>
      {/* Fixed widths, so the live and the past tables of a kind line up. */}
      <Table verticalSpacing="sm" layout="fixed" aria-label={info.title}>
        <Table.Thead>
          <Table.Tr>
            {info.publicIdLabel ? <Table.Th w={170}>{info.publicIdLabel}</Table.Th> : null}
            <Table.Th w={info.publicIdLabel ? 100 : 170}>
              {info.publicIdLabel ? 'Secret' : 'Token'}
            </Table.Th>
            <Table.Th w={170}>Status</Table.Th>
            <Table.Th w={110}>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            {actions ? <Table.Th w={240} aria-label="Actions" /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {credentials.map((credential) => (
            <Table.Tr key={credential.id} data-credential-id={credential.id}>
              {info.publicIdLabel ? (
                <Table.Td>
                  {credential.publicId ? (
                    <PublicId value={credential.publicId} label={info.publicIdLabel} />
                  ) : (
                    '—'
                  )}
                </Table.Td>
              ) : null}
              <Table.Td>
                <Text className="portico-mono" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {maskedSecret(credential.kind, credential.lastFour)}
                </Text>
              </Table.Td>
              <Table.Td>
                <CredentialStatusBadge credential={credential} />
              </Table.Td>
              <Table.Td>
                <Tooltip label={formatDateTime(credential.createdAt)}>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(credential.createdAt)}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <LastUsed at={credential.lastUsedAt} now={now} />
              </Table.Td>
              {actions ? (
                <Table.Td ta="right">
                  <RowActions credential={credential} actions={actions} />
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function PublicId({ value, label }: { value: string; label: string }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Text className="portico-mono" title={value} style={{ whiteSpace: 'nowrap' }}>
        {shortPublicId(value)}
      </Text>
      <CopyValueButton value={value} label={`Copy ${label}`} />
    </Group>
  );
}

export function LastUsed({ at, now }: { at: string | null; now: Date }) {
  if (!at) {
    return (
      <Text size="sm" c="dimmed">
        Never
      </Text>
    );
  }
  return (
    <Tooltip label={formatDateTime(at)}>
      <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {formatRelative(at, now)}
      </Text>
    </Tooltip>
  );
}

function RowActions({
  credential,
  actions,
}: {
  credential: CredentialFieldsFragment;
  actions: CredentialRowActions;
}): ReactNode {
  const name = credentialName(credential);
  if (credential.status !== 'ACTIVE' && credential.status !== 'IN_GRACE') return null;
  const active = credential.status === 'ACTIVE';
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {active ? (
        <RowButton label={`Rotate ${name}`} onClick={() => actions.onRotate(credential)}>
          Rotate
        </RowButton>
      ) : null}
      {active ? (
        <RowButton
          label={`Regenerate ${name}`}
          color="orange"
          onClick={() => actions.onRegenerate(credential)}
        >
          Regenerate
        </RowButton>
      ) : null}
      <RowButton label={`Revoke ${name}`} color="red" onClick={() => actions.onRevoke(credential)}>
        Revoke
      </RowButton>
    </Group>
  );
}

/** A row action: its visible word first in its accessible name ("Rotate API key pck_…"). */
function RowButton({
  label,
  color,
  onClick,
  children,
}: {
  label: string;
  color?: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Button
      size="xs"
      px={8}
      variant="subtle"
      color={color}
      onClick={onClick}
      aria-label={label}
      style={{ flexShrink: 0 }}
    >
      {children}
    </Button>
  );
}
