import { Badge, Tooltip } from '@mantine/core';
import type { AppStatus } from '../../gql/graphql';

const colors: Record<AppStatus, string> = {
  ACTIVE: 'teal',
  PENDING: 'yellow',
  REJECTED: 'red',
  SUSPENDED: 'orange',
};

const labels: Record<AppStatus, string> = {
  ACTIVE: 'Active',
  PENDING: 'Pending',
  REJECTED: 'Rejected',
  SUSPENDED: 'Suspended',
};

export function AppStatusBadge({ status, reason }: { status: AppStatus; reason?: string | null }) {
  const badge = (
    <Badge color={colors[status]} variant="light" size="sm">
      {labels[status]}
    </Badge>
  );
  return reason ? <Tooltip label={reason}>{badge}</Tooltip> : badge;
}
