import { useMutation } from '@apollo/client/react';
import { Badge, Button, Group, Switch, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { graphql } from '../../gql';
import type { InvitationRowFragment } from '../../gql/graphql';
import { formatRelative } from '../common/format';
import { Empty } from '../common/states';
import { errorMessage } from '../forms/serverErrors';
import { RoleBadge } from './RoleBadge';
import { invitationStatusColors, isOpenInvitation, statusLabel } from './roles';
import { ResendInvitationMutation, RevokeInvitationMutation, TeamQuery } from './team.operations';
import { DateCell, RowActions, TeamTable } from './TeamTable';

export const InvitationRowFragmentDoc = graphql(`
  fragment InvitationRow on Invitation {
    id
    email
    role
    status
    createdAt
    expiresAt
    lastSentAt
    invitedBy {
      id
      name
    }
  }
`);

interface InvitationsTabProps {
  invitations: readonly InvitationRowFragment[];
  /** Admins invite people, and resend or revoke open invitations. */
  canManage: boolean;
  onInvite: () => void;
}

/** The open invitations (or all of them, on request); admins resend or revoke the open ones. */
export function InvitationsTab({ invitations, canManage, onInvite }: InvitationsTabProps) {
  const [showAll, setShowAll] = useState(false);
  // Here rather than in the table, which goes away when the last open invitation is revoked.
  const [resendInvitation] = useMutation(ResendInvitationMutation);
  // The tab's count of open invitations is the server's: read it again after a revocation.
  const [revokeInvitation] = useMutation(RevokeInvitationMutation, {
    refetchQueries: [TeamQuery],
  });

  const onResend = async ({ id, email }: InvitationRowFragment) => {
    try {
      await resendInvitation({ variables: { input: { invitationId: id } } });
      notifications.show({ color: 'teal', title: 'Invitation sent again', message: email });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not resend', message: errorMessage(error) });
    }
  };

  const onRevoke = async ({ id, email }: InvitationRowFragment) => {
    try {
      await revokeInvitation({ variables: { input: { invitationId: id } } });
      notifications.show({ color: 'teal', title: 'Invitation revoked', message: email });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not revoke', message: errorMessage(error) });
    }
  };

  const shown = showAll
    ? invitations
    : invitations.filter((invitation) => isOpenInvitation(invitation.status));

  return (
    <>
      <Group justify="flex-end" mb="sm">
        <Switch
          size="sm"
          label="Show accepted, declined and revoked"
          checked={showAll}
          onChange={(event) => setShowAll(event.currentTarget.checked)}
        />
      </Group>
      {shown.length === 0 ? (
        <Empty
          icon={<IconMailPlus size={28} />}
          title="No open invitations"
          description={
            canManage
              ? 'Invite people by email; they join with the role you choose.'
              : 'Admins can invite people to the organization.'
          }
          actions={
            canManage ? (
              <Button variant="light" onClick={onInvite}>
                Invite member
              </Button>
            ) : undefined
          }
        />
      ) : (
        <InvitationsTable
          invitations={shown}
          canManage={canManage}
          onResend={(invitation) => void onResend(invitation)}
          onRevoke={(invitation) => void onRevoke(invitation)}
        />
      )}
    </>
  );
}

interface InvitationsTableProps {
  invitations: readonly InvitationRowFragment[];
  canManage: boolean;
  onResend: (invitation: InvitationRowFragment) => void;
  onRevoke: (invitation: InvitationRowFragment) => void;
}

function InvitationsTable({ invitations, canManage, onResend, onRevoke }: InvitationsTableProps) {
  return (
    <TeamTable
      minWidth={640}
      headers={['Email', 'Role', 'Date invited', 'Status']}
      actions={canManage}
    >
      {invitations.map((invitation) => {
        const open = isOpenInvitation(invitation.status);
        return (
          <Table.Tr key={invitation.id}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {invitation.email}
              </Text>
              {invitation.invitedBy ? (
                <Text size="xs" c="dimmed">
                  by {invitation.invitedBy.name}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              <RoleBadge role={invitation.role} />
            </Table.Td>
            <DateCell value={invitation.createdAt} />
            <Table.Td>
              <Tooltip
                label={
                  invitation.status === 'PENDING'
                    ? `Expires ${formatRelative(invitation.expiresAt)}`
                    : `Expired ${formatRelative(invitation.expiresAt)}`
                }
                disabled={!open}
              >
                <Badge variant="light" color={invitationStatusColors[invitation.status] ?? 'gray'}>
                  {statusLabel(invitation.status)}
                </Badge>
              </Tooltip>
            </Table.Td>
            {canManage ? (
              <Table.Td>
                {open ? (
                  <RowActions
                    label="Resend"
                    onAction={() => onResend(invitation)}
                    dangerLabel="Revoke"
                    onDanger={() => onRevoke(invitation)}
                  />
                ) : null}
              </Table.Td>
            ) : null}
          </Table.Tr>
        );
      })}
    </TeamTable>
  );
}
