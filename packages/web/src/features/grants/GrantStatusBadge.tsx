import { Badge } from '@mantine/core';
import type { GrantStatus } from '../../gql/graphql';

const colors: Record<GrantStatus, string> = {
  PENDING: 'yellow',
  APPROVED: 'teal',
  REJECTED: 'red',
  REVOKED: 'orange',
  WITHDRAWN: 'gray',
};

/** The grant status as the API names it (PENDING, APPROVED …), so it reads the same everywhere. */
export function GrantStatusBadge({ status }: { status: GrantStatus }) {
  return (
    <Badge
      color={colors[status]}
      variant="light"
      size="sm"
      style={{ flexShrink: 0, overflow: 'visible' }}
    >
      {status}
    </Badge>
  );
}
