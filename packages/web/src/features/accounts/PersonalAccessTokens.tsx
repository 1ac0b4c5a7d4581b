import { useMutation } from '@apollo/client/react';
import { Badge, Button, Group, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { PersonalAccessTokenRowFragment } from '../../gql/graphql';
import { ConfirmModal } from '../common/AppModal';
import { formatDate, formatRelative } from '../common/format';
import { Empty } from '../common/states';
import { errorMessage } from '../forms/serverErrors';
import { RevokePersonalAccessTokenMutation } from './account.operations';
import { NewTokenModal } from './NewTokenModal';

function tokenState(
  token: PersonalAccessTokenRowFragment,
  now: number,
): { label: string; color: string } {
  if (token.revokedAt) return { label: 'Revoked', color: 'gray' };
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now)
    return { label: 'Expired', color: 'orange' };
  return { label: 'Active', color: 'teal' };
}

export function PersonalAccessTokens({
  tokens,
}: {
  tokens: readonly PersonalAccessTokenRowFragment[];
}) {
  const [creating, setCreating] = useState(false);
  const [revokeTarget, setRevokeTarget] = useState<PersonalAccessTokenRowFragment | null>(null);
  const [revoke, revoking] = useMutation(RevokePersonalAccessTokenMutation);
  const [now] = useState(() => Date.now());

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
            Use the GraphQL API as yourself from scripts and CI.
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
        <Table.ScrollContainer minWidth={680}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Scopes</Table.Th>
                <Table.Th>Token</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.map((token) => {
                const state = tokenState(token, now);
                return (
                  <Table.Tr key={token.id}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {token.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        Created {formatDate(token.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {token.scopes.map((scope) => (
                          <Badge key={scope} size="xs" variant="outline">
                            {scope === 'READ' ? 'Read' : 'Write'}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text className="portico-mono" c="dimmed">
                        ptc_…{token.lastFour}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'Never'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDate(token.expiresAt)} disabled={!token.expiresAt}>
                        <Text size="sm" c="dimmed">
                          {token.expiresAt ? formatRelative(token.expiresAt) : 'Never'}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={state.color}>
                        {state.label}
                      </Badge>
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
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <NewTokenModal opened={creating} onClose={() => setCreating(false)} />
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
