import type { Context } from '../context.js';
import { prefixOf } from '../ids.js';
import type { Node } from './node.types.js';

type NodeFinder = (ctx: Context, id: string) => Promise<Node | null>;

/**
 * How each node type is fetched by id, with the same access checks as its own queries.
 * A finder returns null (never throws) for an object the viewer may not see.
 */
const finders: Partial<Record<string, NodeFinder>> = {};

export function registerNodeFinder(prefix: string, finder: NodeFinder): void {
  finders[prefix] = finder;
}

export async function findNode(ctx: Context, id: string): Promise<Node | null> {
  const prefix = prefixOf(id);
  const finder = prefix ? finders[prefix] : undefined;
  if (!finder) return null;
  try {
    return await finder(ctx, id);
  } catch {
    return null;
  }
}
