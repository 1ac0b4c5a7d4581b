import { useMutation, useQuery } from '@apollo/client/react';
import {
  ActionIcon,
  Box,
  Button,
  Divider,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { IconBell, IconChecks } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { formatDateTime, formatRelative } from '../common/format';
import { errorMessage } from '../forms/serverErrors';
import { MarkNotificationsReadMutation, NotificationsQuery } from './notifications.operations';

/** The header bell: unread count, the latest notifications, and "Mark all as read". */
export function NotificationsBell() {
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const { data } = useQuery(NotificationsQuery, { fetchPolicy: 'cache-and-network' });
  const [markRead, marking] = useMutation(MarkNotificationsReadMutation);
  const viewer = data?.viewer;
  const unread = viewer?.unreadNotificationCount ?? 0;
  const items = viewer?.notifications.nodes ?? [];

  const writeUnread = (count: number, readIds: 'all' | readonly string[]) => {
    if (!viewer) return;
    const now = new Date().toISOString();
    marking.client.cache.writeQuery({
      query: NotificationsQuery,
      data: {
        __typename: 'Query',
        viewer: {
          ...viewer,
          unreadNotificationCount: count,
          notifications: {
            ...viewer.notifications,
            nodes: viewer.notifications.nodes.map((item) =>
              item.readAt || (readIds !== 'all' && !readIds.includes(item.id))
                ? item
                : { ...item, readAt: now },
            ),
          },
        },
      },
    });
  };

  const markAll = async () => {
    try {
      const result = await markRead({ variables: { input: { all: true } } });
      writeUnread(result.data?.markNotificationsRead.unreadNotificationCount ?? 0, 'all');
    } catch (error) {
      toasts.show({ color: 'red', title: 'Could not mark as read', message: errorMessage(error) });
    }
  };

  const open = async (item: (typeof items)[number]) => {
    setOpened(false);
    if (!item.readAt) {
      try {
        const result = await markRead({ variables: { input: { ids: [item.id] } } });
        writeUnread(result.data?.markNotificationsRead.unreadNotificationCount ?? unread, [
          item.id,
        ]);
      } catch {
        // opening the link matters more than the read mark
      }
    }
    if (item.link) await navigate(item.link);
  };

  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      width={360}
      shadow="md"
      withinPortal
    >
      <Popover.Target>
        <Indicator
          label={unread > 99 ? '99+' : unread}
          size={16}
          offset={4}
          color="red"
          disabled={unread === 0}
        >
          <ActionIcon
            variant="default"
            size="lg"
            radius="md"
            aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
            onClick={() => setOpened((value) => !value)}
          >
            <IconBell size={18} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0}>
        <Group justify="space-between" px="md" py="sm">
          <Text fw={600} size="sm">
            Notifications
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconChecks size={14} />}
            disabled={unread === 0}
            loading={marking.loading}
            onClick={() => void markAll()}
          >
            Mark all as read
          </Button>
        </Group>
        <Divider />
        {items.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="xl">
            Nothing yet. Decisions about your apps show up here.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420}>
            <Stack
              gap={0}
              component="ul"
              m={0}
              p={0}
              style={{ listStyle: 'none' }}
              aria-label="Latest notifications"
            >
              {items.map((item) => (
                <Box component="li" key={item.id}>
                  <UnstyledButton
                    onClick={() => void open(item)}
                    w="100%"
                    px="md"
                    py="sm"
                    className="portico-notification"
                    data-unread={item.readAt ? undefined : true}
                  >
                    <Group gap="sm" wrap="nowrap" align="flex-start">
                      <Box
                        mt={6}
                        w={8}
                        h={8}
                        style={{
                          borderRadius: 8,
                          flexShrink: 0,
                          background: item.readAt ? 'transparent' : 'var(--mantine-color-indigo-6)',
                        }}
                        aria-hidden
                      />
                      <Box style={{ minWidth: 0 }}>
                        <Text size="sm" fw={item.readAt ? 500 : 650}>
                          {item.title}
                        </Text>
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {item.body}
                        </Text>
                        <Text size="xs" c="dimmed" mt={2} title={formatDateTime(item.createdAt)}>
                          {formatRelative(item.createdAt)}
                        </Text>
                      </Box>
                    </Group>
                  </UnstyledButton>
                </Box>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
