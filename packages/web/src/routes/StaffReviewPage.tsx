import { useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconCheck,
  IconChecklist,
  IconPlayerRecordFilled,
  IconTemplate,
  IconX,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useViewer } from '../features/accounts/viewer';
import { formatDateTime } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, QueryError, TableSkeleton } from '../features/common/states';
import {
  DecisionModal,
  type Decision,
  type DecisionTarget,
} from '../features/grants/DecisionModal';
import { ReviewFiltersQuery, ReviewQueueQuery } from '../features/grants/grants.operations';
import { ReviewItemDrawer } from '../features/grants/ReviewItemDrawer';
import { decidedByOtherMessage, formatAge } from '../features/grants/reviewFormat';
import { ReviewQueueEventsSubscription } from '../features/live/live.operations';
import { useLiveEvents } from '../features/live/useLiveEvents';
import { ReasonTemplatesModal } from '../features/staff/ReasonTemplatesModal';
import type { ReviewItemFieldsFragment, ReviewItemKind } from '../gql/graphql';

const PAGE_SIZE = 100;
const ALL = '';

type QueueItem = ReviewItemFieldsFragment;

/** A queue row's name: "Maps API for Weather" or "Ada Lovelace (developer application)". */
function itemLabel(item: QueueItem): string {
  if (item.__typename === 'GrantReviewItem') return `${item.product.name} for ${item.app.name}`;
  if (item.__typename === 'ApplicationReviewItem') return `${item.applicant.name}'s application`;
  // A kind of item added to the API after this build.
  return (item as QueueItem).id;
}

export function StaffReviewPage() {
  const viewer = useViewer();
  if (viewer.platformRole !== 'STAFF') {
    return <Empty title="Staff only" description="The review queue is for the portal's staff." />;
  }
  return <ReviewQueue viewerId={viewer.id} />;
}

