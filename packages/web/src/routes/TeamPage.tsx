import { useQuery } from '@apollo/client/react';
import { Alert, Button, Tabs } from '@mantine/core';
import { IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { CountTab } from '../features/common/CountTab';
import { LoadMore } from '../features/common/LoadMore';
import { PageHeader } from '../features/common/PageHeader';
import { PageSkeleton, QueryError } from '../features/common/states';
import { InvitationsTab } from '../features/orgs/InvitationsTab';
import { InviteMemberModal } from '../features/orgs/InviteMemberModal';
import { LeaveOrganizationButton } from '../features/orgs/LeaveOrganizationButton';
import { MembersTable } from '../features/orgs/MembersTable';
import { TeamQuery } from '../features/orgs/team.operations';
import type { TeamQuery as TeamQueryResult } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';

type TeamOrg = NonNullable<TeamQueryResult['organization']>;

export function TeamPage() {
  const { orgId = '' } = useParams();
  const { data, loading, error, refetch, fetchMore } = useQuery(TeamQuery, {
    variables: { id: orgId },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={1} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;
  return (
    <Team
      org={org}
      moreMembers={() =>
        fetchMore({ variables: { membersAfter: org.membersConnection.pageInfo.endCursor } })
      }
      moreInvitations={() =>
        fetchMore({
          variables: { invitationsAfter: org.invitationsConnection.pageInfo.endCursor },
        })
      }
    />
  );
}

interface TeamProps {
  org: TeamOrg;
  moreMembers: () => Promise<unknown>;
  moreInvitations: () => Promise<unknown>;
}

function Team({ org, moreMembers, moreInvitations }: TeamProps) {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'invited' ? 'invited' : 'active';
  const isAdmin = org.viewerRole === 'ADMIN';
  const isMember = org.viewerRole !== null;
  const [inviteOpened, setInviteOpened] = useState(false);

  const setTab = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === 'invited') next.set('tab', 'invited');
    else next.delete('tab');
    setParams(next, { replace: true });
  };

  const members = org.membersConnection;
  const invitations = org.invitationsConnection;
  const openCount = org.pendingInvitations.totalCount + org.expiredInvitations.totalCount;

  return (
    <>
      <PageHeader
        title="Team"
        description={`People in ${org.name} and the invitations waiting for an answer.`}
        actions={
          <>
            {isMember ? (
              <LeaveOrganizationButton organizationId={org.id} organizationName={org.name} />
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
          <CountTab value="active" count={members.totalCount}>
            Active
          </CountTab>
          <CountTab value="invited" count={openCount}>
            Invited
          </CountTab>
        </Tabs.List>

        <Tabs.Panel value="active">
          <MembersTable organizationName={org.name} members={members.nodes} canManage={isAdmin} />
          <LoadMore
            shown={members.nodes.length}
            total={members.totalCount}
            hasMore={members.pageInfo.hasNextPage}
            onLoadMore={moreMembers}
          />
        </Tabs.Panel>

        <Tabs.Panel value="invited">
          <InvitationsTab
            invitations={invitations.nodes}
            canManage={isAdmin}
            onInvite={() => setInviteOpened(true)}
          />
          <LoadMore
            shown={invitations.nodes.length}
            total={invitations.totalCount}
            hasMore={invitations.pageInfo.hasNextPage}
            onLoadMore={moreInvitations}
          />
        </Tabs.Panel>
      </Tabs>

      {members.totalCount === 1 && isAdmin ? (
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
    </>
  );
}
