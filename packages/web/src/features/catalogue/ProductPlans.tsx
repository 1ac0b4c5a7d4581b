import { useQuery } from '@apollo/client/react';
import { Button, Card, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { Empty, QueryError, TableSkeleton } from '../common/states';
import { PlanComparisonTable } from '../products/PlanComparisonTable';
import { ViewerAppsForProductQuery } from './catalogue.operations';
import { plansForProduct } from './productAccess';

/** The plans a product is offered on, each with its rate limit and caps; yours marked. */
export function ProductPlans({ productId, signedIn }: { productId: string; signedIn: boolean }) {
  const location = useLocation();
  const { data, loading, error, refetch } = useQuery(ViewerAppsForProductQuery, {
    skip: !signedIn,
    fetchPolicy: 'cache-and-network',
  });
  if (!signedIn) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return (
      <Empty
        icon={<IconLock size={28} />}
        title="Sign in to see plans and limits"
        description="Rate limits and monthly caps depend on your organization's plan."
        actions={
          <Button component={Link} to={`/signin?next=${next}`}>
            Sign in
          </Button>
        }
      />
    );
  }
  if (loading && !data) return <TableSkeleton rows={4} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const plans = data?.plans ?? [];
  const yours = plansForProduct(data?.viewer?.organizations ?? [], plans, productId);
  const current = new Set(yours.flatMap((row) => (row.plan ? [row.plan.id] : [])));
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Every request is counted against the plan your organization has for this product. Limits
        apply per key; monthly caps reset on the first day of the month (UTC).
      </Text>
      <Card padding={0}>
        <PlanComparisonTable plans={plans} current={current} />
      </Card>
    </Stack>
  );
}