function ReviewQueue({ viewerId }: { viewerId: string }) {
  const navigate = useNavigate();
  const { itemId } = useParams();
  const [kind, setKind] = useState<string>(ALL);
  const [productId, setProductId] = useState<string>(ALL);
  const [organizationId, setOrganizationId] = useState<string>(ALL);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [decision, setDecision] = useState<DecisionTarget | null>(null);
  const [templatesOpen, setTemplatesOpen] = useState(false);

  const filter = {
    kind: kind ? (kind as ReviewItemKind) : null,
    productId: productId || null,
    organizationId: organizationId || null,
  };
  const { data, loading, error, refetch } = useQuery(ReviewQueueQuery, {
    variables: { filter, first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  const filters = useQuery(ReviewFiltersQuery, { fetchPolicy: 'cache-and-network' });
  const items = useMemo(() => data?.reviewQueue.nodes ?? [], [data]);

  const { live } = useLiveEvents({
    subscription: ReviewQueueEventsSubscription,
    variables: {},
    select: (result) => result.reviewQueueEvents,
    onEvent: (event) => {
      void refetch();
      void pendingGrants.refetch();
      const message = decidedByOtherMessage(event, viewerId);
      if (message) notifications.show({ color: 'indigo', title: 'Review queue', message });
    },
    onPoll: () => void refetch(),
  });

  // The organizations with pending requests feed the organization filter.
  const pendingGrants = useQuery(ReviewQueueQuery, {
    variables: { filter: { kind: 'GRANT' }, first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const organizations = useMemo(() => {
    const names = new Map<string, string>();
    for (const item of pendingGrants.data?.reviewQueue.nodes ?? []) {
      if (item.__typename === 'GrantReviewItem')
        names.set(item.organization.id, item.organization.name);
    }
    return [...names].map(([value, label]) => ({ value, label }));
  }, [pendingGrants.data]);

  const selectedItems = items.filter((item) => selected.has(item.id));
  const allSelected = items.length > 0 && selectedItems.length === items.length;
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const decide = (choice: Decision, targets: readonly QueueItem[]) => {
    if (targets.length === 0) return;
    setDecision({
      decision: choice,
      grantIds: targets
        .filter((item) => item.__typename === 'GrantReviewItem')
        .map((item) => item.id),
      applicationIds: targets
        .filter((item) => item.__typename === 'ApplicationReviewItem')
        .map((item) => item.id),
      label: targets.length === 1 && targets[0] ? itemLabel(targets[0]) : `${targets.length} items`,
    });
  };
  const openItem = items.find((item) => item.id === itemId) ?? null;

  return (
    <>
      <PageHeader
        title="Review queue"
        description="Product requests and developer applications waiting for a decision, oldest first."
        actions={
          <>
            <Tooltip
              label={live ? 'New items appear as they arrive' : 'Refreshing every few seconds'}
            >
              <Badge
                variant="light"
                color={live ? 'teal' : 'gray'}
                leftSection={<IconPlayerRecordFilled size={10} />}
              >
                {live ? 'Live' : 'Polling'}
              </Badge>
            </Tooltip>
            <Button
              variant="default"
              leftSection={<IconTemplate size={16} />}
              onClick={() => setTemplatesOpen(true)}
            >
              Reason templates
            </Button>
          </>
        }
      />
      <Card padding="sm" mb="md">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            label="Kind"
            data={[
              { value: ALL, label: 'All kinds' },
              { value: 'GRANT', label: 'Product requests' },
              { value: 'APPLICATION', label: 'Developer applications' },
            ]}
            value={kind}
            onChange={(value) => setKind(value ?? ALL)}
            allowDeselect={false}
            w={210}
          />
          <Select
            label="Product"
            data={[
              { value: ALL, label: 'All products' },
              ...(filters.data?.products ?? []).map((product) => ({
                value: product.id,
                label: product.name,
              })),
            ]}
            value={productId}
            onChange={(value) => setProductId(value ?? ALL)}
            allowDeselect={false}
            searchable
            w={210}
          />
          <Select
            label="Organization"
            data={[{ value: ALL, label: 'All organizations' }, ...organizations]}
            value={organizationId}
            onChange={(value) => setOrganizationId(value ?? ALL)}
            allowDeselect={false}
            searchable
            w={210}
          />
          <Group gap="sm" ml="auto">
            <Text size="sm" c="dimmed">
              {selectedItems.length > 0 ? `${selectedItems.length} selected` : ''}
            </Text>
            <Button
              color="teal"
              leftSection={<IconCheck size={16} />}
              disabled={selectedItems.length === 0}
              onClick={() => decide('APPROVE', selectedItems)}
            >
              Approve
            </Button>
            <Button
              color="red"
              variant="light"
              leftSection={<IconX size={16} />}
              disabled={selectedItems.length === 0}
              onClick={() => decide('REJECT', selectedItems)}
            >
              Reject
            </Button>
          </Group>
        </Group>
      </Card>

      {error && !data ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Card padding="md">
          <TableSkeleton rows={5} />
        </Card>
      ) : items.length === 0 ? (
        <Empty
          icon={<IconChecklist size={28} />}
          title="Nothing to review"
          description="New product requests and developer applications appear here as they arrive."
        />
      ) : (
        <Card padding="sm">
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" highlightOnHover aria-label="Pending items">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label="Select all"
                      checked={allSelected}
                      indeterminate={selectedItems.length > 0 && !allSelected}
                      onChange={() =>
                        setSelected(allSelected ? new Set() : new Set(items.map((item) => item.id)))
                      }
                    />
                  </Table.Th>
                  <Table.Th>Item</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Organization</Table.Th>
                  <Table.Th>Requested by</Table.Th>
                  <Table.Th style={{ whiteSpace: 'nowrap' }}>Age</Table.Th>
                  <Table.Th aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => {
                  const label = itemLabel(item);
                  const detailTo =
                    item.__typename === 'ApplicationReviewItem'
                      ? `/staff/applications/${item.application.id}`
                      : `/staff/review/${item.id}`;
                  return (
                    <Table.Tr
                      key={item.id}
                      data-review-item={item.id}
                      bg={selected.has(item.id) ? 'var(--mantine-color-indigo-light)' : undefined}
                    >
                      <Table.Td>
                        <Checkbox
                          aria-label={`Select ${label}`}
                          checked={selected.has(item.id)}
                          onChange={() => toggle(item.id)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={detailTo} fw={600} size="sm">
                          {label}
                        </Anchor>
                        {item.__typename === 'GrantReviewItem' &&
                        item.grant.unmetRules.length > 0 ? (
                          <Text size="xs" c="dimmed">
                            Rules not met: {item.grant.unmetRules.length}
                          </Text>
                        ) : null}
                        {item.__typename === 'ApplicationReviewItem' ? (
                          <Text size="xs" c="dimmed" lineClamp={1} maw={360}>
                            {item.application.useCase}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        {item.__typename === 'GrantReviewItem' ? (
                          <Badge variant="light" size="sm" color="indigo">
                            Product request
                          </Badge>
                        ) : (
                          <Group gap={4}>
                            <Badge variant="light" size="sm" color="grape">
                              Developer application
                            </Badge>
                            {item.__typename === 'ApplicationReviewItem' &&
                            item.application.status === 'QUESTION' ? (
                              <Badge variant="outline" size="sm" color="blue">
                                Question asked
                              </Badge>
                            ) : null}
                          </Group>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {item.__typename === 'GrantReviewItem' ? item.organization.name : '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {item.__typename === 'GrantReviewItem'
                            ? (item.grant.requestedBy?.name ?? '—')
                            : item.__typename === 'ApplicationReviewItem'
                              ? item.applicant.name
                              : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Tooltip label={formatDateTime(item.createdAt)}>
                          <Text
                            size="sm"
                            c={item.ageSeconds > 3 * 86400 ? 'orange' : 'dimmed'}
                            style={{ whiteSpace: 'nowrap' }}
                          >
                            {formatAge(item.ageSeconds)}
                          </Text>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => void navigate(detailTo)}
                          aria-label={`Details of ${label}`}
                        >
                          Details
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between" p="sm">
            <Badge variant="default">
              {items.length} of {data.reviewQueue.totalCount} waiting
            </Badge>
            {loading ? (
              <Text size="xs" c="dimmed">
                Updating…
              </Text>
            ) : null}
          </Group>
        </Card>
      )}

      <ReviewItemDrawer
        item={openItem?.__typename === 'GrantReviewItem' ? openItem : null}
        missing={Boolean(itemId) && Boolean(data) && !openItem}
        opened={Boolean(itemId)}
        onClose={() => void navigate('/staff/review')}
        onDecide={(choice) => {
          if (openItem) decide(choice, [openItem]);
          void navigate('/staff/review');
        }}
      />
      <ReasonTemplatesModal opened={templatesOpen} onClose={() => setTemplatesOpen(false)} />
      <DecisionModal
        target={decision}
        onClose={() => setDecision(null)}
        onDecided={() => {
          setDecision(null);
          setSelected(new Set());
          void refetch();
        }}
      />
    </>
  );
}
