import { Box, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: ReactNode;
  description?: ReactNode;
  /** Above the title: breadcrumbs or a back link. */
  above?: ReactNode;
  actions?: ReactNode;
}

export function PageHeader({ title, description, above, actions }: PageHeaderProps) {
  return (
    <Stack gap={6} mb="lg">
      {above}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Box style={{ minWidth: 0 }}>
          <Title order={2}>{title}</Title>
          {description ? (
            <Text c="dimmed" size="sm" mt={4} component="div">
              {description}
            </Text>
          ) : null}
        </Box>
        {actions ? <Group gap="sm">{actions}</Group> : null}
      </Group>
    </Stack>
  );
}
