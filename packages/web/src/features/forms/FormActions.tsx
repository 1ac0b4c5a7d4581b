import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

interface FormActionsProps {
  /** The submit button's text. */
  submitLabel: ReactNode;
  onCancel: () => void;
  loading?: boolean;
  disabled?: boolean;
  /** A red submit button, for a form that deletes. */
  danger?: boolean;
}

/** A form's Cancel and submit buttons, at its bottom right. */
export function FormActions({
  submitLabel,
  onCancel,
  loading,
  disabled,
  danger,
}: FormActionsProps) {
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button
        type="submit"
        color={danger ? 'red' : undefined}
        disabled={disabled}
        loading={loading}
      >
        {submitLabel}
      </Button>
    </Group>
  );
}
