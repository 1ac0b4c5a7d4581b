import { PermissionLevel } from '../apps/apps.entity.js';

/** The scopes of the API's permission levels, lowest first. */
export const PERMISSION_SCOPES = ['read', 'write', 'dm'] as const;
export type PermissionScope = (typeof PERMISSION_SCOPES)[number];

/** The level a permission scope needs the app to have. */
export const LEVEL_OF_SCOPE: Readonly<Record<PermissionScope, PermissionLevel>> = {
  read: PermissionLevel.READ,
  write: PermissionLevel.READ_WRITE,
  dm: PermissionLevel.READ_WRITE_DM,
};

const RANK: Readonly<Record<PermissionLevel, number>> = {
  [PermissionLevel.READ]: 1,
  [PermissionLevel.READ_WRITE]: 2,
  [PermissionLevel.READ_WRITE_DM]: 3,
};

/** `product:<slug>`: the token is limited to these API products (else: all the app's). */
export const PRODUCT_SCOPE = /^product:[a-z0-9][a-z0-9-]{0,62}$/;
export const productScope = (slug: string): string => `product:${slug}`;

/** Scopes of signing in (OpenID Connect) rather than of calling the API. */
export const IDENTITY_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

/** Every scope the authorization server knows by name (product scopes are matched by pattern). */
export const STATIC_SCOPES: readonly string[] = [...IDENTITY_SCOPES, ...PERMISSION_SCOPES];

/** Permission scopes an app of `level` may ask for: read; read, write; read, write, dm. */
export function permissionScopesUpTo(level: PermissionLevel): PermissionScope[] {
  return PERMISSION_SCOPES.filter((scope) => RANK[LEVEL_OF_SCOPE[scope]] <= RANK[level]);
}

/** The highest level a set of scopes carries, or null when it carries none. */
export function levelOfScopes(scopes: Iterable<string>): PermissionLevel | null {
  let best: PermissionLevel | null = null;
  for (const scope of scopes) {
    const level = LEVEL_OF_SCOPE[scope as PermissionScope] as PermissionLevel | undefined;
    if (level && (!best || RANK[level] > RANK[best])) best = level;
  }
  return best;
}

/** Whether `level` allows at least `needed`. */
export function levelAllows(level: PermissionLevel, needed: PermissionLevel): boolean {
  return RANK[level] >= RANK[needed];
}

/** What a scope lets the app do, in plain words, for the consent page. */
export function describeScope(scope: string): string {
  switch (scope) {
    case 'openid':
      return 'Know who you are on Portico (your account id).';
    case 'profile':
      return 'See your name.';
    case 'email':
      return 'See your email address.';
    case 'offline_access':
      return 'Stay connected when you are not using it (until you revoke it).';
    case 'read':
      return 'Read data through the APIs on your behalf.';
    case 'write':
      return 'Create, change and delete data through the APIs on your behalf.';
    case 'dm':
      return 'Read and send direct messages on your behalf.';
    default:
      if (PRODUCT_SCOPE.test(scope)) return `Use the ${scope.slice(8)} API.`;
      return scope;
  }
}

/** Splits a space-separated scope string (empty parts dropped, duplicates once). */
export function splitScopes(scope: string | null | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter((part) => part !== ''))];
}
