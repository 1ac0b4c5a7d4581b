import { useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { AppStatusBadge } from '../features/apps/AppStatusBadge';
import { formatDate, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, PageSkeleton, QueryError, TableSkeleton } from '../features/common/states';
import {
  StaffAppsQuery,
  StaffHighUsageQuery,
  StaffReportsQuery,
} from '../features/console/console.operations';
import { exportHref } from '../features/console/exports';
import { StaffOnly } from '../features/console/StaffOnly';
import { CapShare, ErrorRate, UpgradeBadge } from '../features/console/UsageCells';
import { formatCount } from '../features/usage/usageFormat';
import type { HighUsageMeasure } from '../gql/graphql';

/* Staff reports: app inventory, inactive apps, high-usage apps and the pending queue. */

export function StaffReportsPage() {
  return (
    <StaffOnly>
      <Reports />
    </StaffOnly>
  );
}

const hours = (value: number | null): string =>
  value === null ? '—' : value < 48 ? `${value} h` : `${Math.round(value / 24)} days`;

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <Card padding="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Title order={3}>{value}</Title>
    </Card>
  );
}

function Download({ href }: { href: string }) {
  return (
    <Button
      component="a"
      href={href}
      variant="default"
      size="xs"
      leftSection={<IconDownload size={14} />}
    >
      Download CSV
    </Button>
  );
}

