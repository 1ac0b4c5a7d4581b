import type { Context, Viewer } from '../context.js';
import { unauthenticated } from '../errors.js';

export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
