import { Badge, Button, Group } from '@mantine/core';

/** Previous / next over cursor pages, keeping the cursors of the pages before. */
export function CursorPager({
  shown,
  total,
  cursors,
  endCursor,
  hasNextPage,
  onChange,
}: {
  shown: number;
  total: number;
  /** The `after` of each page seen so far; the last is the current page's. */
  cursors: (string | null)[];
  endCursor: string | null;
  hasNextPage: boolean;
  onChange: (cursors: (string | null)[]) => void;
}) {
  return (
    <Group justify="space-between" p="sm">
      <Badge variant="default">
        {shown} shown · {total} in all
      </Badge>
      <Group gap="xs">
        <Button
          variant="default"
          size="xs"
          disabled={cursors.length <= 1}
          onClick={() => onChange(cursors.slice(0, -1))}
        >
          Previous
        </Button>
        <Button
          variant="default"
          size="xs"
          disabled={!hasNextPage}
          onClick={() => onChange([...cursors, endCursor])}
        >
          Next
        </Button>
      </Group>
    </Group>
  );
}
