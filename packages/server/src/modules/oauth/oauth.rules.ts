import { PermissionLevel } from '../apps/apps.entity.js';
import { levelAllows, levelOfScopes, PRODUCT_SCOPE } from './oauth.scopes.js';

/** What the rules need to know about an app (see `OAuthClientApp`). */
export interface AppForTokens {
  permissionLevel: PermissionLevel;
  threeLeggedOAuth: boolean;
  requestEmail: boolean;
  productSlugs: readonly string[];
}

/** Why an app may no longer use a token it holds (or may not be given one). */
export type TokenRefusal =
  'oauth_off' | 'permission_lowered' | 'product_not_granted' | 'email_not_allowed';

export const REFUSAL_MESSAGES: Readonly<Record<TokenRefusal, string>> = {
  oauth_off: 'The app does not have 3-legged OAuth on.',
  permission_lowered: "The scope asks for more than the app's permission level allows.",
  product_not_granted: 'The scope names an API product the app is not granted.',
  email_not_allowed: 'The app does not request email addresses.',
};

/**
 * Whether the app may hold a token with `scopes` (on behalf of a user when `onBehalfOfUser`)
 * as it is now: a token never carries more than both the app's permission level and its granted
 * products allow. The same rule answers introspection, the gateway, and new requests.
 */
export function tokenRefusal(
  app: AppForTokens,
  token: { onBehalfOfUser: boolean; scopes: Iterable<string> },
): TokenRefusal | null {
  if (token.onBehalfOfUser && !app.threeLeggedOAuth) return 'oauth_off';
  const scopes = [...token.scopes];
  const level = levelOfScopes(scopes);
  if (level && !levelAllows(app.permissionLevel, level)) return 'permission_lowered';
  const granted = new Set(app.productSlugs);
  for (const scope of scopes) {
    if (PRODUCT_SCOPE.test(scope) && !granted.has(scope.slice(8))) return 'product_not_granted';
  }
  if (token.onBehalfOfUser && scopes.includes('email') && !app.requestEmail) {
    return 'email_not_allowed';
  }
  return null;
}
