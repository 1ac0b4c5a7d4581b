import { useMutation, useQuery } from '@apollo/client/react';
import { Avatar, Button, Group, List, Skeleton, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import type { AuthorizedAppRowFragment } from '../../gql/graphql';
import { ConfirmModal } from '../common/AppModal';
import { formatDate, formatRelative } from '../common/format';
import { Empty, QueryError } from '../common/states';
import { errorMessage } from '../forms/serverErrors';
import { AuthorizedAppsQuery, RevokeAuthorizedAppMutation } from './oauth.operations';

/** The apps the viewer allowed to act on their behalf, with what they may do; revoke each. */
export function AuthorizedApps() {
  const { data, loading, error, refetch } = useQuery(AuthorizedAppsQuery, {
    fetchPolicy: 'cache-and-network',
  });
  const [target, setTarget] = useState<AuthorizedAppRowFragment | null>(null);
  const [revoke, revoking] = useMutation(RevokeAuthorizedAppMutation, {
    refetchQueries: [AuthorizedAppsQuery],
    awaitRefetchQueries: true,
  });
  const rows: readonly AuthorizedAppRowFragment[] = data?.authorizedApps ?? [];

  const onRevoke = async () => {
    if (!target) return;
    try {
      await revoke({ variables: { input: { authorizationId: target.id } } });
      notifications.show({ color: 'teal', title: 'Access revoked', message: target.app.name });
      setTarget(null);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not revoke', message: errorMessage(err) });
    }
  };

  return (
    <>
      <Group justify="space-between" mb="md" align="flex-start">
        <div>
          <Text fw={600}>Authorized apps</Text>
          <Text size="sm" c="dimmed">
            Apps you signed in to with Portico. Revoking stops their access at once.
          </Text>
        </div>
      </Group>
      {loading && !data ? (
        <Stack gap="xs" aria-label="Loading authorized apps">
          <Skeleton h={44} />
          <Skeleton h={44} />
        </Stack>
      ) : error && !data ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : rows.length === 0 ? (
        <Empty
          icon={<IconPlugConnected size={28} />}
          title="No authorized apps"
          description="When you allow an app to act on your behalf, it is listed here."
        />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>App</Table.Th>
                <Table.Th>It may</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <Group gap="sm" wrap="nowrap">
                      <Avatar src={row.app.iconUrl} alt="" radius="md" color="indigo">
                        {row.app.name.slice(0, 2).toUpperCase()}
                      </Avatar>
                      <div>
                        <Text size="sm" fw={600}>
                          {row.app.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {row.app.organizationName ? `by ${row.app.organizationName} · ` : ''}
                          allowed {formatDate(row.approvedAt)}
                        </Text>
                      </div>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <List size="xs" spacing={2}>
                      {row.permissions.map((permission) => (
                        <List.Item key={permission}>{permission}</List.Item>
                      ))}
                    </List>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {row.lastUsedAt ? formatRelative(row.lastUsedAt) : 'Never'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setTarget(row)}>
                      Revoke
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmModal
        opened={target !== null}
        onClose={() => setTarget(null)}
        title={`Revoke ${target?.app.name ?? 'this app'}?`}
        confirmLabel="Revoke access"
        onConfirm={() => void onRevoke()}
        loading={revoking.loading}
        danger
      >
        <Text size="sm">
          The app loses access to your account at once. It can ask you again later.
        </Text>
      </ConfirmModal>
    </>
  );
}
