import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Avatar,
  Badge,
  Button,
  Card,
  Group,
  Switch,
  Table,
  Tabs,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDoorExit, IconMailPlus, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ViewerQuery } from '../features/accounts/viewer';
import { useViewer } from '../features/accounts/viewer';
import { ConfirmModal } from '../features/common/AppModal';
import { formatDate, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import { initials } from '../features/shell/UserMenu';
import { ChangeRoleModal, type RoleTarget } from '../features/team/ChangeRoleModal';
import { InviteMemberModal } from '../features/team/InviteMemberModal';
import { invitationStatusColors, roleLabel, statusLabel } from '../features/team/roles';
import {
  LeaveOrganizationMutation,
  RemoveMemberMutation,
  ResendInvitationMutation,
  RevokeInvitationMutation,
  TeamQuery,
} from '../features/team/team.operations';
import type { TeamQuery as TeamQueryResult } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';

type TeamOrg = NonNullable<TeamQueryResult['organization']>;
type Member = TeamOrg['members'][number];

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
  const viewer = useViewer();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'invited' ? 'invited' : 'active';
  const isAdmin = org.viewerRole === 'ADMIN';
  const isMember = org.viewerRole !== null;

  const [inviteOpened, setInviteOpened] = useState(false);
  const [roleTarget, setRoleTarget] = useState<RoleTarget | null>(null);
  const [removeTarget, setRemoveTarget] = useState<Member | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [leaveOpened, setLeaveOpened] = useState(false);
  const [leaveError, setLeaveError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);

  const [removeMember, removing] = useMutation(RemoveMemberMutation, {
    refetchQueries: [TeamQuery],
    awaitRefetchQueries: true,
  });
  const [leaveOrganization, leaving] = useMutation(LeaveOrganizationMutation);
  const [resendInvitation] = useMutation(ResendInvitationMutation);
  const [revokeInvitation] = useMutation(RevokeInvitationMutation);

  const setTab = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === 'invited') next.set('tab', 'invited');
    else next.delete('tab');
    setParams(next, { replace: true });
  };

  const openInvitations = org.invitations.filter(
    (invitation) => invitation.status === 'PENDING' || invitation.status === 'EXPIRED',
  );
  const invitations = showAll ? org.invitations : openInvitations;

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
          <Tabs.Tab
            value="active"
            rightSection={
              <Badge size="xs" variant="light" circle>
                {org.members.length}
              </Badge>
            }
          >
            Active
          </Tabs.Tab>
          <Tabs.Tab
            value="invited"
            rightSection={
              <Badge size="xs" variant="light" circle>
                {openInvitations.length}
              </Badge>
            }
          >
            Invited
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="active">
          <Card padding="sm">
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="sm" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Member</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Date added</Table.Th>
                    {isAdmin ? <Table.Th aria-label="Actions" /> : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {org.members.map((member) => (
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
                        <Badge variant="light" color={member.role === 'ADMIN' ? 'indigo' : 'gray'}>
                          {roleLabel(member.role)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {formatDate(member.createdAt)}
                        </Text>
                      </Table.Td>
                      {isAdmin ? (
                        <Table.Td>
                          <Group gap="xs" justify="flex-end" wrap="nowrap">
                            <Button
                              size="xs"
                              variant="subtle"
                              onClick={() =>
                                setRoleTarget({
                                  membershipId: member.id,
                                  name: member.user.name,
                                  role: member.role,
                                })
                              }
                            >
                              Change role
                            </Button>
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() => {
                                setRemoveError(null);
                                setRemoveTarget(member);
                              }}
                            >
                              Remove
                            </Button>
                          </Group>
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
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
            <Card padding="sm">
              <Table.ScrollContainer minWidth={640}>
                <Table verticalSpacing="sm" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Email</Table.Th>
                      <Table.Th>Role</Table.Th>
                      <Table.Th>Date invited</Table.Th>
                      <Table.Th>Status</Table.Th>
                      {isAdmin ? <Table.Th aria-label="Actions" /> : null}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {invitations.map((invitation) => {
                      const open =
                        invitation.status === 'PENDING' || invitation.status === 'EXPIRED';
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
                            <Badge
                              variant="light"
                              color={invitation.role === 'ADMIN' ? 'indigo' : 'gray'}
                            >
                              {roleLabel(invitation.role)}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" c="dimmed">
                              {formatDate(invitation.createdAt)}
                            </Text>
                          </Table.Td>
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
                                <Group gap="xs" justify="flex-end" wrap="nowrap">
                                  <Button
                                    size="xs"
                                    variant="subtle"
                                    onClick={() => void onResend(invitation.id, invitation.email)}
                                  >
                                    Resend
                                  </Button>
                                  <Button
                                    size="xs"
                                    variant="subtle"
                                    color="red"
                                    onClick={() => void onRevoke(invitation.id, invitation.email)}
                                  >
                                    Revoke
                                  </Button>
                                </Group>
                              ) : null}
                            </Table.Td>
                          ) : null}
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
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
      <ChangeRoleModal target={roleTarget} onClose={() => setRoleTarget(null)} />
      <ConfirmModal
        opened={removeTarget !== null}
        onClose={() => setRemoveTarget(null)}
        title="Remove member"
        confirmLabel="Remove member"
        danger
        loading={removing.loading}
        onConfirm={() => void onRemove()}
        footer={
          removeError ? (
            <Alert color="red" variant="light" role="alert">
              {removeError}
            </Alert>
          ) : null
        }
      >
        <Text size="sm">
          Remove <b>{removeTarget?.user.name}</b> ({removeTarget?.user.email}) from {org.name}? The
          apps they own move to you.
        </Text>
      </ConfirmModal>
      <ConfirmModal
        opened={leaveOpened}
        onClose={() => setLeaveOpened(false)}
        title="Leave organization"
        confirmLabel="Leave organization"
        danger
        loading={leaving.loading}
        onConfirm={() => void onLeave()}
        footer={
          leaveError ? (
            <Alert color="red" variant="light" role="alert">
              {leaveError}
            </Alert>
          ) : null
        }
      >
        <Text size="sm">
          Leave <b>{org.name}</b>? You lose access to its projects and apps; the apps you own move
          to an admin.
        </Text>
      </ConfirmModal>
    </>
  );
}
