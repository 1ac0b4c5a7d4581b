import { importJWK, jwtVerify, errors as joseErrors, type CryptoKey, type JWK } from 'jose';
import type { Logger } from 'pino';
import { AppStatus, PermissionLevel } from '../modules/apps/apps.entity.js';
import { CredentialKind } from '../modules/credentials/credentials.entity.js';
import { GrantStatus } from '../modules/grants/grants.entity.js';
import { EFFECTIVE_GRANTS_VIEW } from '../modules/grants/grants.effective.js';
import { tokenRefusal } from '../modules/oauth/oauth.rules.js';
import { levelOfScopes, PRODUCT_SCOPE, splitScopes } from '../modules/oauth/oauth.scopes.js';
import type { CachedCredential } from './credential-cache.js';
import { monthRowsSql } from '../modules/usage/usage.read.js';
import type { GatewayDb } from './gateway-db.js';
import { monthStart, type MonthCounters } from './usage-recorder.js';

/** Whether a bearer token is shaped like a JWT (base64url JSON header, three parts). */
export function looksLikeJwt(token: string): boolean {
  if (!token.startsWith('eyJ')) return false;
  const first = token.indexOf('.');
  return first > 0 && token.indexOf('.', first + 1) > first && token.split('.').length === 3;
}

/** Why a JWT access token is refused before its app is looked at (a subset of the deny codes). */
export type AccessTokenDenial =
  'unknown_credential' | 'expired_credential' | 'malformed_credential' | 'insufficient_permission';

export type AccessTokenResult =
  { ok: true; credential: CachedCredential } | { ok: false; code: AccessTokenDenial };

interface StateRow {
  id: string;
  stopped: boolean;
  app_id: string;
  organization_id: string;
  status: AppStatus;
  permission_level: PermissionLevel;
  deleted: boolean;
  three_legged_oauth: boolean;
  request_email: boolean;
  live: boolean;
  grants: Record<string, GrantStatus> | null;
  slugs: Record<string, string> | null;
  environments: [string, string, string][] | null;
  month_usage: [string, string, string][] | null;
}

/**
 * One statement per token: the OAuth client credential and its app, the app's grants (with
 * the products' slugs, for product scopes), environments and this month's usage, and whether
 * the token is still recorded (not revoked).
 */
const STATE_SQL = `
select c.id, (c.revoked_at is not null or (c.expires_at is not null and c.expires_at <= now())) as stopped,
  c.app_id, c.organization_id, a.status, a.permission_level, a.deleted_at is not null as deleted,
  a.three_legged_oauth, a.request_email,
  exists(select 1 from oauth_record r where r.kind in ('AccessToken', 'ClientCredentials')
    and r.id = $2 and (r.expires_at is null or r.expires_at > now())) as live,
  (select json_object_agg(g.product_id, g.status) from ${EFFECTIVE_GRANTS_VIEW} g
     where g.app_id = c.app_id) as grants,
  (select json_object_agg(p.id, p.slug) from ${EFFECTIVE_GRANTS_VIEW} g
     join api_product p on p.id = g.product_id where g.app_id = c.app_id) as slugs,
  (select json_agg(json_build_array(e.id, e.product_id, e.label)) from dev_environment e
     where e.app_id = c.app_id) as environments,
  (select json_agg(json_build_array(m.product_id, m.requests::text, m.units::text)) from (
     select product_id, sum(requests) as requests, sum(units) as units
     from (${monthRowsSql('c.organization_id', '$3')}) u
     group by product_id) m) as month_usage
from credential c join app a on a.id = c.app_id
where c.public_id = $1 and c.kind = '${CredentialKind.OAUTH2_CLIENT}'`;

interface Claims {
  jti: string;
  clientId: string;
  sub: string;
  exp: number;
  scopes: string[];
}

type Slot = { result: AccessTokenResult; organizationId: string | null; until: number };

const MAX_ENTRIES = 100_000;
const KEY_RELOAD_MIN_MS = 1_000;

/**
 * OAuth access tokens (ES256 JWTs the authorization server signed) for `/v1/verify`: checked
 * offline against the signing keys, then the token's state (revoked or not, its app as it is
 * now) read once and cached until the token expires or its organization changes.
 */
export class OAuthAccessTokens {
  private keys = new Map<string, CryptoKey>();
  private keysLoadedAt = 0;
  private keyLoad: Promise<void> | null = null;
  private readonly slots = new Map<string, Slot>();
  private readonly byOrg = new Map<string, Set<string>>();
  private readonly evictedAt = new Map<string, number>();
  private tick = 0;
  issuer: string | null = null;

  constructor(
    private readonly db: GatewayDb,
    private readonly counters: MonthCounters,
    private readonly log: Logger,
  ) {}

  /** Reads the published signing keys again (after a rotation, or for an unknown kid). */
  reloadKeys(): Promise<void> {
    this.keyLoad ??= this.readKeys().finally(() => {
      this.keyLoad = null;
    });
    return this.keyLoad;
  }

  private async readKeys(): Promise<void> {
    const rows = await this.db.query<{ kid: string; public_jwk: JWK }>(
      `select kid, public_jwk from oauth_signing_key where expires_at is null or expires_at > now()`,
      [],
      true,
    );
    const keys = new Map<string, CryptoKey>();
    for (const row of rows) {
      try {
        keys.set(row.kid, (await importJWK(row.public_jwk, 'ES256')) as CryptoKey);
      } catch (err) {
        this.log.warn({ err, kid: row.kid }, 'an OAuth signing key could not be read');
      }
    }
    this.keys = keys;
    this.keysLoadedAt = Date.now();
  }

