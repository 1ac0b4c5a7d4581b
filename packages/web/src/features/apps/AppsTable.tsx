import { Anchor, Avatar, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { graphql } from '../../gql';
import type { AppRowFragment } from '../../gql/graphql';
import { CopyId } from '../common/CopyId';
import { formatDate } from '../common/format';
import { AppStatusBadge } from './AppStatusBadge';

export const AppRowFragmentDoc = graphql(`
  fragment AppRow on App {
    id
    name
    status
    statusReason
    iconUrl
    createdAt
    owner {
      id
      name
    }
  }
`);

interface AppsTableProps {
  orgId: string;
  apps: readonly AppRowFragment[];
}

/** Apps with their status and a copyable id; the name links to the app's settings. */
export function AppsTable({ orgId, apps }: AppsTableProps) {
  return (
    <Table.ScrollContainer minWidth={620}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>App</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>App ID</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {apps.map((app) => (
            <Table.Tr key={app.id}>
              <Table.Td>
                <Group gap="sm" wrap="nowrap">
                  <Avatar src={app.iconUrl} size={28} radius="sm" color="indigo" variant="light">
                    {app.name.charAt(0).toUpperCase()}
                  </Avatar>
                  <Anchor component={Link} to={`/orgs/${orgId}/apps/${app.id}`} fw={600} size="sm">
                    {app.name}
                  </Anchor>
                </Group>
              </Table.Td>
              <Table.Td>
                <AppStatusBadge status={app.status} reason={app.statusReason} />
              </Table.Td>
              <Table.Td maw={240}>
                <CopyId value={app.id} label="app id" />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{app.owner.name}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {formatDate(app.createdAt)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
