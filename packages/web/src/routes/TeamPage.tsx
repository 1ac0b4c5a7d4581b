import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Group, Switch, Table, Tabs, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDoorExit, IconMailPlus, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ViewerQuery } from '../features/accounts/viewer';
import { ConfirmModal } from '../features/common/AppModal';
import { CountTab } from '../features/common/CountTab';
import { formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import { InviteMemberModal } from '../features/orgs/InviteMemberModal';
import { MembersTable } from '../features/orgs/MembersTable';
import { RoleBadge } from '../features/orgs/RoleBadge';
import { invitationStatusColors, isOpenInvitation, statusLabel } from '../features/orgs/roles';
import {
  LeaveOrganizationMutation,
  ResendInvitationMutation,
  RevokeInvitationMutation,
  TeamQuery,
} from '../features/orgs/team.operations';
import { DateCell, RowActions, TeamTable } from '../features/orgs/TeamTable';
import type { TeamQuery as TeamQueryResult } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';

type TeamOrg = NonNullable<TeamQueryResult['organization']>;

export function TeamPage() {
  const { orgId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(TeamQuery, {
    variables: { id: orgId },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={1} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;
  return <Team org={org} />;
}

function Team({ org }: { org: TeamOrg }) {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'invited' ? 'invited' : 'active';
  const isAdmin = org.viewerRole === 'ADMIN';
  const isMember = org.viewerRole !== null;

  const [inviteOpened, setInviteOpened] = useState(false);
  const [leaveOpened, setLeaveOpened] = useState(false);
  const [leaveError, setLeaveError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);

  const [leaveOrganization, leaving] = useMutation(LeaveOrganizationMutation);
  const [resendInvitation] = useMutation(ResendInvitationMutation);
  const [revokeInvitation] = useMutation(RevokeInvitationMutation);

  const setTab = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === 'invited') next.set('tab', 'invited');
    else next.delete('tab');
    setParams(next, { replace: true });
  };

  const openInvitations = org.invitations.filter((invitation) =>
    isOpenInvitation(invitation.status),
  );
  const invitations = showAll ? org.invitations : openInvitations;

  const onLeave = async () => {
    setLeaveError(null);
    try {
      await leaveOrganization({
        variables: { input: { organizationId: org.id } },
        refetchQueries: [ViewerQuery],
        awaitRefetchQueries: true,
      });
      notifications.show({ color: 'teal', title: 'You left the organization', message: org.name });
      await navigate('/', { replace: true });
    } catch (error) {
      setLeaveError(errorMessage(error));
    }
  };

  const onResend = async (id: string, email: string) => {
    try {
      await resendInvitation({ variables: { input: { invitationId: id } } });
      notifications.show({ color: 'teal', title: 'Invitation sent again', message: email });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not resend', message: errorMessage(error) });
    }
  };

  const onRevoke = async (id: string, email: string) => {
    try {
      await revokeInvitation({ variables: { input: { invitationId: id } } });
      notifications.show({ color: 'teal', title: 'Invitation revoked', message: email });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not revoke', message: errorMessage(error) });
    }
  };

  return (
    <>
      <PageHeader
        title="Team"
        description={`People in ${org.name} and the invitations waiting for an answer.`}
        actions={
          <>
            {isMember ? (
              <Button
                variant="default"
                color="red"
                leftSection={<IconDoorExit size={16} />}
                onClick={() => {
                  setLeaveError(null);
                  setLeaveOpened(true);
                }}
              >
                Leave organization
              </Button>
            ) : null}
            {isAdmin ? (
              <Button
                leftSection={<IconUserPlus size={16} />}
                onClick={() => setInviteOpened(true)}
              >
                Invite member
              </Button>
            ) : null}
          </>
        }
      />

      <Tabs value={tab} onChange={setTab}>
        <Tabs.List mb="md">
          <CountTab value="active" count={org.members.length}>
            Active
          </CountTab>
          <CountTab value="invited" count={openInvitations.length}>
            Invited
          </CountTab>
        </Tabs.List>

        <Tabs.Panel value="active">
          <MembersTable organizationName={org.name} members={org.members} canManage={isAdmin} />
        </Tabs.Panel>

        <Tabs.Panel value="invited">
          <Group justify="flex-end" mb="sm">
            <Switch
              size="sm"
              label="Show accepted, declined and revoked"
              checked={showAll}
              onChange={(event) => setShowAll(event.currentTarget.checked)}
            />
          </Group>
          {invitations.length === 0 ? (
            <Empty
              icon={<IconMailPlus size={28} />}
              title="No open invitations"
              description={
                isAdmin
                  ? 'Invite people by email; they join with the role you choose.'
                  : 'Admins can invite people to the organization.'
              }
              actions={
                isAdmin ? (
                  <Button variant="light" onClick={() => setInviteOpened(true)}>
                    Invite member
                  </Button>
                ) : undefined
              }
            />
          ) : (
            <TeamTable
              minWidth={640}
              headers={['Email', 'Role', 'Date invited', 'Status']}
              actions={isAdmin}
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
                        <Badge
                          variant="light"
                          color={invitationStatusColors[invitation.status] ?? 'gray'}
                        >
                          {statusLabel(invitation.status)}
                        </Badge>
                      </Tooltip>
                    </Table.Td>
                    {isAdmin ? (
                      <Table.Td>
                        {open ? (
                          <RowActions
                            label="Resend"
                            onAction={() => void onResend(invitation.id, invitation.email)}
                            dangerLabel="Revoke"
                            onDanger={() => void onRevoke(invitation.id, invitation.email)}
                          />
                        ) : null}
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                );
              })}
            </TeamTable>
          )}
        </Tabs.Panel>
      </Tabs>

      {org.members.length === 1 && isAdmin ? (
        <Alert variant="light" color="indigo" icon={<IconUsers size={18} />} mt="lg">
          You are the only member. Invite teammates to build apps together.
        </Alert>
      ) : null}

      <InviteMemberModal
        organizationId={org.id}
        organizationName={org.name}
        opened={inviteOpened}
        onClose={() => setInviteOpened(false)}
        onInvited={() => {
          setInviteOpened(false);
          setTab('invited');
        }}
      />
      <ConfirmModal
        opened={leaveOpened}
        onClose={() => setLeaveOpened(false)}
        title="Leave organization"
        confirmLabel="Leave organization"
        danger
        loading={leaving.loading}
        onConfirm={() => void onLeave()}
        error={leaveError}
      >
        <Text size="sm">
          Leave <b>{org.name}</b>? You lose access to its projects and apps; the apps you own move
          to an admin.
        </Text>
      </ConfirmModal>
    </>
  );
}
