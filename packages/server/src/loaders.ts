import type { Context, LoaderScope } from './context.js';

export function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id) ?? null);
}

export function groupBy<T>(rows: T[], keys: readonly string[], keyOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((key) => map.get(key) ?? []);
}

/**
 * DataLoader options for the loaders of fields that several branches of one query reach (an
 * app's credentials, grants and usage, through its project's list and through the standalone
 * list): the batch waits for the end of the event loop's turn rather than for the end of the
 * microtask queue, so branches that become ready in the same turn share one statement, however
 * many promise steps each took to get there.
 */
export const batchPerTurn = {
  batchScheduleFn: (dispatch: () => void) => void setImmediate(dispatch),
} as const;

/** A module's per-request loaders: `loaders(ctx)` makes them on first use in the request. */
export interface PerRequest<T> {
  (ctx: Context): T;
  /** The loaders already made in this request, if any (e.g. to forget entries). */
  peek(ctx: Context): T | undefined;
}

/**
 * Declares a module's per-request loaders (DataLoaders that batch one kind of lookup into a
 * single SQL statement). They are kept with the request's loader scope, so a new scope (for
 * example after signing in, when the viewer changes) makes them anew.
 */
export function perRequest<T>(make: (ctx: Context) => T): PerRequest<T> {
  const byScope = new WeakMap<LoaderScope, T>();
  const loaders = (ctx: Context): T => {
    let made = byScope.get(ctx.loaders);
    if (made === undefined) {
      made = make(ctx);
      byScope.set(ctx.loaders, made);
    }
    return made;
  };
  return Object.assign(loaders, { peek: (ctx: Context) => byScope.get(ctx.loaders) });
}
