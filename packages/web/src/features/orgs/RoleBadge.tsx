import { Badge } from '@mantine/core';
import type { MemberRole } from '../../gql/graphql';
import { roleLabel } from './roles';

/** A member's or an invitation's role: admins stand out, developers are grey. */
export function RoleBadge({ role }: { role: MemberRole }) {
  return (
    <Badge variant="light" color={role === 'ADMIN' ? 'indigo' : 'gray'}>
      {roleLabel(role)}
    </Badge>
  );
}
