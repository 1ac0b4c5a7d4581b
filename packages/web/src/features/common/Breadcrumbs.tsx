import { Anchor, Breadcrumbs, Text } from '@mantine/core';
import { Link } from 'react-router';

export interface Crumb {
  label: string;
  to?: string;
}

export function PageBreadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <Breadcrumbs separatorMargin={6} aria-label="Breadcrumb">
      {items.map((item) =>
        item.to ? (
          <Anchor key={item.label} component={Link} to={item.to} size="sm" c="dimmed">
            {item.label}
          </Anchor>
        ) : (
          <Text key={item.label} size="sm" c="dimmed">
            {item.label}
          </Text>
        ),
      )}
    </Breadcrumbs>
  );
}
