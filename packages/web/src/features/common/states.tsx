import { Alert, Button, Card, EmptyState, Group, Skeleton, Stack } from '@mantine/core';
import { IconAlertTriangle, IconMoodEmpty } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { errorMessage } from '../forms/serverErrors';

interface QueryErrorProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** The error state of a page or section whose query failed. */
export function QueryError({
  error,
  title = 'Could not load this page',
  onRetry,
}: QueryErrorProps) {
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle size={18} />}>
      <Stack gap="sm" align="flex-start">
        <span>{errorMessage(error)}</span>
        {onRetry ? (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

interface EmptyProps {
  title: string;
  description?: ReactNode;
  icon?: ReactNode;
  actions?: ReactNode;
}

export function Empty({ title, description, icon, actions }: EmptyProps) {
  return (
    <Card padding="xl">
      <EmptyState
        title={title}
        description={description}
        icon={icon ?? <IconMoodEmpty size={28} />}
        variant="light"
        py="lg"
      >
        {actions ? (
          <EmptyState.Actions>
            <Group gap="sm" justify="center">
              {actions}
            </Group>
          </EmptyState.Actions>
        ) : null}
      </EmptyState>
    </Card>
  );
}

/** Placeholder rows while a page loads. */
export function PageSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading">
      <Skeleton height={32} width="40%" radius="sm" />
      <Skeleton height={14} width="60%" radius="sm" />
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={96} radius="md" />
      ))}
    </Stack>
  );
}

export function TableSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={36} radius="sm" />
      ))}
    </Stack>
  );
}

export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
      {message}
    </Alert>
  );
}
