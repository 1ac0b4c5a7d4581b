import { Badge, Tabs } from '@mantine/core';
import type { ReactNode } from 'react';

/** A tab with the number of things behind it in a small round badge. */
export function CountTab({
  value,
  count,
  children,
}: {
  value: string;
  count: number;
  children: ReactNode;
}) {
  return (
    <Tabs.Tab
      value={value}
      rightSection={
        <Badge size="xs" variant="light" circle>
          {count}
        </Badge>
      }
    >
      {children}
    </Tabs.Tab>
  );
}
