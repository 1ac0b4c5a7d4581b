import { Button, Card, Group, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDate } from '../common/format';

/** A card with a table of the team: `headers`, then an unlabelled column of row actions. */
export function TeamTable({
  minWidth,
  headers,
  actions,
  children,
}: {
  minWidth: number;
  headers: string[];
  actions: boolean;
  children: ReactNode;
}) {
  return (
    <Card padding="sm">
      <Table.ScrollContainer minWidth={minWidth}>
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              {headers.map((header) => (
                <Table.Th key={header}>{header}</Table.Th>
              ))}
              {actions ? <Table.Th aria-label="Actions" /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

export function DateCell({ value }: { value: string }) {
  return (
    <Table.Td>
      <Text size="sm" c="dimmed">
        {formatDate(value)}
      </Text>
    </Table.Td>
  );
}

/** A row's two small buttons: an action, then a red one. */
export function RowActions({
  label,
  onAction,
  dangerLabel,
  onDanger,
}: {
  label: string;
  onAction: () => void;
  dangerLabel: string;
  onDanger: () => void;
}) {
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      <Button size="xs" variant="subtle" onClick={onAction}>
        {label}
      </Button>
      <Button size="xs" variant="subtle" color="red" onClick={onDanger}>
        {dangerLabel}
      </Button>
    </Group>
  );
}
