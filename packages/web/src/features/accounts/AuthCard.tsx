import { Anchor, Box, Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBuildingBridge2 } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

interface AuthCardProps {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}

/** The centred card that sign-in, sign-up and the other account pages sit in. */
export function AuthCard({ title, description, children, footer }: AuthCardProps) {
  return (
    <Box className="portico-auth-bg">
      <Center mih="100vh" px="md" py="xl">
        <Stack w="100%" maw={420} gap="lg">
          <Anchor component={Link} to="/" underline="never" c="inherit">
            <Group gap="xs" justify="center">
              <PorticoMark />
              <Text fw={700} size="lg">
                Portico
              </Text>
            </Group>
          </Anchor>
          <Paper withBorder shadow="sm" p="xl" radius="lg">
            <Stack gap="lg">
              <Box>
                <Title order={2} size="h3">
                  {title}
                </Title>
                {description ? (
                  <Text c="dimmed" size="sm" mt={6} component="div">
                    {description}
                  </Text>
                ) : null}
              </Box>
              {children}
            </Stack>
          </Paper>
          {footer ? (
            <Text size="sm" ta="center" c="dimmed" component="div">
              {footer}
            </Text>
          ) : null}
        </Stack>
      </Center>
    </Box>
  );
}

export function PorticoMark({ size = 30 }: { size?: number }) {
  return (
    <ThemeIcon
      size={size}
      radius="md"
      variant="gradient"
      gradient={{ from: 'indigo', to: 'cyan', deg: 135 }}
    >
      <IconBuildingBridge2 size={size * 0.6} />
    </ThemeIcon>
  );
}
