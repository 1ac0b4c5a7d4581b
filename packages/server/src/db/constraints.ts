import { ConstraintViolationException } from '@mikro-orm/core';
import type { PorticoError } from '../errors.js';

/**
 * The typed error each named constraint (a unique index, a foreign key) stands for: e.g.
 * `{ app_org_name_live_unique: () => conflict('name', 'An app with this name …') }`.
 */
export type ConstraintErrors = Readonly<Record<string, () => PorticoError>>;

/** The name of the constraint a database error violated, or null for any other error. */
export function violatedConstraint(error: unknown, names: readonly string[]): string | null {
  if (!isConstraintViolation(error)) return null;
  const reported = (error as { constraint?: unknown }).constraint;
  if (typeof reported === 'string' && names.includes(reported)) return reported;
  return names.find((name) => error.message.includes(`"${name}"`)) ?? null;
}

/**
 * A constraint violation as the ORM reports it from a flush, or as PostgreSQL reports it to a
 * raw statement (SQLSTATE class 23, integrity constraint violation).
 */
function isConstraintViolation(error: unknown): error is Error {
  if (error instanceof ConstraintViolationException) return true;
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('23');
}

/**
 * Runs `work` (usually a transaction) and turns the violation of a named constraint into the
 * typed error given for it, naming the field; every other error goes through unchanged.
 * Services check before they write to give the friendly answer; the constraint settles the
 * races that check cannot see, and this gives them the same answer.
 */
export async function mappingConstraintErrors<T>(
  errors: ConstraintErrors,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const name = violatedConstraint(error, Object.keys(errors));
    const typed = name ? errors[name] : undefined;
    if (typed) throw typed();
    throw error;
  }
}
