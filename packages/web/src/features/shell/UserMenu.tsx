import { useApolloClient, useMutation } from '@apollo/client/react';
import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconLogout, IconSettings } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { SignOutMutation } from '../accounts/auth.operations';
import type { Viewer } from '../accounts/viewer';
import { errorMessage } from '../forms/serverErrors';

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => (part ?? '').charAt(0).toUpperCase()).join('') || '?';
}

export function UserMenu({ viewer }: { viewer: Viewer }) {
  const client = useApolloClient();
  const navigate = useNavigate();
  const [signOut] = useMutation(SignOutMutation);

  const onSignOut = async () => {
    try {
      await signOut();
      await navigate('/signin', { replace: true });
      await client.clearStore();
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not sign out',
        message: errorMessage(error),
      });
    }
  };

  return (
    <Menu position="bottom-end" width={220} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label="User menu" px={6} py={4} style={{ borderRadius: 8 }}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="indigo" radius="xl" size={30}>
              {initials(viewer.name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" maw={140} truncate>
              {viewer.name}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="xs" truncate>
            {viewer.email}
          </Text>
        </Menu.Label>
        <Menu.Item component={Link} to="/account" leftSection={<IconSettings size={16} />}>
          Account settings
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void onSignOut()}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
