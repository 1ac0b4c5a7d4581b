import type { EntityManager } from '@mikro-orm/postgresql';
import { AppStatus, PermissionLevel } from '../apps/apps.entity.js';
import { CredentialKind } from '../credentials/credentials.entity.js';
import { EFFECTIVE_GRANTS_VIEW } from '../grants/grants.effective.js';
import { SIGNING_ALG } from './oauth.keys.js';
import { permissionScopesUpTo, productScope } from './oauth.scopes.js';

/** What the authorization server needs to know about the app behind a client id. */
export interface OAuthClientApp {
  clientId: string;
  credentialId: string;
  secretHash: string;
  /** End of the secret's grace period (rotated out), if any. */
  secretExpiresAt: Date | null;
  appId: string;
  organizationId: string;
  name: string;
  websiteUrl: string | null;
  iconUrl: string | null;
  termsOfServiceUrl: string | null;
  privacyPolicyUrl: string | null;
  organizationName: string | null;
  callbackUrls: string[];
  permissionLevel: PermissionLevel;
  threeLeggedOAuth: boolean;
  requestEmail: boolean;
  /** Slugs of the products the app is granted (approved). */
  productSlugs: string[];
  /** Public JWKs of its app keys, and JWKS URLs, for private_key_jwt. */
  jwks: Record<string, unknown>[];
  jwksUrls: string[];
}

interface ClientRow {
  public_id: string;
  credential_id: string;
  secret_hash: string;
  expires_at: Date | null;
  app_id: string;
  organization_id: string;
  name: string;
  website_url: string | null;
  icon_url: string | null;
  terms_of_service_url: string | null;
  privacy_policy_url: string | null;
  organization_name: string | null;
  callback_urls: string[];
  permission_level: PermissionLevel;
  three_legged_oauth: boolean;
  request_email: boolean;
  products: string[] | null;
  jwks: Record<string, unknown>[] | null;
  jwks_urls: string[] | null;
}

/**
 * The working OAuth 2.0 client credential `clientId` and its app, or null: unknown, revoked or
 * past its grace period, or an app that is not ACTIVE (pending, rejected, suspended, deleted).
 * One statement.
 */
export async function findClientApp(
  em: EntityManager,
  clientId: string,
): Promise<OAuthClientApp | null> {
  const rows = await em.getConnection().execute<ClientRow[]>(
    `select c.public_id, c.id as credential_id, c.secret_hash, c.expires_at, a.id as app_id,
       a.organization_id, a.name, a.website_url, a.icon_url, a.terms_of_service_url,
       a.privacy_policy_url, a.organization_name, a.callback_urls, a.permission_level,
       a.three_legged_oauth, a.request_email,
       (select array_agg(p.slug order by p.slug) from ${EFFECTIVE_GRANTS_VIEW} g
          join api_product p on p.id = g.product_id
          where g.app_id = a.id and g.status = 'APPROVED') as products,
       (select json_agg(k.public_jwk order by k.created_at) from app_key k
          where k.app_id = a.id and k.removed_at is null and k.public_jwk is not null) as jwks,
       (select array_agg(k.jwks_url order by k.created_at) from app_key k
          where k.app_id = a.id and k.removed_at is null and k.jwks_url is not null) as jwks_urls
     from credential c join app a on a.id = c.app_id
     where c.public_id = ? and c.kind = ? and c.revoked_at is null
       and (c.expires_at is null or c.expires_at > now())
       and a.deleted_at is null and a.status = ?`,
    [clientId, CredentialKind.OAUTH2_CLIENT, AppStatus.ACTIVE],
    'all',
    em.getTransactionContext(),
  );
  const row = rows[0];
  if (!row) return null;
  return {
    clientId: row.public_id,
    credentialId: row.credential_id,
    secretHash: row.secret_hash,
    secretExpiresAt: row.expires_at,
    appId: row.app_id,
    organizationId: row.organization_id,
    name: row.name,
    websiteUrl: row.website_url,
    iconUrl: row.icon_url,
    termsOfServiceUrl: row.terms_of_service_url,
    privacyPolicyUrl: row.privacy_policy_url,
    organizationName: row.organization_name,
    callbackUrls: row.callback_urls,
    permissionLevel: row.permission_level,
    threeLeggedOAuth: row.three_legged_oauth,
    requestEmail: row.request_email,
    productSlugs: row.products ?? [],
    jwks: row.jwks ?? [],
    jwksUrls: row.jwks_urls ?? [],
  };
}

/** The scopes the app may ask for: its permission level, its products, and sign-in scopes. */
export function allowedScopes(app: OAuthClientApp): string[] {
  const scopes: string[] = [...permissionScopesUpTo(app.permissionLevel)];
  scopes.push(...app.productSlugs.map(productScope));
  if (app.threeLeggedOAuth) {
    scopes.push('openid', 'profile', 'offline_access');
    if (app.requestEmail) scopes.push('email');
  }
  return scopes;
}

/** Web addresses the library accepts as client metadata links (http(s) only). */
function link(url: string | null): string | undefined {
  return url && /^https?:\/\//.test(url) ? url : undefined;
}

/**
 * The client metadata (RFC 7591 names) of the app, as oidc-provider takes it. `client_secret`
 * is the SHA-256 of the secret: the server compares hashes (see the provider set-up), so the
 * secret itself is stored nowhere. An app with public keys authenticates with them instead.
 */
export function clientMetadata(app: OAuthClientApp): Record<string, unknown> {
  const withKeys = app.jwks.length > 0 || app.jwksUrls.length > 0;
  const threeLegged = app.threeLeggedOAuth && app.callbackUrls.length > 0;
  return {
    client_id: app.clientId,
    client_secret: app.secretHash,
    client_secret_expires_at: app.secretExpiresAt
      ? Math.floor(app.secretExpiresAt.getTime() / 1000)
      : 0,
    client_name: app.name,
    client_uri: link(app.websiteUrl),
    logo_uri: link(app.iconUrl),
    tos_uri: link(app.termsOfServiceUrl),
    policy_uri: link(app.privacyPolicyUrl),
    grant_types: threeLegged
      ? ['authorization_code', 'refresh_token', 'client_credentials']
      : ['client_credentials'],
    response_types: threeLegged ? ['code'] : [],
    redirect_uris: threeLegged ? app.callbackUrls : [],
    post_logout_redirect_uris: threeLegged ? app.callbackUrls : [],
    token_endpoint_auth_method: withKeys ? 'private_key_jwt' : 'client_secret_basic',
    ...(withKeys
      ? app.jwksUrls.length > 0 && app.jwks.length === 0
        ? { jwks_uri: app.jwksUrls[0] }
        : { jwks: { keys: app.jwks } }
      : {}),
    id_token_signed_response_alg: SIGNING_ALG,
    scope: allowedScopes(app).join(' '),
    portico_app_id: app.appId,
    portico_organization_id: app.organizationId,
  };
}
