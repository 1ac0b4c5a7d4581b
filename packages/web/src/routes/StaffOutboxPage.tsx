import { useQuery } from '@apollo/client/react';
import { Badge, Button, Card, Collapse, Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconMail, IconRefresh } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useViewer } from '../features/accounts/viewer';
import { formatDateTime, formatRelative } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { Empty, QueryError, TableSkeleton } from '../features/common/states';
import { linkify } from '../features/staff/linkify';
import { MailStatusBadge } from '../features/staff/MailStatusBadge';
import { MailOutboxQuery } from '../features/staff/staff.operations';

const PAGE_SIZE = 25;

export function StaffOutboxPage() {
  const viewer = useViewer();
  if (viewer.platformRole !== 'STAFF') {
    return <Empty title="Staff only" description="The mail outbox is for the portal's staff." />;
  }
  return <Outbox />;
}

function Outbox() {
  const { data, loading, error, refetch, fetchMore } = useQuery(MailOutboxQuery, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  const [expanded, setExpanded] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const outbox = data?.mailOutbox;

  const loadMore = async () => {
    if (!outbox?.pageInfo.endCursor) return;
    setLoadingMore(true);
    try {
      await fetchMore({ variables: { first: PAGE_SIZE, after: outbox.pageInfo.endCursor } });
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Mail outbox"
        description="Every mail Portico sends, newest first, with its delivery state: pending, sent, failed after its last attempt, or kept here because no SMTP server is configured. Open a mail to read it; the text of a sent mail is not kept."
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={loading && Boolean(outbox)}
            onClick={() => void refetch({ first: PAGE_SIZE, after: null })}
          >
            Refresh
          </Button>
        }
      />
      {error && !outbox ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : !outbox ? (
        <Card padding="md">
          <TableSkeleton rows={6} />
        </Card>
      ) : outbox.nodes.length === 0 ? (
        <Empty
          icon={<IconMail size={28} />}
          title="No mail yet"
          description="Sign-ups, invitations and password resets show up here."
        />
      ) : (
        <Card padding="sm">
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={32} />
                <Table.Th>To</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Delivery</Table.Th>
                <Table.Th>Time</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outbox.nodes.map((mail) => {
                const open = expanded === mail.id;
                return (
                  <Fragment key={mail.id}>
                    <Table.Tr
                      onClick={() => setExpanded(open ? null : mail.id)}
                      style={{ cursor: 'pointer' }}
                    >
                      <Table.Td>
                        <UnstyledButton
                          aria-expanded={open}
                          aria-label={`${open ? 'Hide' : 'Show'} mail: ${mail.subject}`}
                          onClick={(event) => {
                            event.stopPropagation();
                            setExpanded(open ? null : mail.id);
                          }}
                        >
                          {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{mail.to}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {mail.subject}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <MailStatusBadge mail={mail} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed" title={formatDateTime(mail.createdAt)}>
                          {formatRelative(mail.createdAt)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                    {open ? (
                      <Table.Tr>
                        <Table.Td colSpan={5} bg="var(--mantine-color-default-hover)">
                          <Collapse expanded={open}>
                            {mail.status === 'SENT' && !mail.text ? (
                              <Text c="dimmed" size="sm" p="sm">
                                Sent: its text is not kept, since it may hold one-time links.
                              </Text>
                            ) : (
                              <Text className="portico-mail-text" p="sm">
                                {linkify(mail.text)}
                              </Text>
                            )}
                          </Collapse>
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
          <Group justify="space-between" p="sm">
            <Badge variant="default">
              {outbox.nodes.length} of {outbox.totalCount}
            </Badge>
            {outbox.pageInfo.hasNextPage ? (
              <Button variant="default" loading={loadingMore} onClick={() => void loadMore()}>
                Load more
              </Button>
            ) : null}
          </Group>
        </Card>
      )}
    </>
  );
}
