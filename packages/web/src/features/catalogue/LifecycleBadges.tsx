import { Badge, Group, Tooltip } from '@mantine/core';
import { lifecycleBadges } from './lifecycle';

/** "Deprecated" and "Sunset …" badges for a product, endpoint or changelog entry. */
export function LifecycleBadges({
  deprecatedAt,
  sunsetAt,
  besideKind = false,
}: {
  deprecatedAt: string | null | undefined;
  sunsetAt: string | null | undefined;
  /** Next to a "Deprecated" changelog kind: leave out the "Deprecated" badge it repeats. */
  besideKind?: boolean;
}) {
  const badges = lifecycleBadges(deprecatedAt, sunsetAt).filter(
    (badge) => !besideKind || badge.label !== 'Deprecated',
  );
  if (badges.length === 0) return null;
  return (
    <Group gap={6}>
      {badges.map((badge) => (
        <Tooltip key={badge.label} label={badge.detail}>
          <Badge color={badge.color} variant="light" size="sm">
            {badge.label}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}
