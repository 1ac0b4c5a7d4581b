import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import type { Connection } from '../../graphql/connection.js';
import { selectedFields } from '../../graphql/selection.js';
import type { Context } from '../../context.js';
import type { App } from './apps.entity.js';

/** The fields a query selects on the apps of a list, by name (see `selectedFields`). */
export type AppSelection = ReadonlyMap<string, readonly FieldNode[]>;

/**
 * What a module loads ahead for the apps of a list when the query selects one of its fields on
 * them (an app's credentials, grants, usage): a promise that settles once its loader holds the
 * values, or null when none of its fields is selected.
 */
export type AppsPrefetch = (
  ctx: Context,
  apps: readonly App[],
  selected: AppSelection,
  info: GraphQLResolveInfo,
) => Promise<unknown> | null;

const prefetches: AppsPrefetch[] = [];

/**
 * Declares a module's prefetch for app lists. Modules after apps (credentials, grants, usage)
 * add fields to App; they register here, so that apps lists need not import them.
 */
export function prefetchForAppLists(prefetch: AppsPrefetch): void {
  prefetches.push(prefetch);
}

/**
 * Loads, in one statement per kind for every list answering in the same turn, what the fields
 * the query selects on `apps` will ask for, before the list answers. Those fields then answer
 * from their loaders at once (values, not promises: see `SettledLoader`), and graphql-js
 * completes the apps synchronously. A failed load is left for the field that needs it to
 * report, as it would without the prefetch.
 */
export async function withAppFields(
  ctx: Context,
  apps: App[],
  info: GraphQLResolveInfo,
  selected: AppSelection = selectedFields(info),
): Promise<App[]> {
  if (apps.length === 0 || prefetches.length === 0) return apps;
  const loads: Promise<unknown>[] = [];
  for (const prefetch of prefetches) {
    const load = prefetch(ctx, apps, selected, info);
    if (load) loads.push(load);
  }
  if (loads.length > 0) await Promise.allSettled(loads);
  return apps;
}

/** `withAppFields` for a page of apps: the fields selected on its nodes and its edges' nodes. */
export async function withAppPageFields(
  ctx: Context,
  page: Connection<App>,
  info: GraphQLResolveInfo,
): Promise<Connection<App>> {
  const selected = new Map<string, FieldNode[]>();
  for (const path of [['nodes'], ['edges', 'node']]) {
    for (const [name, fields] of selectedFields(info, path)) {
      selected.set(name, [...(selected.get(name) ?? []), ...fields]);
    }
  }
  await withAppFields(ctx, page.nodes, info, selected);
  return page;
}
