import { useMutation } from '@apollo/client/react';
import { Badge, Button, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { GatewayTokenFieldsFragment } from '../../gql/graphql';
import { ConfirmModal } from '../common/AppModal';
import { formatDate, formatDateTime, formatRelative } from '../common/format';
import { errorMessage } from '../forms/serverErrors';
import { GATEWAY_TOKEN_PREFIX } from './connectSnippets';
import { RevokeGatewayTokenMutation } from './gateways.operations';

/** Every gateway token with who made it, when it was last used, and a revoke action. */
export function GatewayTokensTable({ tokens }: { tokens: readonly GatewayTokenFieldsFragment[] }) {
  const [target, setTarget] = useState<GatewayTokenFieldsFragment | null>(null);
  const [revoke, revoking] = useMutation(RevokeGatewayTokenMutation);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setTarget(null);
    setError(null);
  };
  const onRevoke = async () => {
    if (!target) return;
    setError(null);
    try {
      await revoke({ variables: { input: { gatewayTokenId: target.id } } });
      notifications.show({ color: 'teal', title: 'Gateway token revoked', message: target.name });
      close();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="sm" highlightOnHover aria-label="Gateway tokens">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Token</Table.Th>
              <Table.Th>Created by</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {token.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" className="portico-mono" c="dimmed">
                    {GATEWAY_TOKEN_PREFIX}_…{token.lastFour}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" title={token.createdBy?.email}>
                    {token.createdBy?.name ?? 'Deleted user'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {formatDate(token.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Tooltip label={formatDateTime(token.lastUsedAt)} disabled={!token.lastUsedAt}>
                    <Text size="sm" c="dimmed">
                      {token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'Never'}
                    </Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  {token.revokedAt ? (
                    <Tooltip label={`Revoked ${formatDateTime(token.revokedAt)}`}>
                      <Badge size="sm" variant="light" color="gray">
                        Revoked
                      </Badge>
                    </Tooltip>
                  ) : (
                    <Badge size="sm" variant="light" color="teal">
                      Active
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {token.revokedAt ? null : (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => setTarget(token)}
                      aria-label={`Revoke ${token.name}`}
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
      <ConfirmModal
        opened={target !== null}
        onClose={close}
        title="Revoke gateway token"
        confirmLabel="Revoke token"
        danger
        loading={revoking.loading}
        error={error}
        onConfirm={() => void onRevoke()}
      >
        <Text size="sm">
          Revoke <b>{target?.name}</b>? Usage reports sent with it are refused at once. This cannot
          be undone; give the gateway a new token first.
        </Text>
      </ConfirmModal>
    </>
  );
}
