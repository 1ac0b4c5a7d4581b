import type { Logger } from 'pino';
import { AppStatus, PermissionLevel } from '../modules/apps/apps.entity.js';
import { CredentialKind } from '../modules/credentials/credentials.entity.js';
import { GrantStatus } from '../modules/grants/grants.entity.js';
import { EFFECTIVE_GRANTS_VIEW } from '../modules/grants/grants.effective.js';
import type { GatewayDb } from './gateway-db.js';
import { monthStart, type MonthCounters } from './usage-recorder.js';
import { monthRowsSql } from '../modules/usage/usage.read.js';

export const PERMISSION_RANK: Readonly<Record<PermissionLevel, number>> = {
  [PermissionLevel.READ]: 1,
  [PermissionLevel.READ_WRITE]: 2,
  [PermissionLevel.READ_WRITE_DM]: 3,
};

/** A sandbox token of the docs' try-it console (`sandbox_token`), not a credential row. */
export const SANDBOX_KIND = 'SANDBOX';
export type PresentedKind = CredentialKind | typeof SANDBOX_KIND;

/** What a verification needs about one credential, its app, grants and environments. */
export interface CachedCredential {
  readonly credentialId: string;
  readonly kind: PresentedKind;
  /** A sandbox token works for this one product only. */
  readonly onlyProductId?: string | null;
  readonly appId: string;
  readonly organizationId: string;
  readonly revoked: boolean;
  /** End of the grace period (ms), if rotated out. */
  readonly expiresAt: number | null;
  readonly appStatus: AppStatus;
  readonly appDeleted: boolean;
  readonly permission: PermissionLevel;
  /** Latest grant per product (withdrawn requests left out). */
  readonly grants: ReadonlyMap<string, GrantStatus>;
  /** The dev environment the app is attached to, per product. */
  readonly environments: ReadonlyMap<string, { id: string; label: string }>;
  readonly loadedAt: number;
  /** For an OAuth access token: the user on whose behalf the app acts (null: app-only). */
  readonly userId?: string | null;
}

interface CredentialRow {
  id: string;
  kind: PresentedKind;
  only_product_id: string | null;
  revoked: boolean;
  expires_at: Date | null;
  app_id: string;
  organization_id: string;
  status: AppStatus;
  permission_level: PermissionLevel;
  deleted: boolean;
  grants: Record<string, GrantStatus> | null;
  environments: [string, string, string][] | null;
  month_usage: [string, string, string][] | null;
  /** The organization's usage was read for this month. */
}

/**
 * One statement per miss: the credential (or sandbox token: one product, its own level at most
 * the app's, an expiry), its app, the latest grant per product, the app's dev environments, and
 * the organization's usage this month (for the caps).
 */
const LOAD_SQL = `
with c as (
  select id, kind::text as kind, revoked_at, expires_at, app_id, organization_id,
    null::text as only_product_id, null::permission_level as token_level
  from credential where secret_hash = $1
  union all
  select id, '${SANDBOX_KIND}', null, expires_at, app_id, organization_id, product_id, permission_level
  from sandbox_token where secret_hash = $1
)
select c.id, c.kind, c.revoked_at is not null as revoked, c.expires_at, c.app_id,
  c.organization_id, c.only_product_id, a.status,
  least(c.token_level, a.permission_level) as permission_level, a.deleted_at is not null as deleted,
  (select json_object_agg(g.product_id, g.status) from ${EFFECTIVE_GRANTS_VIEW} g
     where g.app_id = c.app_id) as grants,
  (select json_agg(json_build_array(e.id, e.product_id, e.label)) from dev_environment e
     where e.app_id = c.app_id) as environments,
  (select json_agg(json_build_array(m.product_id, m.requests::text, m.units::text)) from (
     select product_id, sum(requests) as requests, sum(units) as units
     from (${monthRowsSql('c.organization_id', '$2')}) u
     group by product_id) m) as month_usage
from c join app a on a.id = c.app_id`;

const NEGATIVE_TTL_MS = 60_000;
/** A hit older than this is served and refreshed in the background. */
const REFRESH_AFTER_MS = 30_000;
const MAX_ENTRIES = 200_000;

interface Negative {
  readonly negativeUntil: number;
}
type Slot = CachedCredential | Negative;

const isNegative = (slot: Slot): slot is Negative => 'negativeUntil' in slot;

/** A query under way for one hash, and when (in ticks) it started. */
interface Loading {
  readonly startedAt: number;
  readonly promise: Promise<CachedCredential | null>;
}

/**
 * Credentials by the SHA-256 of their secret, held in memory (unknown hashes too, for a
 * minute). Evicted per organization when the event bus reports any change in it, so a
 * revocation reaches every instance as fast as its events do. A load racing with an eviction
 * of its organization is used once and not kept.
 */
