import type { Viewer } from '../../context.js';
import { detachedEntity } from '../../db/rows.js';

/** The detached copy of each viewer (its stream and its subscription keep the same one). */
const copies = new WeakMap<Viewer, Viewer>();

/**
 * The viewer as a live subscription keeps it for its whole life: the same user, sign-in and
 * permissions, but a user that belongs to no EntityManager (see `detachedEntity`), so that an
 * open subscription does not hold the fork that signed it in, with its identity map.
 */
export function detachedViewer(viewer: Viewer): Viewer {
  let copy = copies.get(viewer);
  if (!copy) {
    copy = { ...viewer, user: detachedEntity(viewer.user) };
    copies.set(viewer, copy);
    copies.set(copy, copy);
  }
  return copy;
}
