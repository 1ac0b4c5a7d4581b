import { Badge, Button, Group } from '@mantine/core';
import { useState } from 'react';

interface LoadMoreProps {
  /** How many are shown, and how many there are in all. */
  shown: number;
  total: number;
  hasMore: boolean;
  /** Fetches the next page (appended to the list by the cache). */
  onLoadMore: () => Promise<unknown>;
}

/** "12 of 240" under a paged list, with a button for the next page while there is one. */
export function LoadMore({ shown, total, hasMore, onLoadMore }: LoadMoreProps) {
  const [loading, setLoading] = useState(false);
  if (!hasMore && shown >= total) return null;
  const load = async () => {
    setLoading(true);
    try {
      await onLoadMore();
    } finally {
      setLoading(false);
    }
  };
  return (
    <Group justify="space-between" p="sm">
      <Badge variant="default">
        {shown} of {total}
      </Badge>
      {hasMore ? (
        <Button variant="default" loading={loading} onClick={() => void load()}>
          Load more
        </Button>
      ) : null}
    </Group>
  );
}
