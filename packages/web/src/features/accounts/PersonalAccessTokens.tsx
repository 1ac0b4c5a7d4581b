import { useMutation } from '@apollo/client/react';
import { Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type {
  AccountQuery as AccountQueryResult,
  PersonalAccessTokenRowFragment,
} from '../../gql/graphql';
import { ConfirmModal } from '../common/AppModal';
import { formatDate, formatDateTime, formatRelative } from '../common/format';
import { Empty } from '../common/states';
import { errorMessage } from '../forms/serverErrors';
import { RevokePersonalAccessTokenMutation } from './account.operations';
import { NewTokenModal } from './NewTokenModal';
import { PermissionBadges, TokenStatusBadge } from './TokenBadges';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

type Organization = NonNullable<AccountQueryResult['viewer']>['organizations'][number];

/** What a token reaches and may do there: its organization (or account) and its permissions. */
function TokenAccessSummary({ token }: { token: PersonalAccessTokenRowFragment }) {
  if (token.kind === 'CLASSIC') {
    return (
      <Stack gap={4}>
        <Text size="sm">All your organizations</Text>
        <Group gap={4}>
          {token.scopes.map((scope) => (
            <Badge key={scope} size="xs" variant="outline" color="gray">
              {scope === 'READ' ? 'Read' : 'Write'}
            </Badge>
          ))}
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap={4}>
      <Text size="sm">
        {token.organization?.name ??
          (token.boundToOrganization ? 'An organization you left' : 'Your own account')}
      </Text>
      <PermissionBadges permissions={token.permissions} />
    </Stack>
  );
}

/** Fine-grained, or classic: a former READ / WRITE token that works until it expires. */
function KindBadge({ kind }: { kind: PersonalAccessTokenRowFragment['kind'] }) {
  if (kind === 'CLASSIC') {
    return (
      <Tooltip
        label="A former READ / WRITE token: it works until it expires. New tokens are fine-grained."
        multiline
        w={260}
      >
        <Badge size="xs" variant="outline" color="gray">
          Classic
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge size="xs" variant="outline" color="indigo">
      Fine-grained
    </Badge>
  );
}

export function PersonalAccessTokens({
  tokens,
  organizations,
  staff,
}: {
  tokens: readonly PersonalAccessTokenRowFragment[];
  organizations: readonly Organization[];
  staff: boolean;
}) {
  const [creating, setCreating] = useState(false);
  const [revokeTarget, setRevokeTarget] = useState<PersonalAccessTokenRowFragment | null>(null);
  const [revoke, revoking] = useMutation(RevokePersonalAccessTokenMutation);

  const onRevoke = async () => {
    if (!revokeTarget) return;
    try {
      await revoke({ variables: { input: { id: revokeTarget.id } } });
      notifications.show({ color: 'teal', title: 'Token revoked', message: revokeTarget.name });
      setRevokeTarget(null);
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not revoke the token',
        message: errorMessage(error),
      });
    }
  };

  const newTokenButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      New token
    </Button>
  );

  return (
    <>
      <Group justify="space-between" mb="md" align="flex-start">
        <div>
          <Text fw={600}>Personal access tokens</Text>
          <Text size="sm" c="dimmed">
            Use the GraphQL API as yourself from scripts and CI. A fine-grained token reaches one
            organization (or your own account) with the permissions you give it, and expires within
            a year.
          </Text>
        </div>
        {tokens.length > 0 ? newTokenButton : null}
      </Group>
      {tokens.length === 0 ? (
        <Empty
          icon={<IconKey size={28} />}
          title="No tokens yet"
          description="Create a token to call the API from scripts. It is shown once."
          actions={newTokenButton}
        />
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing="sm" highlightOnHover aria-label="Personal access tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Access</Table.Th>
                <Table.Th>Token</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {token.name}
                    </Text>
                    <Text size="xs" c="dimmed" mb={4}>
                      Created {formatDate(token.createdAt)}
                    </Text>
                    <KindBadge kind={token.kind} />
                  </Table.Td>
                  <Table.Td miw={220} maw={300}>
                    <TokenAccessSummary token={token} />
                  </Table.Td>
                  <Table.Td style={NO_WRAP}>
                    <Text className="portico-mono" c="dimmed">
                      {token.kind === 'CLASSIC' ? 'ptc' : 'ptf'}_…{token.lastFour}
                    </Text>
                  </Table.Td>
                  <Table.Td style={NO_WRAP}>
                    <Tooltip label={formatDateTime(token.lastUsedAt)} disabled={!token.lastUsedAt}>
                      <Text size="sm" c="dimmed">
                        {token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'Never'}
                      </Text>
                    </Tooltip>
                    {token.lastUsedIp ? (
                      <Text size="xs" c="dimmed" className="portico-mono">
                        from {token.lastUsedIp}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td style={NO_WRAP}>
                    <Tooltip label={formatDate(token.expiresAt)} disabled={!token.expiresAt}>
                      <Text size="sm" c="dimmed">
                        {token.expiresAt ? formatRelative(token.expiresAt) : 'Never'}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td miw={170}>
                    <TokenStatusBadge status={token.status} reason={token.reviewReason} />
                  </Table.Td>
                  <Table.Td>
                    {token.revokedAt ? null : (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => setRevokeTarget(token)}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <NewTokenModal
        opened={creating}
        onClose={() => setCreating(false)}
        organizations={organizations}
        staff={staff}
      />
      <ConfirmModal
        opened={revokeTarget !== null}
        onClose={() => setRevokeTarget(null)}
        title="Revoke token"
        confirmLabel="Revoke token"
        danger
        loading={revoking.loading}
        onConfirm={() => void onRevoke()}
      >
        <Text size="sm">
          Revoke <b>{revokeTarget?.name}</b>? Scripts using it stop working immediately.
        </Text>
      </ConfirmModal>
    </>
  );
}
