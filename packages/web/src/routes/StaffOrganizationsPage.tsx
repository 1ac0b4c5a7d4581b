import { useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, QueryError, TableSkeleton } from '../features/common/states';
import { StaffOrganizationsQuery } from '../features/console/console.operations';
import { CursorPager } from '../features/console/CursorPager';
import { exportHref, setCriteria } from '../features/console/exports';
import { StaffOnly } from '../features/console/StaffOnly';
import { UsageSummaryCell } from '../features/console/UsageCells';
import type { SortDirection, StaffOrganizationFilter, StaffOrganizationSort } from '../gql/graphql';

const PAGE_SIZE = 25;

export function StaffOrganizationsPage() {
  return (
    <StaffOnly>
      <OrganizationsInventory />
    </StaffOnly>
  );
}

function OrganizationsInventory() {
  const [search, setSearch] = useState('');
  const [verified, setVerified] = useState<string | null>(null);
  const [usageOver, setUsageOver] = useState<number | string>('');
  const [filter, setFilter] = useState<StaffOrganizationFilter>({});
  const [sort, setSort] = useState<StaffOrganizationSort>('CREATED_AT');
  const [direction, setDirection] = useState<SortDirection>('DESC');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const { data, error, refetch } = useQuery(StaffOrganizationsQuery, {
    variables: { filter, sort, direction, first: PAGE_SIZE, after: cursors.at(-1) ?? null },
    fetchPolicy: 'cache-and-network',
  });
  const page = data?.staffOrganizations;
  return (
    <>
      <PageHeader
        title="Organizations"
        description="Every organization with its members, apps, plans, usage this month and verification."
        actions={
          <>
            <Button
              component="a"
              href={exportHref('organizations', 'csv', filter)}
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              CSV
            </Button>
            <Button
              component="a"
              href={exportHref('organizations', 'json', filter)}
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              JSON
            </Button>
          </>
        }
      />
      <Card padding="md" mb="md">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setFilter(
              setCriteria({
                search: search.trim(),
                verified: verified === null ? null : verified === 'yes',
                usageOverPercentOfCap: usageOver === '' ? null : Number(usageOver),
              }),
            );
            setCursors([null]);
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 3, lg: 5 }}>
            <TextInput
              label="Name or slug"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
            />
            <Select
              label="Verified"
              clearable
              data={[
                { value: 'yes', label: 'Verified' },
                { value: 'no', label: 'Not verified' },
              ]}
              value={verified}
              onChange={setVerified}
            />
            <NumberInput
              label="Usage over (% of cap)"
              description="This month, largest share"
              min={0}
              max={1000}
              decimalScale={2}
              value={usageOver}
              onChange={setUsageOver}
            />
            <Select
              label="Sort by"
              data={[
                { value: 'CREATED_AT', label: 'Created' },
                { value: 'NAME', label: 'Name' },
                { value: 'APP_COUNT', label: 'Apps' },
                { value: 'MEMBER_COUNT', label: 'Members' },
                { value: 'REQUESTS_THIS_MONTH', label: 'Requests this month' },
                { value: 'PERCENT_OF_CAP', label: '% of plan cap' },
              ]}
              value={sort}
              allowDeselect={false}
              onChange={(value) => {
                setSort((value ?? 'CREATED_AT') as StaffOrganizationSort);
                setCursors([null]);
              }}
            />
            <Select
              label="Direction"
              data={[
                { value: 'DESC', label: 'Descending' },
                { value: 'ASC', label: 'Ascending' },
              ]}
              value={direction}
              allowDeselect={false}
              onChange={(value) => {
                setDirection((value ?? 'DESC') as SortDirection);
                setCursors([null]);
              }}
            />
          </SimpleGrid>
          <Group justify="flex-end" mt="md">
            <Button type="submit">Apply filters</Button>
          </Group>
        </form>
      </Card>
      {error && !page ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : !page ? (
        <Card padding="md">
          <TableSkeleton rows={8} />
        </Card>
      ) : page.nodes.length === 0 ? (
        <Empty title="No organizations match" />
      ) : (
        <Card padding="sm">
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Organization</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Members</Table.Th>
                  <Table.Th>Apps</Table.Th>
                  <Table.Th>Plans</Table.Th>
                  <Table.Th title="Requests (and units) of all its apps this month, the largest share of a plan cap, and the error rate over the last 30 days">
                    Usage this month
                  </Table.Th>
                  <Table.Th>Verified</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.nodes.map((org) => (
                  <Table.Tr key={org.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/staff/organizations/${org.id}`}>
                        {org.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{org.kind.toLowerCase()}</Table.Td>
                    <Table.Td>{org.memberCount}</Table.Td>
                    <Table.Td>{org.appCount}</Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        {org.plans.map((p) => `${p.productName}: ${p.planName}`).join(', ') || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <UsageSummaryCell usage={org.usage} />
                    </Table.Td>
                    <Table.Td>
                      {org.verifiedAt ? (
                        <Badge color="teal" variant="light">
                          verified
                        </Badge>
                      ) : (
                        <Text size="sm" c="dimmed">
                          no
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDate(org.createdAt)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <CursorPager
            shown={page.nodes.length}
            total={page.totalCount}
            cursors={cursors}
            endCursor={page.pageInfo.endCursor}
            hasNextPage={page.pageInfo.hasNextPage}
            onChange={setCursors}
          />
        </Card>
      )}
    </>
  );
}
