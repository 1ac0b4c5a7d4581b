import { useMutation, useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconHourglassLow, IconSend } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  DeprecatedProductsQuery,
  DeprecationImpactQuery,
  SendDeprecationNoticeMutation,
} from '../features/catalogue/catalogue.operations';
import {
  deprecationNotice,
  sparklinePoints,
  weekTrend,
} from '../features/catalogue/catalogueFormat';
import { LifecycleBadges } from '../features/catalogue/LifecycleBadges';
import { formatDate, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import {
  Empty,
  FormAlert,
  PageSkeleton,
  QueryError,
  TableSkeleton,
} from '../features/common/states';
import { errorMessage } from '../features/forms/serverErrors';
import type { DeprecationImpactQuery as ImpactResult } from '../gql/graphql';

type Impact = ImpactResult['deprecationImpact'];

/** Staff: who still calls a deprecated product, how much, and whether it is falling. */
export function StaffDeprecationsPage() {
  const [params, setParams] = useSearchParams();
  const products = useQuery(DeprecatedProductsQuery, { fetchPolicy: 'cache-and-network' });
  if (products.loading && !products.data) return <PageSkeleton rows={2} />;
  if (products.error && !products.data) {
    return <QueryError error={products.error} onRetry={() => void products.refetch()} />;
  }
  const live = (products.data?.products ?? []).filter((product) => !product.archivedAt);
  const deprecated = live.filter((product) => product.deprecation);
  const selectedId = params.get('product') ?? deprecated[0]?.id ?? null;

  return (
    <>
      <PageHeader
        title="Deprecations"
        description="The apps and organizations that called a product in the last 30 days (UTC), so you can tell them before the sunset."
        actions={
          <Select
            aria-label="Product"
            placeholder="Pick a product"
            data={[
              {
                group: 'Deprecated',
                items: deprecated.map((p) => ({ value: p.id, label: p.name })),
              },
              {
                group: 'Other products',
                items: live
                  .filter((p) => !p.deprecation)
                  .map((p) => ({ value: p.id, label: p.name })),
              },
            ]}
            value={selectedId}
            onChange={(value) => setParams(value ? { product: value } : {})}
            allowDeselect={false}
            w={260}
          />
        }
      />
      {selectedId ? (
        <ImpactView key={selectedId} productId={selectedId} />
      ) : (
        <Empty
          icon={<IconHourglassLow size={28} />}
          title="No deprecated product"
          description="Publish a Deprecated entry in a product's changelog to start its countdown."
        />
      )}
    </>
  );
}

function ImpactView({ productId }: { productId: string }) {
  const { data, loading, error, refetch } = useQuery(DeprecationImpactQuery, {
    variables: { productId },
    fetchPolicy: 'cache-and-network',
  });
  const [noticeOpen, setNoticeOpen] = useState(false);
  if (loading && !data) return <TableSkeleton rows={4} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const impact = data?.deprecationImpact;
  if (!impact) return null;
  const { product } = impact;
  const lastWeek = impact.apps.reduce((sum, row) => sum + row.lastWeekRequests, 0);
  const previousWeek = impact.apps.reduce((sum, row) => sum + row.previousWeekRequests, 0);
  const trend = weekTrend(lastWeek, previousWeek);

  return (
    <Stack gap="lg">
      <Card padding="lg">
        <Group justify="space-between" align="flex-start" mb="md">
          <div>
            <Text fw={700} size="lg">
              {product.name}
            </Text>
            {product.deprecation ? (
              <Stack gap={4} mt={4}>
                <Text size="sm" c="dimmed">
                  {product.deprecation.title}
                </Text>
                <LifecycleBadges
                  deprecatedAt={product.deprecation.deprecationAt}
                  sunsetAt={product.deprecation.sunsetAt}
                />
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                The product as a whole is not deprecated (its changelog may deprecate endpoints).
              </Text>
            )}
          </div>
          <Button
            leftSection={<IconSend size={16} />}
            onClick={() => setNoticeOpen(true)}
            disabled={impact.apps.length === 0}
          >
            Send notice
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Stat label="Requests, 30 days" value={impact.totalRequests.toLocaleString('en')} />
          <Stat label="Apps calling" value={String(impact.apps.length)} />
          <Stat label="Organizations" value={String(impact.organizationCount)} />
          <Stat
            label="Last 7 days vs the 7 before"
            value={
              <Badge color={trend.color} variant="light" size="lg">
                {trend.label}
              </Badge>
            }
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt="sm">
          Since {formatDate(impact.since)}.
        </Text>
      </Card>
      {impact.apps.length === 0 ? (
        <Empty
          icon={<IconHourglassLow size={28} />}
          title="Nobody called it in 30 days"
          description="It can be switched off without hurting anyone."
        />
      ) : (
        <Card padding={0}>
          <ImpactTable apps={impact.apps} />
        </Card>
      )}
      <NoticeModal
        opened={noticeOpen}
        onClose={() => setNoticeOpen(false)}
        productId={product.id}
        initialMessage={deprecationNotice(product.name, product.deprecation ?? null)}
        owners={new Set(impact.apps.map((row) => row.ownerEmail)).size}
      />
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {typeof value === 'string' ? (
        <Text fw={700} size="xl">
          {value}
        </Text>
      ) : (
        value
      )}
    </div>
  );
}

function ImpactTable({ apps }: { apps: Impact['apps'] }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Apps calling the product">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>App</Table.Th>
            <Table.Th>Organization</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th ta="right">Requests, 30 days</Table.Th>
            <Table.Th>Trend</Table.Th>
            <Table.Th>Daily</Table.Th>
            <Table.Th>Last call</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {apps.map((row) => {
            const trend = weekTrend(row.lastWeekRequests, row.previousWeekRequests);
            return (
              <Table.Tr key={row.app.id}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/orgs/${row.organization.id}/apps/${row.app.id}`}
                    fw={600}
                    size="sm"
                  >
                    {row.app.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{row.organization.name}</Table.Td>
                <Table.Td>
                  <Text size="sm">{row.ownerEmail}</Text>
                </Table.Td>
                <Table.Td ta="right">{row.requests.toLocaleString('en')}</Table.Td>
                <Table.Td>
                  <Badge color={trend.color} variant="light" size="sm">
                    {trend.label}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <svg
                    width={120}
                    height={24}
                    role="img"
                    aria-label={`Requests per day, last ${row.daily.length} days`}
                  >
                    <polyline
                      points={sparklinePoints(row.daily, 118, 20)}
                      transform="translate(1 2)"
                      fill="none"
                      stroke="var(--mantine-color-orange-6)"
                      strokeWidth={1.5}
                    />
                  </svg>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {row.lastCalledAt ? formatRelative(row.lastCalledAt) : '—'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function NoticeModal({
  opened,
  onClose,
  productId,
  initialMessage,
  owners,
}: {
  opened: boolean;
  onClose: () => void;
  productId: string;
  initialMessage: string;
  owners: number;
}) {
  const [message, setMessage] = useState(initialMessage);
  const [failure, setFailure] = useState<string | null>(null);
  const [send, { loading }] = useMutation(SendDeprecationNoticeMutation);
  const submit = async () => {
    setFailure(null);
    try {
      const result = await send({ variables: { input: { productId, message } } });
      const count = result.data?.sendDeprecationNotice.notifiedOwners ?? 0;
      notifications.show({
        color: 'teal',
        title: 'Notice sent',
        message: count === 1 ? '1 app owner was told.' : `${count} app owners were told.`,
      });
      onClose();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Send a deprecation notice" size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Goes by email and in-app notification to the owners of the apps that called the product in
          the last 30 days ({owners === 1 ? '1 owner' : `${owners} owners`}).
        </Text>
        <FormAlert message={failure} />
        <Textarea
          label="Message"
          autosize
          minRows={5}
          maxLength={5000}
          value={message}
          onChange={(event) => setMessage(event.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            leftSection={<IconSend size={16} />}
            loading={loading}
            disabled={!message.trim()}
            onClick={() => void submit()}
          >
            Send notice
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
