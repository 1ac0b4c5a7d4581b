import { z } from 'zod';
import { badInput } from '../errors.js';

/** Parses input with a zod schema; the first problem becomes a BAD_USER_INPUT naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'input';
  throw badInput(field, issue?.message ?? 'Invalid input.');
}

/** Shared field schemas. */
export const fields = {
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, 'Email is too long.')
    .pipe(z.email('Enter a valid email address.')),
  password: z
    .string()
    .min(10, 'Use at least 10 characters.')
    .max(200, 'Use at most 200 characters.'),
  name: (label: string, max = 100) =>
    z
      .string()
      .trim()
      .min(1, `${label} is required.`)
      .max(max, `${label} must be at most ${max} characters.`),
  optionalText: (label: string, max = 2000) =>
    z.string().trim().max(max, `${label} must be at most ${max} characters.`),
  /** An absolute http(s) URL, or null/empty for none. */
  optionalUrl: (label: string) =>
    z
      .string()
      .trim()
      .max(2048, `${label} is too long.`)
      .nullish()
      .transform((value) => (value ? value : null))
      .refine((value) => value === null || isHttpUrl(value), `${label} must be an http(s) URL.`),
};

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
