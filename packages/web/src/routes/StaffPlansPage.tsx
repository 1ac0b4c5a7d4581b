import { useQuery } from '@apollo/client/react';
import { Button, Card, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useViewer } from '../features/accounts/viewer';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, QueryError, TableSkeleton } from '../features/common/states';
import { PlanComparisonTable } from '../features/products/PlanComparisonTable';
import { PlanFormModal } from '../features/products/PlanFormModal';
import { StaffPlansQuery } from '../features/products/products.operations';
import type { PlanFieldsFragment } from '../gql/graphql';

export function StaffPlansPage() {
  const viewer = useViewer();
  if (viewer.platformRole !== 'STAFF') {
    return <Empty title="Staff only" description="Plans are managed by the portal's staff." />;
  }
  return <StaffPlans />;
}

function StaffPlans() {
  const { data, error, refetch } = useQuery(StaffPlansQuery, { fetchPolicy: 'cache-and-network' });
  const [target, setTarget] = useState<PlanFieldsFragment | 'new' | null>(null);
  const plans = data?.plans ?? [];
  const nextRank = plans.reduce((max, plan) => Math.max(max, plan.rank + 1), 0);
  return (
    <>
      <PageHeader
        title="Plans"
        description="Tiers of limits organizations subscribe to per product. Changes apply at once to every organization on the plan."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setTarget('new')}>
            New plan
          </Button>
        }
      />
      {error && !data ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Card padding="md">
          <TableSkeleton rows={4} />
        </Card>
      ) : (
        <Card padding="sm">
          <PlanComparisonTable
            plans={plans}
            actions={(plan) => (
              <Button size="xs" variant="subtle" onClick={() => setTarget(plan)}>
                Edit
              </Button>
            )}
          />
          <Text size="xs" c="dimmed" p="sm">
            An organization without a chosen plan for a product uses the lowest rank.
          </Text>
        </Card>
      )}
      <PlanFormModal
        opened={target !== null}
        onClose={() => setTarget(null)}
        plan={target === 'new' ? null : target}
        nextRank={nextRank}
      />
    </>
  );
}
