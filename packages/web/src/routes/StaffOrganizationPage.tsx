import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { AppStatusBadge } from '../features/apps/AppStatusBadge';
import { formatDate, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { PageSkeleton, QueryError } from '../features/common/states';
import { AuditTable } from '../features/console/AuditTable';
import {
  SetOrganizationVerifiedMutation,
  StaffAppsQuery,
  StaffOrganizationQuery,
} from '../features/console/console.operations';
import { StaffOnly } from '../features/console/StaffOnly';

export function StaffOrganizationPage() {
  return (
    <StaffOnly>
      <OrganizationForStaff />
    </StaffOnly>
  );
}

function OrganizationForStaff() {
  const { orgId = '' } = useParams();
  const { data, error, refetch } = useQuery(StaffOrganizationQuery, { variables: { id: orgId } });
  const apps = useQuery(StaffAppsQuery, {
    variables: { filter: { organizationId: orgId }, first: 100 },
  });
  const [verifying, setVerifying] = useState(false);
  const org = data?.staffOrganization;
  if (error && !org) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (!org) return <PageSkeleton />;
  return (
    <>
      <PageHeader
        above={
          <Anchor component={Link} to="/staff/organizations" size="sm">
            ← Organizations
          </Anchor>
        }
        title={
          <Group gap="sm">
            {org.name}
            {org.verifiedAt ? (
              <Badge color="teal" variant="light">
                verified
              </Badge>
            ) : null}
          </Group>
        }
        description={`${org.kind.toLowerCase()} organization · ${org.slug} · created ${formatDate(org.createdAt)}`}
        actions={
          <Button
            variant={org.verifiedAt ? 'default' : 'filled'}
            onClick={() => setVerifying(true)}
          >
            {org.verifiedAt ? 'Take back verification' : 'Mark verified'}
          </Button>
        }
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
        <Card padding="md">
          <Text size="xs" c="dimmed">
            Members
          </Text>
          <Title order={3}>{org.memberCount}</Title>
        </Card>
        <Card padding="md">
          <Text size="xs" c="dimmed">
            Apps
          </Text>
          <Title order={3}>{org.appCount}</Title>
        </Card>
        <Card padding="md">
          <Text size="xs" c="dimmed">
            Verified
          </Text>
          <Title order={3}>{org.verifiedAt ? formatDate(org.verifiedAt) : 'no'}</Title>
        </Card>
      </SimpleGrid>
      <Tabs defaultValue="members">
        <Tabs.List mb="sm">
          <Tabs.Tab value="members">Members</Tabs.Tab>
          <Tabs.Tab value="plans">Plans</Tabs.Tab>
          <Tabs.Tab value="apps">Apps</Tabs.Tab>
          <Tabs.Tab value="audit">Audit</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="members">
          <Card padding="sm">
            <Table fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Member</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Since</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(data.organization?.membersConnection.nodes ?? []).map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>{m.user.name}</Table.Td>
                    <Table.Td>{m.user.email}</Table.Td>
                    <Table.Td>{m.role.toLowerCase()}</Table.Td>
                    <Table.Td>{formatDate(m.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="plans">
          <Card padding="sm">
            {org.plans.length ? (
              <Table fz="sm">
                <Table.Tbody>
                  {org.plans.map((p) => (
                    <Table.Tr key={p.productId}>
                      <Table.Td>{p.productName}</Table.Td>
                      <Table.Td>{p.planName}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed" size="sm" p="sm">
                No plan subscription: the default plan of each product applies.
              </Text>
            )}
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="apps">
          <Card padding="sm">
            <Table fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>App</Table.Th>
                  <Table.Th>Owner</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last verified request</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(apps.data?.staffApps.nodes ?? []).map((app) => (
                  <Table.Tr key={app.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/staff/apps/${org.id}/${app.id}`}>
                        {app.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{app.ownerEmail}</Table.Td>
                    <Table.Td>
                      <AppStatusBadge status={app.status} reason={app.statusReason} />
                    </Table.Td>
                    <Table.Td>
                      {app.lastVerifiedAt ? formatRelative(app.lastVerifiedAt) : 'never'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTable filter={{ organizationId: org.id }} />
        </Tabs.Panel>
      </Tabs>
      <VerifyModal
        opened={verifying}
        organizationId={org.id}
        verified={Boolean(org.verifiedAt)}
        onClose={() => setVerifying(false)}
      />
    </>
  );
}

function VerifyModal({
  opened,
  organizationId,
  verified,
  onClose,
}: {
  opened: boolean;
  organizationId: string;
  verified: boolean;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [save, { loading }] = useMutation(SetOrganizationVerifiedMutation, {
    refetchQueries: ['StaffOrganization', 'StaffAuditLog'],
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={verified ? 'Take back verification' : 'Mark the organization verified'}
    >
      <Stack>
        <Text size="sm">
          Products that auto-approve verified organizations read this for every request made from
          now on.
        </Text>
        <Textarea
          label="Reason"
          required
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        {error ? <Alert color="red">{error}</Alert> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            loading={loading}
            onClick={() => {
              setError(null);
              save({ variables: { input: { organizationId, verified: !verified, reason } } })
                .then(() => {
                  setReason('');
                  onClose();
                })
                .catch((err: unknown) =>
                  setError(err instanceof Error ? err.message : String(err)),
                );
            }}
          >
            {verified ? 'Take back' : 'Verify'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