  private async keyFor(kid: string | undefined): Promise<CryptoKey | null> {
    if (!kid) return null;
    const key = this.keys.get(kid);
    if (key) return key;
    if (Date.now() - this.keysLoadedAt >= KEY_RELOAD_MIN_MS) await this.reloadKeys();
    return this.keys.get(kid) ?? null;
  }

  private async verify(token: string): Promise<Claims | AccessTokenDenial> {
    if (!this.issuer) return 'unknown_credential';
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = await this.keyFor(header.kid);
          if (!key) throw new joseErrors.JWKSNoMatchingKey();
          return key;
        },
        {
          issuer: this.issuer,
          audience: `${this.issuer}/v1`,
          algorithms: ['ES256'],
          typ: 'at+jwt',
        },
      );
      if (
        typeof payload.jti !== 'string' ||
        typeof payload.client_id !== 'string' ||
        typeof payload.exp !== 'number'
      ) {
        return 'malformed_credential';
      }
      return {
        jti: payload.jti,
        clientId: payload.client_id,
        sub: typeof payload.sub === 'string' ? payload.sub : payload.client_id,
        exp: payload.exp,
        scopes: splitScopes(typeof payload.scope === 'string' ? payload.scope : ''),
      };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return 'expired_credential';
      if (err instanceof joseErrors.JWKSNoMatchingKey) return 'unknown_credential';
      return 'malformed_credential';
    }
  }

  /** The credential a JWT access token stands for, or why it is refused. */
  async resolve(token: string): Promise<AccessTokenResult> {
    const claims = await this.verify(token);
    if (typeof claims === 'string') return { ok: false, code: claims };
    const now = Date.now();
    const slot = this.slots.get(claims.jti);
    if (slot && slot.until > now) return slot.result;
    const startedAt = ++this.tick;
    const { result, organizationId } = await this.load(claims, now);
    const evicted = organizationId ? (this.evictedAt.get(organizationId) ?? 0) : 0;
    if (evicted < startedAt)
      this.store(claims.jti, { result, organizationId, until: claims.exp * 1000 });
    return result;
  }

  private async load(
    claims: Claims,
    now: number,
  ): Promise<{ result: AccessTokenResult; organizationId: string | null }> {
    const month = monthStart(now);
    const [row] = await this.db.query<StateRow>(STATE_SQL, [
      claims.clientId,
      claims.jti,
      new Date(month),
    ]);
    if (!row) return { result: { ok: false, code: 'unknown_credential' }, organizationId: null };
    if (!this.counters.has(row.organization_id, now)) {
      this.counters.load(
        row.organization_id,
        month,
        (row.month_usage ?? []).map(([productId, requests, units]) => [
          productId,
          Number(requests),
          Number(units),
        ]),
      );
    }
    const organizationId = row.organization_id;
    const level = levelOfScopes(claims.scopes);
    if (!level) return { result: { ok: false, code: 'insufficient_permission' }, organizationId };
    const slugs = row.slugs ?? {};
    const approved = Object.entries(row.grants ?? {})
      .filter(([, status]) => status === GrantStatus.APPROVED)
      .map(([productId]) => slugs[productId])
      .filter((slug): slug is string => typeof slug === 'string');
    const onBehalfOfUser = claims.sub !== claims.clientId;
    const refused =
      tokenRefusal(
        {
          permissionLevel: row.permission_level,
          threeLeggedOAuth: row.three_legged_oauth,
          requestEmail: row.request_email,
          productSlugs: approved,
        },
        { onBehalfOfUser, scopes: claims.scopes },
      ) !== null;
    // A token naming products is good for those only; else for every product of the app.
    const named = new Set(
      claims.scopes.filter((scope) => PRODUCT_SCOPE.test(scope)).map((scope) => scope.slice(8)),
    );
    const grants = new Map(
      Object.entries(row.grants ?? {}).filter(
        ([productId]) => named.size === 0 || named.has(slugs[productId] ?? ''),
      ),
    );
    const credential: CachedCredential = {
      credentialId: row.id,
      kind: CredentialKind.OAUTH2_CLIENT,
      appId: row.app_id,
      organizationId,
      revoked: row.stopped || !row.live || refused,
      expiresAt: claims.exp * 1000,
      appStatus: row.status,
      appDeleted: row.deleted,
      permission: level,
      grants,
      environments: new Map(
        (row.environments ?? []).map(([id, productId, label]) => [productId, { id, label }]),
      ),
      loadedAt: now,
      userId: onBehalfOfUser ? claims.sub : null,
    };
    return { result: { ok: true, credential }, organizationId };
  }

  private store(jti: string, slot: Slot): void {
    this.slots.set(jti, slot);
    if (slot.organizationId) {
      const jtis = this.byOrg.get(slot.organizationId) ?? new Set<string>();
      jtis.add(jti);
      this.byOrg.set(slot.organizationId, jtis);
    }
    if (this.slots.size > MAX_ENTRIES) {
      const oldest = this.slots.keys().next().value;
      if (oldest !== undefined) this.slots.delete(oldest);
    }
  }

  /** Forgets the tokens of the organization (something in it changed). */
  evictOrganization(organizationId: string): void {
    this.evictedAt.set(organizationId, ++this.tick);
    const jtis = this.byOrg.get(organizationId);
    if (!jtis) return;
    this.byOrg.delete(organizationId);
    for (const jti of jtis) this.slots.delete(jti);
  }
}
