import { PermissionLevel } from '../apps/apps.entity.js';

/** Methods that only read: they need the READ level. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A prefix matches the whole path or a path that goes on after a `/`. */
export function pathHasPrefix(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  return (
    path.length === prefix.length || prefix.endsWith('/') || path.charCodeAt(prefix.length) === 47
  );
}

/**
 * The level a request to a product needs: a path under one of its DM prefixes needs
 * READ_WRITE_DM; otherwise reads (GET, HEAD, OPTIONS) need READ and other methods READ_WRITE.
 * The gateway decides every verification with this rule, and the docs show it per endpoint.
 */
export function requiredPermission(
  method: string,
  path: string,
  dmPathPrefixes: readonly string[],
): PermissionLevel {
  for (const prefix of dmPathPrefixes) {
    if (pathHasPrefix(path, prefix)) return PermissionLevel.READ_WRITE_DM;
  }
  return READ_METHODS.has(method) || READ_METHODS.has(method.toUpperCase())
    ? PermissionLevel.READ
    : PermissionLevel.READ_WRITE;
}
