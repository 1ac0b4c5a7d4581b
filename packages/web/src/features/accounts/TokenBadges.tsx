import { Badge, Group, Tooltip } from '@mantine/core';
import type { PersonalAccessTokenStatus, TokenAccess, TokenArea } from '../../gql/graphql';
import { accessLabel, areaLabel, STATUS } from './tokenAreas';

/** A fine-grained token's permissions, one badge per area (write ones stand out). */
export function PermissionBadges({
  permissions,
}: {
  permissions: readonly { area: TokenArea; level: TokenAccess }[];
}) {
  return (
    <Group gap={4}>
      {permissions.map(({ area, level }) => (
        <Badge
          key={area}
          size="xs"
          variant={level === 'WRITE' ? 'light' : 'outline'}
          color={level === 'WRITE' ? 'indigo' : 'gray'}
        >
          {areaLabel(area)}: {accessLabel(level).toLowerCase()}
        </Badge>
      ))}
    </Group>
  );
}

/** Whether a token works now, and if not why (with the reason an admin gave, if any). */
export function TokenStatusBadge({
  status,
  reason,
}: {
  status: PersonalAccessTokenStatus;
  reason?: string | null;
}) {
  const { label, color } = STATUS[status];
  const badge = (
    <Badge size="sm" variant="light" color={color}>
      {label}
    </Badge>
  );
  return reason ? (
    <Tooltip label={`Reason: ${reason}`} multiline w={260}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
