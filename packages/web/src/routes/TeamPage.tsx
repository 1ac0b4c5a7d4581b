import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDoorExit, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ViewerQuery } from '../features/accounts/viewer';
import { ConfirmModal } from '../features/common/AppModal';
import { CountTab } from '../features/common/CountTab';
import { PageHeader } from '../features/common/PageHeader';
import { PageSkeleton, QueryError } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import { InvitationsTab } from '../features/orgs/InvitationsTab';
import { InviteMemberModal } from '../features/orgs/InviteMemberModal';
import { MembersTable } from '../features/orgs/MembersTable';
import { isOpenInvitation } from '../features/orgs/roles';
import { LeaveOrganizationMutation, TeamQuery } from '../features/orgs/team.operations';
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

  const [leaveOrganization, leaving] = useMutation(LeaveOrganizationMutation);

  const setTab = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === 'invited') next.set('tab', 'invited');
    else next.delete('tab');
    setParams(next, { replace: true });
  };

  const openCount = org.invitations.filter((invitation) =>
    isOpenInvitation(invitation.status),
  ).length;

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
          <CountTab value="invited" count={openCount}>
            Invited
          </CountTab>
        </Tabs.List>

        <Tabs.Panel value="active">
          <MembersTable organizationName={org.name} members={org.members} canManage={isAdmin} />
        </Tabs.Panel>

        <Tabs.Panel value="invited">
          <InvitationsTab
            invitations={org.invitations}
            canManage={isAdmin}
            onInvite={() => setInviteOpened(true)}
          />
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
