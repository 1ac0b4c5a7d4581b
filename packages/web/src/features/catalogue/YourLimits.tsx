import { useQuery } from '@apollo/client/react';
import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconGauge } from '@tabler/icons-react';
import { Link } from 'react-router';
import { formatCap, formatRateLimit } from '../products/productFormat';
import { TableSkeleton } from '../common/states';
import { ViewerAppsForProductQuery } from './catalogue.operations';
import { plansForProduct } from './productAccess';

/**
 * For a signed-in developer: the plan each of their organizations has for the product, with its
 * rate limit and monthly caps (what their keys are held to at the gateway).
 */
export function YourLimits({ productId }: { productId: string }) {
  const { data, loading, error } = useQuery(ViewerAppsForProductQuery, {
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <TableSkeleton rows={2} />;
  if (error && !data) {
    return (
      <Text size="sm" c="red">
        Could not load your plans.
      </Text>
    );
  }
  const orgs = data?.viewer?.organizations ?? [];
  const rows = plansForProduct(orgs, data?.plans ?? [], productId);
  if (rows.length === 0) return null;
  return (
    <Stack gap="xs" aria-label="Your limits">
      {rows.map((row) => (
        <Card key={row.organizationId} withBorder padding="sm">
          <Group gap={6} wrap="nowrap" mb={4}>
            <IconGauge size={16} aria-hidden />
            <Text size="sm" fw={600} truncate>
              {row.organizationName}
            </Text>
          </Group>
          <Group gap={6} mb="xs">
            <Badge variant="light" size="sm">
              {row.plan?.name ?? 'No plan'}
              {row.chosen ? '' : ' (default)'}
            </Badge>
            {row.granted ? null : (
              <Badge variant="default" size="sm">
                No app granted
              </Badge>
            )}
          </Group>
          {row.plan ? (
            <SimpleGrid cols={3} spacing="xs">
              <Limit
                label="Rate limit"
                value={formatRateLimit(row.plan.rateLimitRequests, row.plan.rateLimitWindowSeconds)}
              />
              <Limit label="Requests / month" value={formatCap(row.plan.monthlyRequestCap)} />
              <Limit label="Units / month" value={formatCap(row.plan.monthlyUnitCap)} />
            </SimpleGrid>
          ) : null}
          <Anchor component={Link} to={`/orgs/${row.organizationId}/plans`} size="xs" mt={6}>
            Plans and usage
          </Anchor>
        </Card>
      ))}
    </Stack>
  );
}

function Limit({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600}>
        {value}
      </Text>
    </div>
  );
}
