import { requireViewer } from '../../auth/permissions.js';
import { PlatformRole } from '../../auth/roles.js';
import type { Context, Viewer } from '../../context.js';
import { forbidden } from '../../errors.js';

/**
 * Every staff console operation checks this in its service, besides `@Access('STAFF')` on the
 * operation: the HTTP exports have no GraphQL rule, and services may be called from elsewhere.
 */
export function requireStaff(ctx: Context): Viewer {
  const viewer = requireViewer(ctx);
  if (viewer.user.platformRole !== PlatformRole.STAFF) throw forbidden('Staff only.');
  return viewer;
}
