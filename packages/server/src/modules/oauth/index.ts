export { AuthorizationServer, isOAuthPath, CONSENT_PATH, OAUTH_ROUTES } from './oauth.provider.js';
export { consentRouter } from './oauth.http.js';
export { deleteExpiredRecords } from './oauth.adapter.js';
export { signingKeyIsDue, rotateSigningKey } from './oauth.keys.js';
import { AppKeyResolver, AppKeysResolver, OAuthAuthorizationResolver } from './oauth.resolver.js';

export const oauthResolvers: Function[] = [
  OAuthAuthorizationResolver,
  AppKeyResolver,
  AppKeysResolver,
];
