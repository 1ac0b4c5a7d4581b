import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconInfoCircle, IconMailOpened } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { AuthCard } from '../features/accounts/AuthCard';
import { ViewerQuery } from '../features/accounts/viewer';
import { formatRelative } from '../features/common/format';
import { QueryError } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import {
  AcceptInvitationMutation,
  DeclineInvitationMutation,
  InvitationPageQuery,
} from '../features/orgs/invitations.operations';
import { RoleBadge } from '../features/orgs/RoleBadge';
import { statusLabel } from '../features/orgs/roles';

export function InvitationPage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const { data, loading, error, refetch } = useQuery(InvitationPageQuery, {
    variables: { token },
    fetchPolicy: 'network-only',
  });
  const [accept, accepting] = useMutation(AcceptInvitationMutation, {
    refetchQueries: [ViewerQuery],
    awaitRefetchQueries: true,
  });
  const [decline, declining] = useMutation(DeclineInvitationMutation);
  const [actionError, setActionError] = useState<string | null>(null);
  const [declined, setDeclined] = useState(false);

  if (loading && !data) {
    return (
      <AuthCard title="Invitation">
        <Stack aria-busy="true" aria-label="Loading">
          <Skeleton height={16} />
          <Skeleton height={16} width="70%" />
          <Skeleton height={36} mt="sm" />
        </Stack>
      </AuthCard>
    );
  }
  if (error && !data) {
    return (
      <AuthCard title="Invitation">
        <QueryError
          error={error}
          title="Could not load the invitation"
          onRetry={() => void refetch()}
        />
      </AuthCard>
    );
  }
  const invitation = data?.invitationByToken;
  const viewer = data?.viewer ?? null;
  if (!invitation) {
    return (
      <AuthCard title="Invitation not found">
        <Alert color="red" variant="light">
          This invitation link is not valid. Ask an admin of the organization to invite you again.
        </Alert>
        <Button component={Link} to="/" variant="default">
          Go to Portico
        </Button>
      </AuthCard>
    );
  }

  const here = `/invitations/${encodeURIComponent(token)}`;
  const pending = invitation.status === 'PENDING';
  const wrongAccount =
    viewer !== null && viewer.email.toLowerCase() !== invitation.email.toLowerCase();

  const onAccept = async () => {
    setActionError(null);
    try {
      const result = await accept({ variables: { input: { token } } });
      const org = result.data?.acceptInvitation.organization;
      if (!org) return;
      notifications.show({
        color: 'teal',
        title: `Welcome to ${org.name}`,
        message: 'You joined the organization.',
      });
      await navigate(`/orgs/${org.id}`);
    } catch (failure) {
      setActionError(errorMessage(failure));
    }
  };

  const onDecline = async () => {
    setActionError(null);
    try {
      await decline({ variables: { input: { token } } });
      setDeclined(true);
    } catch (failure) {
      setActionError(errorMessage(failure));
    }
  };

  return (
    <AuthCard
      title={`Join ${invitation.organizationName}`}
      description={
        <>
          {invitation.invitedByName ?? 'An admin'} invited <b>{invitation.email}</b> to join{' '}
          <b>{invitation.organizationName}</b> on Portico.
        </>
      }
    >
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          Role
        </Text>
        <RoleBadge role={invitation.role} />
        {pending ? (
          <Text size="xs" c="dimmed">
            · expires {formatRelative(invitation.expiresAt)}
          </Text>
        ) : (
          <Badge variant="light" color="orange">
            {statusLabel(invitation.status)}
          </Badge>
        )}
      </Group>

      {declined ? (
        <Alert color="gray" variant="light" icon={<IconCircleCheck size={18} />}>
          You declined the invitation to {invitation.organizationName}.
        </Alert>
      ) : !pending ? (
        <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />}>
          This invitation is {statusLabel(invitation.status).toLowerCase()}. Ask an admin of{' '}
          {invitation.organizationName} to send a new one.
        </Alert>
      ) : viewer === null ? (
        <Stack gap="sm">
          <Alert color="indigo" variant="light" icon={<IconMailOpened size={18} />}>
            Sign in or create an account with {invitation.email} to accept.
          </Alert>
          <Button component={Link} to={`/signin?next=${encodeURIComponent(here)}`} fullWidth>
            Sign in
          </Button>
          <Button
            component={Link}
            to={`/signup?next=${encodeURIComponent(here)}`}
            variant="default"
            fullWidth
          >
            Create an account
          </Button>
        </Stack>
      ) : (
        <Stack gap="sm">
          {wrongAccount ? (
            <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
              You are signed in as {viewer.email}, but this invitation is for {invitation.email}.
              Sign in with that address to accept it.
            </Alert>
          ) : null}
          {actionError ? (
            <Alert color="red" variant="light" role="alert">
              {actionError}
            </Alert>
          ) : null}
          <Group grow>
            <Button variant="default" loading={declining.loading} onClick={() => void onDecline()}>
              Decline
            </Button>
            <Button loading={accepting.loading} onClick={() => void onAccept()}>
              Accept invitation
            </Button>
          </Group>
        </Stack>
      )}
    </AuthCard>
  );
}
