import { Badge, Group, Tooltip } from '@mantine/core';
import { IconFlask, IconLock, IconWorld } from '@tabler/icons-react';
import { LifecycleBadges } from './LifecycleBadges';

interface ProductBadgesProps {
  product: {
    docsPublic: boolean;
    labs: boolean;
    deprecation: { deprecationAt: string | null; sunsetAt: string | null } | null;
  };
  /** Show whether the docs are public (for staff and signed-in readers). */
  showVisibility?: boolean;
}

/** Labs, public or private docs, and deprecation badges of a product. */
export function ProductBadges({ product, showVisibility = false }: ProductBadgesProps) {
  return (
    <Group gap={6}>
      {product.labs ? (
        <Tooltip label="An experiment, open to any approved developer. Tell us what you think.">
          <Badge color="grape" variant="light" size="sm" leftSection={<IconFlask size={12} />}>
            Labs
          </Badge>
        </Tooltip>
      ) : null}
      {showVisibility ? (
        product.docsPublic ? (
          <Badge variant="default" size="sm" leftSection={<IconWorld size={12} />}>
            Public docs
          </Badge>
        ) : (
          <Badge variant="default" size="sm" leftSection={<IconLock size={12} />}>
            Signed-in readers
          </Badge>
        )
      ) : null}
      {product.deprecation ? (
        <LifecycleBadges
          deprecatedAt={product.deprecation.deprecationAt ?? new Date(0).toISOString()}
          sunsetAt={product.deprecation.sunsetAt}
        />
      ) : null}
    </Group>
  );
}
