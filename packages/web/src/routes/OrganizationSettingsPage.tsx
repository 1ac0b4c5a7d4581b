import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Radio,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { PermissionBadges, TokenStatusBadge } from '../features/accounts/TokenBadges';
import { POLICIES } from '../features/accounts/tokenAreas';
import { ConfirmModal } from '../features/common/AppModal';
import { formatDate, formatDateTime, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError, TableSkeleton } from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import {
  OrganizationSettingsQuery,
  OrganizationTokensQuery,
  ReviewPersonalAccessTokenMutation,
  SetOrganizationTokenPolicyMutation,
} from '../features/orgs/tokens.operations';
import type { OrganizationTokenRowFragment, TokenPolicy } from '../gql/graphql';
import { NotFoundPage } from './NotFoundPage';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const DESCRIPTION = 'What the organization allows of personal access tokens, and who uses them.';

/** The organization's settings: its token policy and its members' tokens (admins only). */
export function OrganizationSettingsPage() {
  const { orgId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(OrganizationSettingsQuery, {
    variables: { id: orgId },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={2} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;
  if (org.viewerRole !== 'ADMIN') {
    return (
      <>
        <PageHeader title="Settings" description={DESCRIPTION} />
        <Empty
          icon={<IconLock size={28} />}
          title="Admins only"
          description={`Ask an admin of ${org.name} about its settings.`}
        />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Settings" description={DESCRIPTION} />
      <Stack gap="xl">
        <TokenPolicyCard organizationId={org.id} policy={org.tokenPolicy} />
        <OrganizationTokens organizationId={org.id} />
      </Stack>
    </>
  );
}

function TokenPolicyCard({
  organizationId,
  policy,
}: {
  organizationId: string;
  policy: TokenPolicy;
}) {
  const [chosen, setChosen] = useState<TokenPolicy>(policy);
  const [confirming, setConfirming] = useState(false);
  const [save, saving] = useMutation(SetOrganizationTokenPolicyMutation, {
    refetchQueries: [OrganizationTokensQuery],
  });

  const apply = async () => {
    try {
      await save({ variables: { input: { organizationId, policy: chosen } } });
      setConfirming(false);
      notifications.show({ color: 'teal', title: 'Token policy saved', message: label(chosen) });
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not save the token policy',
        message: errorMessage(error),
      });
    }
  };

  return (
    <Card padding="lg">
      <Title order={3} size="h5">
        Personal access tokens
      </Title>
      <Text size="sm" c="dimmed" mt={4} mb="md">
        Members make fine-grained tokens to use the API on this organization. Their tokens never do
        more than the member&apos;s role allows.
      </Text>
      <Radio.Group
        value={chosen}
        onChange={(value) => setChosen(value as TokenPolicy)}
        aria-label="Token policy"
      >
        <Stack gap="xs">
          {POLICIES.map((option) => (
            <Radio.Card key={option.value} value={option.value} p="md" radius="md">
              <Group wrap="nowrap" align="flex-start">
                <Radio.Indicator />
                <div>
                  <Text fw={600} size="sm">
                    {option.label}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {option.description}
                  </Text>
                </div>
              </Group>
            </Radio.Card>
          ))}
        </Stack>
      </Radio.Group>
      <Group justify="flex-end" mt="md">
        <Button
          disabled={chosen === policy}
          loading={saving.loading && !confirming}
          color={chosen === 'FORBID' ? 'red' : undefined}
          onClick={() => (chosen === 'FORBID' ? setConfirming(true) : void apply())}
        >
          Save token policy
        </Button>
      </Group>
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title="Forbid personal access tokens"
        confirmLabel="Forbid tokens"
        danger
        loading={saving.loading}
        onConfirm={() => void apply()}
      >
        <Text size="sm">
          Every fine-grained token of this organization stops working at once, and classic tokens
          lose access to its data. Allow tokens again to let them work.
        </Text>
      </ConfirmModal>
    </Card>
  );
}

function label(policy: TokenPolicy): string {
  return POLICIES.find((option) => option.value === policy)?.label ?? policy;
}

function OrganizationTokens({ organizationId }: { organizationId: string }) {
  const { data, error, refetch } = useQuery(OrganizationTokensQuery, {
    variables: { id: organizationId },
    fetchPolicy: 'cache-and-network',
  });
  const [refusing, setRefusing] = useState<OrganizationTokenRowFragment | null>(null);
  const [reason, setReason] = useState('');
  const [refuseError, setRefuseError] = useState<string | null>(null);
  const [review, reviewing] = useMutation(ReviewPersonalAccessTokenMutation);

  const decide = async (
    token: OrganizationTokenRowFragment,
    decision: 'APPROVE' | 'REFUSE',
    why: string | null,
  ) => {
    await review({ variables: { input: { tokenId: token.id, decision, reason: why } } });
    notifications.show({
      color: 'teal',
      title: decision === 'APPROVE' ? 'Token approved' : 'Token refused',
      message: `${token.name} of ${token.owner.name}`,
    });
  };

  const approve = async (token: OrganizationTokenRowFragment) => {
    try {
      await decide(token, 'APPROVE', null);
    } catch (err) {
      notifications.show({
        color: 'red',
        title: 'Could not approve the token',
        message: errorMessage(err),
      });
    }
  };

  const refuse = async () => {
    if (!refusing) return;
    try {
      await decide(refusing, 'REFUSE', reason.trim() || null);
      setRefusing(null);
    } catch (err) {
      setRefuseError(errorMessage(err));
    }
  };

  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const tokens = data?.organization?.personalAccessTokens;
  const pending = (tokens ?? []).filter((token) => token.status === 'PENDING_APPROVAL');
  const others = (tokens ?? []).filter((token) => token.status !== 'PENDING_APPROVAL');

  return (
    <>
      <Card padding="lg">
        <Group gap="xs" mb={4}>
          <Title order={3} size="h5">
            Waiting for approval
          </Title>
          <Badge size="sm" variant="light" color={pending.length ? 'yellow' : 'gray'}>
            {pending.length}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed" mb="md">
          Tokens members made while approval is required. A refused token never works.
        </Text>
        {!tokens ? (
          <TableSkeleton rows={2} />
        ) : pending.length === 0 ? (
          <Text size="sm" c="dimmed">
            No token waits for approval.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" aria-label="Tokens waiting for approval">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Requested by</Table.Th>
                  <Table.Th>Token</Table.Th>
                  <Table.Th>Permissions</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {pending.map((token) => (
                  <Table.Tr key={token.id}>
                    <OwnerCell owner={token.owner} />
                    <Table.Td>
                      <Text size="sm">{token.name}</Text>
                      <Text size="xs" c="dimmed">
                        Made {formatRelative(token.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={320}>
                      <PermissionBadges permissions={token.permissions} />
                    </Table.Td>
                    <Table.Td style={NO_WRAP}>
                      <Text size="sm" c="dimmed">
                        {formatDate(token.expiresAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          loading={reviewing.loading}
                          onClick={() => void approve(token)}
                        >
                          Approve
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          onClick={() => {
                            setReason('');
                            setRefuseError(null);
                            setRefusing(token);
                          }}
                        >
                          Refuse
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>

      <Card padding="lg">
        <Title order={3} size="h5" mb={4}>
          Tokens for this organization
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Fine-grained tokens bound to this organization. Withdraw a token&apos;s access to stop it
          at once.
        </Text>
        {!tokens ? (
          <TableSkeleton rows={2} />
        ) : others.length === 0 ? (
          <Empty
            icon={<IconKey size={28} />}
            title="No tokens"
            description="Members' fine-grained tokens for this organization show here."
          />
        ) : (
          <Table.ScrollContainer minWidth={880}>
            <Table verticalSpacing="sm" aria-label="Tokens for this organization">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Owner</Table.Th>
                  <Table.Th>Token</Table.Th>
                  <Table.Th>Permissions</Table.Th>
                  <Table.Th style={NO_WRAP}>Last used</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {others.map((token) => (
                  <Table.Tr key={token.id}>
                    <OwnerCell owner={token.owner} />
                    <Table.Td>
                      <Text size="sm">{token.name}</Text>
                      <Text size="xs" c="dimmed" className="portico-mono" style={NO_WRAP}>
                        ptf_…{token.lastFour}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={300}>
                      <PermissionBadges permissions={token.permissions} />
                    </Table.Td>
                    <Table.Td style={NO_WRAP}>
                      <Tooltip
                        label={formatDateTime(token.lastUsedAt)}
                        disabled={!token.lastUsedAt}
                      >
                        <Text size="sm" c="dimmed">
                          {token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'Never'}
                        </Text>
                      </Tooltip>
                      {token.lastUsedIp ? (
                        <Text size="xs" c="dimmed" className="portico-mono">
                          from {token.lastUsedIp}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td style={NO_WRAP}>
                      <Text size="sm" c="dimmed">
                        {formatDate(token.expiresAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td miw={190}>
                      <TokenStatusBadge status={token.status} reason={token.reviewReason} />
                    </Table.Td>
                    <Table.Td>
                      {token.status === 'ACTIVE' || token.status === 'BLOCKED' ? (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          onClick={() => {
                            setReason('');
                            setRefuseError(null);
                            setRefusing(token);
                          }}
                        >
                          Withdraw access
                        </Button>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>

      <ConfirmModal
        opened={refusing !== null}
        onClose={() => setRefusing(null)}
        title={refusing?.status === 'PENDING_APPROVAL' ? 'Refuse token' : 'Withdraw access'}
        confirmLabel={refusing?.status === 'PENDING_APPROVAL' ? 'Refuse token' : 'Withdraw access'}
        danger
        loading={reviewing.loading}
        error={refuseError}
        onConfirm={() => void refuse()}
      >
        <Text size="sm">
          <b>{refusing?.name}</b> of {refusing?.owner.name} will not work for this organization.
          {refusing?.owner.name} is told, with your reason.
        </Text>
        <Textarea
          label="Reason (optional)"
          placeholder="Ask for fewer permissions, e.g. apps read only."
          autosize
          minRows={2}
          maxLength={500}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        {refusing?.status === 'ACTIVE' ? (
          <Alert color="red" variant="light">
            Scripts using this token stop working immediately.
          </Alert>
        ) : null}
      </ConfirmModal>
    </>
  );
}

/** Who made a token: name, and email below it. */
function OwnerCell({ owner }: { owner: { name: string; email: string } }) {
  return (
    <Table.Td>
      <Text size="sm" fw={600}>
        {owner.name}
      </Text>
      <Text size="xs" c="dimmed">
        {owner.email}
      </Text>
    </Table.Td>
  );
}
