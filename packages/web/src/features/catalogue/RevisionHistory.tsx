import { Badge, Button, Table, Text, Tooltip } from '@mantine/core';
import { formatDateTime } from '../common/format';

export interface RevisionRow {
  id: string;
  number: number;
  title: string;
  note: string;
  createdAt: string;
  publishedAt: string | null;
  isPublished: boolean;
  authorName: string | null;
  publishedByName: string | null;
}

interface RevisionHistoryProps {
  revisions: readonly RevisionRow[];
  /** Publishes a version (an older one rolls back to it). */
  onPublish: (revisionId: string) => void;
  publishingId: string | null;
}

/** Every saved version of a document, newest first: who saved it, what changed, what is live. */
export function RevisionHistory({ revisions, onPublish, publishingId }: RevisionHistoryProps) {
  if (revisions.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No versions yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table fz="sm" verticalSpacing={6} aria-label="History">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={56}>#</Table.Th>
            <Table.Th>What changed</Table.Th>
            <Table.Th>Saved by</Table.Th>
            <Table.Th>Published</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {revisions.map((revision) => (
            <Table.Tr key={revision.id}>
              <Table.Td>v{revision.number}</Table.Td>
              <Table.Td>
                <Text size="sm">
                  {revision.note || (
                    <Text span c="dimmed">
                      No note
                    </Text>
                  )}
                </Text>
                <Text size="xs" c="dimmed">
                  {revision.title}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{revision.authorName ?? 'Unknown'}</Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(revision.createdAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                {revision.isPublished ? (
                  <Badge color="teal" variant="light" size="sm">
                    Live
                  </Badge>
                ) : revision.publishedAt ? (
                  <Text size="xs" c="dimmed">
                    Was live
                  </Text>
                ) : (
                  <Badge variant="default" size="sm">
                    Draft
                  </Badge>
                )}
                {revision.publishedAt ? (
                  <Text size="xs" c="dimmed">
                    {revision.publishedByName ? `${revision.publishedByName}, ` : ''}
                    {formatDateTime(revision.publishedAt)}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td ta="right">
                {revision.isPublished ? null : (
                  <Tooltip
                    label={
                      revision.publishedAt ? 'Roll back to this version' : 'Make this version live'
                    }
                  >
                    <Button
                      size="compact-xs"
                      variant="light"
                      loading={publishingId === revision.id}
                      onClick={() => onPublish(revision.id)}
                    >
                      Publish v{revision.number}
                    </Button>
                  </Tooltip>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
