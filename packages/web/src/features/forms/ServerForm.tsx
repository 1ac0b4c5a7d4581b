import { Stack, type MantineSpacing } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { FormAlert } from '../common/states';

interface ServerFormProps {
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void;
  /** The form-level server error (useServerErrors' formError), shown above the fields. */
  error: string | null;
  gap?: MantineSpacing;
  children: ReactNode;
}

/** A form validated by the server: its form-level error on top, then its fields in a stack. */
export function ServerForm({ onSubmit, error, gap = 'md', children }: ServerFormProps) {
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap={gap}>
        <FormAlert message={error} />
        {children}
      </Stack>
    </form>
  );
}
