import type DataLoader from 'dataloader';

/** What field resolvers need of a MikroORM `Ref<T>` to an entity with a string id. */
interface EntityRef<T> {
  readonly id: string;
  isInitialized(): boolean;
  unwrap(): T;
}

/**
 * The entity behind a many-to-one reference: the already-loaded entity when the request's
 * identity map holds it (no query), otherwise through the request's batching loader.
 */
export async function loadReference<T extends object>(
  ref: EntityRef<T>,
  loader: DataLoader<string, T | null>,
): Promise<T | null> {
  return referenced(ref, loader);
}

/**
 * `loadReference` for a field resolver: the loaded entity itself, not a promise of it, when
 * there is one, so that graphql-js completes the field synchronously.
 */
export function referenced<T extends object>(
  ref: EntityRef<T>,
  loader: DataLoader<string, T | null>,
): T | null | Promise<T | null> {
  if (ref.isInitialized()) return ref.unwrap();
  return loader.load(ref.id);
}
