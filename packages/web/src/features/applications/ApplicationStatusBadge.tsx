import { Badge } from '@mantine/core';
import type { ApplicationStatus } from '../../gql/graphql';

const colors: Record<ApplicationStatus, string> = {
  PENDING: 'yellow',
  QUESTION: 'blue',
  APPROVED: 'teal',
  REJECTED: 'red',
  CLOSED: 'gray',
};

export const applicationStatusLabels: Record<ApplicationStatus, string> = {
  PENDING: 'Pending review',
  QUESTION: 'Question asked',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  CLOSED: 'Closed',
};

export function ApplicationStatusBadge({
  status,
  size = 'md',
}: {
  status: ApplicationStatus;
  size?: 'sm' | 'md' | 'lg';
}) {
  return (
    <Badge color={colors[status]} variant="light" size={size}>
      {applicationStatusLabels[status]}
    </Badge>
  );
}
