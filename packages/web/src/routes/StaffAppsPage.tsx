import { useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Menu,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconDownload, IconPlayerPlay, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { AppStatusBadge } from '../features/apps/AppStatusBadge';
import { formatDate, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, QueryError, TableSkeleton } from '../features/common/states';
import { BULK_ACTION_LABELS, BulkRunDialog } from '../features/console/BulkRunDialog';
import { StaffAppsQuery } from '../features/console/console.operations';
import { CursorPager } from '../features/console/CursorPager';
import { exportHref, setCriteria } from '../features/console/exports';
import { StaffOnly } from '../features/console/StaffOnly';
import { UsageSummaryCell } from '../features/console/UsageCells';
import { StaffProductsQuery } from '../features/products/products.operations';
import type {
  AppStatus,
  BulkAction,
  SortDirection,
  StaffAppFilter,
  StaffAppSort,
} from '../gql/graphql';

const PAGE_SIZE = 25;
const STATUSES: AppStatus[] = ['PENDING', 'ACTIVE', 'REJECTED', 'SUSPENDED'];

interface FilterForm {
  search: string;
  owner: string;
  organizationId: string;
  productId: string | null;
  statuses: string[];
  createdAfter: string;
  createdBefore: string;
  inactiveDays: number | string;
  errorRateOver: number | string;
  usageOverPercentOfCap: number | string;
}

const EMPTY_FORM: FilterForm = {
  search: '',
  owner: '',
  organizationId: '',
  productId: null,
  statuses: [],
  createdAfter: '',
  createdBefore: '',
  inactiveDays: '',
  errorRateOver: '',
  usageOverPercentOfCap: '',
};

const numberOrNull = (value: number | string): number | null =>
  value === '' ? null : Number(value);

/** The form as the API's criteria. */
function criteriaOf(form: FilterForm): StaffAppFilter {
  return setCriteria({
    search: form.search.trim(),
    owner: form.owner.trim(),
    organizationId: form.organizationId.trim(),
    productId: form.productId,
    statuses: form.statuses as AppStatus[],
    createdAfter: form.createdAfter ? new Date(form.createdAfter).toISOString() : null,
    createdBefore: form.createdBefore ? new Date(form.createdBefore).toISOString() : null,
    inactiveDays: numberOrNull(form.inactiveDays),
    errorRateOver: numberOrNull(form.errorRateOver),
    usageOverPercentOfCap: numberOrNull(form.usageOverPercentOfCap),
  });
}

export function StaffAppsPage() {
  return (
    <StaffOnly>
      <AppsInventory />
    </StaffOnly>
  );
}

function AppsInventory() {
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [criteria, setCriteriaState] = useState<StaffAppFilter>({});
  const [sort, setSort] = useState<StaffAppSort>('CREATED_AT');
  const [direction, setDirection] = useState<SortDirection>('DESC');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [action, setAction] = useState<BulkAction | null>(null);
  const products = useQuery(StaffProductsQuery);
  const { data, loading, error, refetch } = useQuery(StaffAppsQuery, {
    variables: {
      filter: criteria,
      sort,
      direction,
      first: PAGE_SIZE,
      after: cursors[cursors.length - 1] ?? null,
    },
    fetchPolicy: 'cache-and-network',
  });
  const page = data?.staffApps;

  const apply = () => {
    setCriteriaState(criteriaOf(form));
    setCursors([null]);
    setSelected(new Set());
  };
  const bulkCriteria: StaffAppFilter = selected.size ? { ids: [...selected] } : criteria;
  const scope = selected.size
    ? `${selected.size} selected app${selected.size === 1 ? '' : 's'}`
    : `${page?.totalCount ?? 0} app${page?.totalCount === 1 ? '' : 's'} matching the filters`;
  const productOptions = useMemo(
    () => (products.data?.products ?? []).map((p) => ({ value: p.id, label: p.name })),
    [products.data],
  );
  const toggle = (id: string) =>
    setSelected((before) => {
      const next = new Set(before);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allOnPage = page?.nodes.length ? page.nodes.every((a) => selected.has(a.id)) : false;

  return (
    <>
      <PageHeader
        title="Apps"
        description="Every app of every organization. Filter, sort and select, then act on the selection or on everything the filters match: each bulk action starts with a dry run."
        actions={
          <>
            <Button
              component="a"
              href={exportHref('apps', 'csv', bulkCriteria)}
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              CSV
            </Button>
            <Button
              component="a"
              href={exportHref('apps', 'json', bulkCriteria)}
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              JSON
            </Button>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button
                  leftSection={<IconPlayerPlay size={16} />}
                  disabled={!selected.size && !Object.keys(criteria).length}
                  title={
                    !selected.size && !Object.keys(criteria).length
                      ? 'Select apps or set a filter first'
                      : undefined
                  }
                >
                  Bulk action
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{scope}</Menu.Label>
                {(Object.keys(BULK_ACTION_LABELS) as BulkAction[]).map((key) => (
                  <Menu.Item key={key} onClick={() => setAction(key)}>
                    {BULK_ACTION_LABELS[key]}…
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          </>
        }
      />
      <Card padding="md" mb="md">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            apply();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <TextInput
              label="App name"
              leftSection={<IconSearch size={14} />}
              value={form.search}
              onChange={(e) => setForm({ ...form, search: e.currentTarget.value })}
            />
            <TextInput
              label="Owner (email or name)"
              value={form.owner}
              onChange={(e) => setForm({ ...form, owner: e.currentTarget.value })}
            />
            <TextInput
              label="Organization id"
              placeholder="org_…"
              value={form.organizationId}
              onChange={(e) => setForm({ ...form, organizationId: e.currentTarget.value })}
            />
            <Select
              label="Product"
              clearable
              data={productOptions}
              value={form.productId}
              onChange={(value) => setForm({ ...form, productId: value })}
            />
            <MultiSelect
              label="Status"
              data={STATUSES}
              value={form.statuses}
              onChange={(value) => setForm({ ...form, statuses: value })}
            />
            <TextInput
              label="Created from"
              type="date"
              value={form.createdAfter}
              onChange={(e) => setForm({ ...form, createdAfter: e.currentTarget.value })}
            />
            <TextInput
              label="Created before"
              type="date"
              value={form.createdBefore}
              onChange={(e) => setForm({ ...form, createdBefore: e.currentTarget.value })}
            />
            <NumberInput
              label="Inactive for (days)"
              description="No verified request since"
              min={1}
              value={form.inactiveDays}
              onChange={(value) => setForm({ ...form, inactiveDays: value })}
            />
            <NumberInput
              label="Error rate over (%)"
              description="Last 30 days"
              min={0}
              max={100}
              decimalScale={2}
              value={form.errorRateOver}
              onChange={(value) => setForm({ ...form, errorRateOver: value })}
            />
            <NumberInput
              label="Usage over (% of cap)"
              description="This month, largest share"
              min={0}
              max={1000}
              decimalScale={2}
              value={form.usageOverPercentOfCap}
              onChange={(value) => setForm({ ...form, usageOverPercentOfCap: value })}
            />
          </SimpleGrid>
          <Group justify="space-between" mt="md">
            <Group gap="xs">
              <Select
                aria-label="Sort by"
                w={240}
                data={[
                  { value: 'CREATED_AT', label: 'Sort: created' },
                  { value: 'NAME', label: 'Sort: name' },
                  { value: 'LAST_VERIFIED_AT', label: 'Sort: last verified request' },
                  { value: 'REQUESTS_THIS_MONTH', label: 'Sort: requests this month' },
                  { value: 'PERCENT_OF_CAP', label: 'Sort: % of plan cap' },
                  { value: 'ERROR_RATE', label: 'Sort: error rate (30 days)' },
                ]}
                value={sort}
                allowDeselect={false}
                onChange={(value) => {
                  setSort((value ?? 'CREATED_AT') as StaffAppSort);
                  setCursors([null]);
                }}
              />
              <Select
                aria-label="Direction"
                w={150}
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
            </Group>
            <Group gap="xs">
              <Button
                variant="default"
                onClick={() => {
                  setForm(EMPTY_FORM);
                  setCriteriaState({});
                  setCursors([null]);
                }}
              >
                Clear
              </Button>
              <Button type="submit">Apply filters</Button>
            </Group>
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
        <Empty title="No apps match" description="Loosen the filters to see more apps." />
      ) : (
        <Card padding="sm">
          {selected.size ? (
            <Group p="xs" gap="xs">
              <Badge>{selected.size} selected</Badge>
              <Anchor size="sm" onClick={() => setSelected(new Set())}>
                Clear selection
              </Anchor>
            </Group>
          ) : null}
          <Table.ScrollContainer minWidth={960}>
            <Table verticalSpacing="xs" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={32}>
                    <Checkbox
                      aria-label="Select every app on this page"
                      checked={allOnPage}
                      onChange={() =>
                        setSelected((before) => {
                          const next = new Set(before);
                          for (const app of page.nodes) {
                            if (allOnPage) next.delete(app.id);
                            else next.add(app.id);
                          }
                          return next;
                        })
                      }
                    />
                  </Table.Th>
                  <Table.Th>App</Table.Th>
                  <Table.Th>Organization</Table.Th>
                  <Table.Th>Owner</Table.Th>
                  <Table.Th>Products</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last verified request</Table.Th>
                  <Table.Th title="Requests (and units) this month, the largest share of a plan cap, and the error rate over the last 30 days">
                    Usage this month
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.nodes.map((app) => (
                  <Table.Tr key={app.id} data-testid="staff-app-row">
                    <Table.Td>
                      <Checkbox
                        aria-label={`Select ${app.name}`}
                        checked={selected.has(app.id)}
                        onChange={() => toggle(app.id)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/staff/apps/${app.organizationId}/${app.id}`}>
                        {app.name}
                      </Anchor>
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        created {formatDate(app.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/staff/organizations/${app.organizationId}`}>
                        {app.organizationName}
                      </Anchor>
                      {app.organizationVerified ? (
                        <Badge ml={6} size="xs" variant="light" color="teal">
                          verified
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{app.ownerName}</Text>
                      <Text size="xs" c="dimmed">
                        {app.ownerEmail}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        {app.products
                          .map((p) => `${p.productName} (${p.status.toLowerCase()})`)
                          .join(', ') || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td miw={110}>
                      <AppStatusBadge status={app.status} reason={app.statusReason} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={app.lastVerifiedAt ? undefined : 'dimmed'}>
                        {app.lastVerifiedAt ? formatRelative(app.lastVerifiedAt) : 'never'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <UsageSummaryCell usage={app.usage} />
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
          {loading ? (
            <Text size="xs" c="dimmed" px="sm">
              Refreshing…
            </Text>
          ) : null}
        </Card>
      )}
      <BulkRunDialog
        action={action}
        criteria={bulkCriteria}
        scope={scope}
        onClose={() => {
          setAction(null);
          void refetch();
        }}
      />
    </>
  );
}
