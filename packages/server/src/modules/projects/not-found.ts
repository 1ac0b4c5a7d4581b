import { ErrorCode, notFound, PorticoError } from '../../errors.js';

/**
 * Runs an access check, reporting "no such organization" as "no such <what>" on `field`:
 * an object in an organization you cannot see does not exist for you.
 */
export async function hidingAsNotFound<T>(
  what: string,
  field: string,
  check: () => Promise<T>,
): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof PorticoError && error.extensions.code === ErrorCode.NOT_FOUND) {
      throw notFound(what, field);
    }
    throw error;
  }
}