export class CredentialCache {
  private readonly slots = new Map<string, Slot>();
  private readonly byOrg = new Map<string, Set<string>>();
  private readonly loading = new Map<string, Loading>();
  private tick = 0;
  private readonly evictedAt = new Map<string, number>();
  /** The tick of the latest eviction, whatever its organization. */
  private lastEviction = 0;
  readonly stats = { hits: 0, misses: 0, negativeHits: 0, evictions: 0 };

  constructor(
    private readonly db: GatewayDb,
    private readonly counters: MonthCounters,
    private readonly log: Logger,
  ) {}

  /** The cached answer, or undefined when it must be loaded. */
  peek(hash: string, now: number): CachedCredential | null | undefined {
    const slot = this.slots.get(hash);
    if (slot === undefined) return undefined;
    if (isNegative(slot)) {
      if (slot.negativeUntil > now) {
        this.stats.negativeHits += 1;
        return null;
      }
      this.slots.delete(hash);
      return undefined;
    }
    this.stats.hits += 1;
    if (now - slot.loadedAt > REFRESH_AFTER_MS && !this.loading.has(hash)) {
      void this.load(hash, true).catch((err: unknown) =>
        this.log.warn({ err }, 'background credential refresh failed'),
      );
    }
    return slot;
  }

  /**
   * Loads from the database. Concurrent misses of one hash share one query, unless it started
   * before an eviction: it may have read what the evicting change replaced (a credential just
   * revoked), so a verification that comes after the eviction waits for a query of its own.
   */
  load(hash: string, background = false): Promise<CachedCredential | null> {
    const running = this.loading.get(hash);
    if (running && running.startedAt > this.lastEviction) return running.promise;
    const startedAt = ++this.tick;
    const loading: Loading = {
      startedAt,
      promise: this.fetch(hash, background, startedAt).finally(() => {
        if (this.loading.get(hash) === loading) this.loading.delete(hash);
      }),
    };
    this.loading.set(hash, loading);
    return loading.promise;
  }

  private async fetch(
    hash: string,
    background: boolean,
    startedAt: number,
  ): Promise<CachedCredential | null> {
    if (!background) this.stats.misses += 1;
    const now = Date.now();
    const month = monthStart(now);
    const [row] = await this.db.query<CredentialRow>(LOAD_SQL, [hash, new Date(month)], background);
    if (!row) {
      this.store(hash, { negativeUntil: Date.now() + NEGATIVE_TTL_MS });
      return null;
    }
    const entry: CachedCredential = {
      credentialId: row.id,
      kind: row.kind,
      onlyProductId: row.only_product_id,
      appId: row.app_id,
      organizationId: row.organization_id,
      revoked: row.revoked,
      expiresAt: row.expires_at ? row.expires_at.getTime() : null,
      appStatus: row.status,
      appDeleted: row.deleted,
      permission: row.permission_level,
      grants: new Map(Object.entries(row.grants ?? {})),
      environments: new Map(
        (row.environments ?? []).map(([id, productId, label]) => [productId, { id, label }]),
      ),
      loadedAt: Date.now(),
    };
    const evicted = this.evictedAt.get(row.organization_id) ?? 0;
    if (evicted < startedAt) {
      this.store(hash, entry);
      const hashes = this.byOrg.get(entry.organizationId) ?? new Set<string>();
      hashes.add(hash);
      this.byOrg.set(entry.organizationId, hashes);
      if (!this.counters.has(entry.organizationId, now)) {
        this.counters.load(
          entry.organizationId,
          month,
          (row.month_usage ?? []).map(([productId, requests, units]) => [
            productId,
            Number(requests),
            Number(units),
          ]),
        );
      }
    }
    return entry;
  }

  private store(hash: string, slot: Slot): void {
    this.slots.delete(hash);
    this.slots.set(hash, slot);
    if (this.slots.size > MAX_ENTRIES) {
      const oldest = this.slots.keys().next().value;
      if (oldest !== undefined) this.slots.delete(oldest);
    }
  }

  /** Forgets every credential of the organization (something in it changed). */
  evictOrganization(organizationId: string): void {
    this.lastEviction = ++this.tick;
    this.evictedAt.set(organizationId, this.lastEviction);
    const hashes = this.byOrg.get(organizationId);
    if (!hashes) return;
    this.byOrg.delete(organizationId);
    for (const hash of hashes) this.slots.delete(hash);
    this.stats.evictions += hashes.size;
  }

  clear(): void {
    this.slots.clear();
    this.byOrg.clear();
  }

  get size(): number {
    return this.slots.size;
  }
}