function Reports() {
  const { data, error, refetch } = useQuery(StaffReportsQuery, {
    variables: { windowDays: 30 },
    fetchPolicy: 'cache-and-network',
  });
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (!data) return <PageSkeleton />;
  const inventory = data.staffInventorySummary;
  const queue = data.staffPendingQueue;
  return (
    <>
      <PageHeader
        title="Reports"
        description="The app inventory, inactive apps, high-usage apps and the pending queue."
      />
      <Tabs defaultValue="inventory">
        <Tabs.List mb="md">
          <Tabs.Tab value="inventory">App inventory</Tabs.Tab>
          <Tabs.Tab value="inactive">Inactive apps</Tabs.Tab>
          <Tabs.Tab value="usage">High-usage apps</Tabs.Tab>
          <Tabs.Tab value="queue">Pending queue</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="inventory">
          <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
            <Stat label="Apps" value={inventory.apps} />
            <Stat label="Organizations" value={inventory.organizations} />
            <Stat label="Verified organizations" value={inventory.verifiedOrganizations} />
            <Stat label="Inactive 30 days" value={inventory.inactiveApps30d} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card padding="sm">
              <Group justify="space-between" p="xs">
                <Text fw={600}>Apps by status</Text>
                <Download href={exportHref('apps', 'csv')} />
              </Group>
              <Table fz="sm">
                <Table.Tbody>
                  {inventory.appsByStatus.map((row) => (
                    <Table.Tr key={row.status}>
                      <Table.Td>{row.status.toLowerCase()}</Table.Td>
                      <Table.Td ta="right">{row.count}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
            <Card padding="sm">
              <Text fw={600} p="xs">
                Requests by product
              </Text>
              <Table fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Product</Table.Th>
                    <Table.Th ta="right">Pending</Table.Th>
                    <Table.Th ta="right">Approved</Table.Th>
                    <Table.Th ta="right">Rejected</Table.Th>
                    <Table.Th ta="right">Revoked</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {inventory.grantsByProduct.map((row) => (
                    <Table.Tr key={row.productId}>
                      <Table.Td>{row.productName}</Table.Td>
                      <Table.Td ta="right">{row.pending}</Table.Td>
                      <Table.Td ta="right">{row.approved}</Table.Td>
                      <Table.Td ta="right">{row.rejected}</Table.Td>
                      <Table.Td ta="right">{row.revoked}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          </SimpleGrid>
        </Tabs.Panel>
        <Tabs.Panel value="inactive">
          <InactiveApps />
        </Tabs.Panel>
        <Tabs.Panel value="usage">
          <HighUsageApps />
        </Tabs.Panel>
        <Tabs.Panel value="queue">
          <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
            <Stat label="Pending requests" value={queue.pendingCount} />
            <Stat label="Median age" value={hours(queue.medianAgeHours)} />
            <Stat
              label={`Median time to decision (${queue.windowDays} days)`}
              value={hours(queue.medianHoursToDecision)}
            />
            <Stat label="90th percentile to decision" value={hours(queue.p90HoursToDecision)} />
          </SimpleGrid>
          <Card padding="sm">
            <Group justify="space-between" p="xs">
              <Text fw={600}>
                Oldest first · {queue.decidedCount} decided by staff in {queue.windowDays} days
              </Text>
              <Download href={exportHref('pending-queue', 'csv')} />
            </Group>
            {queue.requests.length ? (
              <Table fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>App</Table.Th>
                    <Table.Th>Organization</Table.Th>
                    <Table.Th>Product</Table.Th>
                    <Table.Th>Requested</Table.Th>
                    <Table.Th ta="right">Age</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {queue.requests.map((r) => (
                    <Table.Tr key={r.grantId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/staff/review/${r.grantId}`}>
                          {r.appName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{r.organizationName}</Table.Td>
                      <Table.Td>{r.productName}</Table.Td>
                      <Table.Td>{formatDate(r.requestedAt)}</Table.Td>
                      <Table.Td ta="right">{hours(r.ageHours)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed" p="sm">
                The queue is empty.
              </Text>
            )}
          </Card>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function InactiveApps() {
  const [days, setDays] = useState<number | string>(30);
  const inactiveDays = Number(days) >= 1 ? Number(days) : 30;
  const { data } = useQuery(StaffAppsQuery, {
    variables: {
      filter: { inactiveDays },
      sort: 'LAST_VERIFIED_AT',
      direction: 'ASC',
      first: 100,
    },
    fetchPolicy: 'cache-and-network',
  });
  const page = data?.staffApps;
  return (
    <Card padding="sm">
      <Group justify="space-between" p="xs" align="end">
        <NumberInput
          label="No verified request for (days)"
          min={1}
          w={240}
          value={days}
          onChange={setDays}
        />
        <Download href={exportHref('inactive-apps', 'csv', {}, { days: String(inactiveDays) })} />
      </Group>
      {!page ? null : page.nodes.length === 0 ? (
        <Empty title="No inactive apps" description="Every app had a verified request lately." />
      ) : (
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>App ({page.totalCount})</Table.Th>
              <Table.Th>Organization</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Last verified request</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.nodes.map((app) => (
              <Table.Tr key={app.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/staff/apps/${app.organizationId}/${app.id}`}>
                    {app.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{app.organizationName}</Table.Td>
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
      )}
    </Card>
  );
}

function HighUsageApps() {
  const [by, setBy] = useState<HighUsageMeasure>('PERCENT_OF_CAP');
  const [topInput, setTopInput] = useState<number | string>(20);
  const top = Number(topInput) >= 1 && Number(topInput) <= 100 ? Number(topInput) : 20;
  const { data, error, refetch } = useQuery(StaffHighUsageQuery, {
    variables: { by, top },
    fetchPolicy: 'cache-and-network',
  });
  const report = data?.staffHighUsageApps;
  if (error && !report) return <QueryError error={error} onRetry={() => void refetch()} />;
  return (
    <Card padding="sm">
      <Group justify="space-between" p="xs" align="end">
        <Group align="end">
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Rank by
            </Text>
            <SegmentedControl
              aria-label="Rank by"
              value={by}
              onChange={(value) => setBy(value as HighUsageMeasure)}
              data={[
                { value: 'PERCENT_OF_CAP', label: '% of plan cap' },
                { value: 'REQUESTS', label: 'Requests' },
              ]}
            />
          </Stack>
          <NumberInput
            label="Top"
            min={1}
            max={100}
            w={100}
            value={topInput}
            onChange={setTopInput}
          />
        </Group>
        <Download href={exportHref('high-usage-apps', 'csv', {}, { by, top: String(top) })} />
      </Group>
      {report ? (
        <Text size="sm" c="dimmed" px="xs" pb="xs">
          {report.month} (UTC) · {report.upgradeSuggestedCount} app
          {report.upgradeSuggestedCount === 1 ? '' : 's'} at {report.upgradeThreshold}% or more of a
          plan cap: suggest an upgrade to their organizations.
        </Text>
      ) : null}
      {!report ? (
        <TableSkeleton rows={5} />
      ) : report.apps.length === 0 ? (
        <Empty title="No usage this month" description="No app made a request this month yet." />
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>#</Table.Th>
                <Table.Th>App</Table.Th>
                <Table.Th>Organization</Table.Th>
                <Table.Th ta="right">Requests</Table.Th>
                <Table.Th ta="right">Units</Table.Th>
                <Table.Th>% of plan cap</Table.Th>
                <Table.Th>Errors (30 days)</Table.Th>
                <Table.Th miw={170}>Upgrade</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.apps.map((app, i) => (
                <Table.Tr key={app.id} data-testid="high-usage-row">
                  <Table.Td>{i + 1}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/staff/apps/${app.organizationId}/${app.id}`}>
                      {app.name}
                    </Anchor>
                    {app.status !== 'ACTIVE' ? (
                      <Badge ml={6} size="xs" variant="light" color="gray">
                        {app.status.toLowerCase()}
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/staff/organizations/${app.organizationId}`}>
                      {app.organizationName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(app.usage.requests)}</Table.Td>
                  <Table.Td ta="right">{formatCount(app.usage.units)}</Table.Td>
                  <Table.Td>
                    <CapShare usage={app.usage} withBadge={false} />
                  </Table.Td>
                  <Table.Td>
                    <ErrorRate usage={app.usage} />
                  </Table.Td>
                  <Table.Td>
                    {app.usage.suggestUpgrade ? (
                      <UpgradeBadge usage={app.usage} />
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
