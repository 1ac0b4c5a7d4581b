/**
 * A copy of an entity of scalar properties only (as `User`) that belongs to no
 * EntityManager: an entity keeps the EntityManager that loaded it (and everything that one
 * holds) alive, which something kept for a long time, as a live subscription's viewer, must
 * not. The copy is of the same class with the same values, held as plain properties (no
 * change tracking: it is never flushed).
 */
export function detachedEntity<T extends object>(entity: T): T {
  const copy = Object.create(Object.getPrototypeOf(entity) as object) as T;
  for (const [key, value] of Object.entries(entity)) {
    if (value === undefined) continue;
    Object.defineProperty(copy, key, { value, writable: true, enumerable: true });
  }
  return copy;
}
