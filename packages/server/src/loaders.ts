import DataLoader from 'dataloader';
import type { Context } from './context.js';

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
  /** This module's key in every request's scope. */
  const key = {};
  const peek = (ctx: Context): T | undefined => ctx.loaders.get(key) as T | undefined;
  const loaders = (ctx: Context): T => {
    let made = peek(ctx);
    if (made === undefined) {
      made = make(ctx);
      ctx.loaders.set(key, made);
    }
    return made;
  };
  return Object.assign(loaders, { peek });
}

/** `value`, or what it settles to, given to `next`: synchronous when `value` is not a promise. */
export function andThen<T, R>(
  value: T | Promise<T>,
  next: (value: T) => R | Promise<R>,
): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/**
 * A DataLoader that also keeps the values it settled, so that `get` answers a key already
 * loaded with the value itself rather than a promise of it. A list that loads its items'
 * fields before it answers (see `apps/apps.prefetch.ts`) lets those fields answer at once, and
 * graphql-js then completes the items synchronously, without a promise per field.
 */
export class SettledLoader<K, V, C = K> extends DataLoader<K, V, C> {
  readonly #settled = new Map<C, V>();
  /** The load each unsettled key waits on, watched once; a key cleared meanwhile is not kept. */
  readonly #pending = new Map<C, Promise<V>>();
  readonly #cacheKeyOf: (key: K) => C;

  constructor(batch: DataLoader.BatchLoadFn<K, V>, options?: DataLoader.Options<K, V, C>) {
    super(batch, options);
    this.#cacheKeyOf = options?.cacheKeyFn ?? ((key: K) => key as unknown as C);
  }

  override load(key: K): Promise<V> {
    const promise = super.load(key);
    const cacheKey = this.#cacheKeyOf(key);
    if (!this.#settled.has(cacheKey) && !this.#pending.has(cacheKey)) {
      this.#pending.set(cacheKey, promise);
      const current = () => this.#pending.get(cacheKey) === promise;
      promise.then(
        (value) => {
          if (!current()) return;
          this.#pending.delete(cacheKey);
          this.#settled.set(cacheKey, value);
        },
        // A failure stays with the promise: whoever awaits it sees it.
        () => {
          if (current()) this.#pending.delete(cacheKey);
        },
      );
    }
    return promise;
  }

  /** The value of `key` if it settled, else a promise of it (as `load`). */
  get(key: K): V | Promise<V> {
    const cacheKey = this.#cacheKeyOf(key);
    return this.#settled.has(cacheKey) ? (this.#settled.get(cacheKey) as V) : this.load(key);
  }

  override clear(key: K): this {
    const cacheKey = this.#cacheKeyOf(key);
    this.#settled.delete(cacheKey);
    this.#pending.delete(cacheKey);
    return super.clear(key);
  }

  override clearAll(): this {
    this.#settled.clear();
    this.#pending.clear();
    return super.clearAll();
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    super.prime(key, value);
    if (!(value instanceof Error)) void this.load(key);
    return this;
  }
}
