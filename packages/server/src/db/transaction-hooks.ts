import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context.js';

/** Work another module does inside the transaction of a change, and what it reports back. */
export type TransactionHandler<E, R> = (em: EntityManager, ctx: Context, event: E) => Promise<R>;

/**
 * A point in a module's change where modules above it take part, in the same transaction:
 * the module below declares the hook, the module above registers a handler when it loads
 * (e.g. the apps module moves a leaving member's apps to the heir). This keeps the import
 * direction downward while the change stays one transaction.
 */
export interface TransactionHook<E, R = void> {
  register(handler: TransactionHandler<E, R>): void;
  /** Runs every registered handler in registration order; returns what each reported. */
  run(em: EntityManager, ctx: Context, event: E): Promise<R[]>;
}

export function transactionHook<E, R = void>(): TransactionHook<E, R> {
  const handlers: TransactionHandler<E, R>[] = [];
  return {
    register(handler) {
      if (!handlers.includes(handler)) handlers.push(handler);
    },
    async run(em, ctx, event) {
      const reports: R[] = [];
      for (const handler of handlers) reports.push(await handler(em, ctx, event));
      return reports;
    },
  };
}
