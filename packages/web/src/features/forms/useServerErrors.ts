import type { UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import { mapServerErrors } from './serverErrors';

function fieldPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return prefix ? [prefix] : [];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  const nested = entries.flatMap(([key, item]) =>
    fieldPaths(item, prefix ? `${prefix}.${key}` : key),
  );
  return prefix ? [prefix, ...nested] : nested;
}

export interface ServerErrorsApi {
  /** A message for the form-level alert, or null. */
  formError: string | null;
  /** Puts a failed operation's errors on the form: field errors on fields, the rest in formError. */
  apply(error: unknown): void;
  clear(): void;
}

/**
 * Connects a Mantine form to server errors: `extensions.field` lands next to the field of the
 * same name (or path), anything else in `formError`.
 */
export function useServerErrors<Values extends object>(
  form: UseFormReturnType<Values>,
  aliases: Readonly<Record<string, string>> = {},
): ServerErrorsApi {
  const [formError, setFormError] = useState<string | null>(null);
  const apply = (error: unknown): void => {
    const mapped = mapServerErrors(error, fieldPaths(form.getValues()), aliases);
    form.setErrors(mapped.fieldErrors);
    setFormError(mapped.formError);
  };
  const clear = (): void => {
    form.clearErrors();
    setFormError(null);
  };
  return { formError, apply, clear };
}
