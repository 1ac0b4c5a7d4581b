import { useMutation } from '@apollo/client/react';
import { Avatar, Badge, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { graphql } from '../../gql';
import type { MemberRowFragment } from '../../gql/graphql';
import { useViewer } from '../accounts/viewer';
import { ConfirmModal } from '../common/AppModal';
import { errorMessage } from '../forms/serverErrors';
import { initials } from '../shell/UserMenu';
import { ChangeRoleModal, type RoleTarget } from './ChangeRoleModal';
import { RoleBadge } from './RoleBadge';
import { RemoveMemberMutation, TeamQuery } from './team.operations';
import { DateCell, RowActions, TeamTable } from './TeamTable';

export const MemberRowFragmentDoc = graphql(`
  fragment MemberRow on Membership {
    id
    role
    createdAt
    user {
      id
      name
      email
    }
  }
`);

interface MembersTableProps {
  organizationName: string;
  members: readonly MemberRowFragment[];
  /** Admins change roles and remove members. */
  canManage: boolean;
}

/** The organization's members, the viewer marked; admins change a role or remove a member. */
export function MembersTable({ organizationName, members, canManage }: MembersTableProps) {
  const viewer = useViewer();
  const [roleTarget, setRoleTarget] = useState<RoleTarget | null>(null);
  const [removeTarget, setRemoveTarget] = useState<MemberRowFragment | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [removeMember, removing] = useMutation(RemoveMemberMutation, {
    refetchQueries: [TeamQuery],
    awaitRefetchQueries: true,
  });

  const onRemove = async () => {
    if (!removeTarget) return;
    setRemoveError(null);
    try {
      await removeMember({ variables: { input: { membershipId: removeTarget.id } } });
      notifications.show({
        color: 'teal',
        title: 'Member removed',
        message: `${removeTarget.user.name} no longer has access. Their apps moved to you.`,
      });
      setRemoveTarget(null);
    } catch (error) {
      setRemoveError(errorMessage(error));
    }
  };

  return (
    <>
      <TeamTable minWidth={560} headers={['Member', 'Role', 'Date added']} actions={canManage}>
        {members.map((member) => (
          <Table.Tr key={member.id}>
            <Table.Td>
              <Group gap="sm" wrap="nowrap">
                <Avatar radius="xl" size={32} color="indigo">
                  {initials(member.user.name)}
                </Avatar>
                <div>
                  <Group gap={6}>
                    <Text size="sm" fw={600}>
                      {member.user.name}
                    </Text>
                    {member.user.id === viewer.id ? (
                      <Badge size="xs" variant="light" color="gray">
                        You
                      </Badge>
                    ) : null}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {member.user.email}
                  </Text>
                </div>
              </Group>
            </Table.Td>
            <Table.Td>
              <RoleBadge role={member.role} />
            </Table.Td>
            <DateCell value={member.createdAt} />
            {canManage ? (
              <Table.Td>
                <RowActions
                  label="Change role"
                  onAction={() =>
                    setRoleTarget({
                      membershipId: member.id,
                      name: member.user.name,
                      role: member.role,
                    })
                  }
                  dangerLabel="Remove"
                  onDanger={() => {
                    setRemoveError(null);
                    setRemoveTarget(member);
                  }}
                />
              </Table.Td>
            ) : null}
          </Table.Tr>
        ))}
      </TeamTable>

      <ChangeRoleModal target={roleTarget} onClose={() => setRoleTarget(null)} />
      <ConfirmModal
        opened={removeTarget !== null}
        onClose={() => setRemoveTarget(null)}
        title="Remove member"
        confirmLabel="Remove member"
        danger
        loading={removing.loading}
        onConfirm={() => void onRemove()}
        error={removeError}
      >
        <Text size="sm">
          Remove <b>{removeTarget?.user.name}</b> ({removeTarget?.user.email}) from{' '}
          {organizationName}? The apps they own move to you.
        </Text>
      </ConfirmModal>
    </>
  );
}
