import { Badge, Stack, Text } from '@mantine/core';
import type { CredentialFieldsFragment } from '../../gql/graphql';
import { formatDate, formatDateTime } from '../common/format';
import { STATUS_COLORS, statusLabel } from './credentialDisplay';

type StatusFields = Pick<CredentialFieldsFragment, 'status' | 'expiresAt' | 'revokedAt'>;

/** The status as the API names it, with when it changes (or changed) unless `badgeOnly`. */
export function CredentialStatusBadge({
  credential,
  badgeOnly = false,
}: {
  credential: StatusFields;
  badgeOnly?: boolean;
}) {
  const { status } = credential;
  const at = status === 'REVOKED' ? credential.revokedAt : credential.expiresAt;
  const when =
    badgeOnly || status === 'ACTIVE' || !at ? null : status === 'IN_GRACE' ? 'until' : 'on';
  return (
    <Stack gap={2} align="flex-start">
      <Badge
        color={STATUS_COLORS[status]}
        variant="light"
        size="sm"
        style={{ flexShrink: 0, overflow: 'visible' }}
      >
        {statusLabel(status)}
      </Badge>
      {when && at ? (
        <Text size="xs" c="dimmed" title={formatDateTime(at)}>
          {when} {formatDate(at)}
        </Text>
      ) : null}
    </Stack>
  );
}
