import { hasValidChecksum, sha256 } from '../crypto.js';
import { GATEWAY_TOKEN_PREFIX } from '../modules/gateway-tokens/gateway-tokens.entity.js';
import type { GatewayCatalog } from './catalog.js';
import type { GatewayDb } from './gateway-db.js';
import {
  keepLatest,
  monthStart,
  prepareKey,
  type MonthCounters,
  type PreparedKey,
  type UsageWriter,
} from './usage-recorder.js';

const TOKEN_TTL_MS = 60_000;

/** Gateway tokens by hash (known and unknown), cleared on any `gateway` event. */
export class GatewayTokens {
  private readonly known = new Map<string, { id: string | null; until: number }>();
  private lastUsed = new Map<string, number>();

  constructor(private readonly db: GatewayDb) {}

  /** The id of the live gateway token, or null. */
  async authenticate(token: string): Promise<string | null> {
    if (!hasValidChecksum(token, GATEWAY_TOKEN_PREFIX)) return null;
    const hash = sha256(token);
    const now = Date.now();
    let slot = this.known.get(hash);
    if (!slot || slot.until <= now) {
      const [row] = await this.db.query<{ id: string }>(
        'select id from gateway_token where token_hash = $1 and revoked_at is null',
        [hash],
      );
      slot = { id: row?.id ?? null, until: now + TOKEN_TTL_MS };
      this.known.set(hash, slot);
    }
    if (slot.id) this.lastUsed.set(slot.id, now);
    return slot.id;
  }

  clear(): void {
    this.known.clear();
  }

  takeLastUsed(): Map<string, number> {
    const taken = this.lastUsed;
    this.lastUsed = new Map();
    return taken;
  }

  restoreLastUsed(lastUsed: Map<string, number>): void {
    keepLatest(this.lastUsed, lastUsed);
  }
}

export const MAX_EVENTS = 10_000;
const MAX_ERRORS = 50;
const PAST_LIMIT_MS = 7 * 86_400_000;
const FUTURE_LIMIT_MS = 5 * 60_000;
const ID = /^[a-z]{2,5}_[0-9A-Za-z]{1,64}$/;

export interface EventError {
  index: number;
  field: string;
  message: string;
}

interface ValidEvent {
  index: number;
  credentialId: string | null;
  appId: string | null;
  productId: string;
  status: number;
  responseTimeMs: number;
  units: number;
  time: number;
}

export type ReportResult =
  | { ok: true; accepted: number }
  | { ok: false; code: 'bad_request' | 'invalid_events'; message: string; errors: EventError[] };

/** An app as reports need it, with the usage keys of its credentials made once. */
class AppInfo {
  /** product id → credential id → key */
  private readonly keys = new Map<string, Map<string, PreparedKey>>();

  constructor(
    readonly id: string,
    readonly organizationId: string,
    /** product id → dev environment id */
    private readonly environments: Map<string, string>,
    readonly until: number,
  ) {}

  /** The usage key of a credential of the app ('' for none) on a product. */
  keyOf(productId: string, credentialId: string): PreparedKey {
    let ofProduct = this.keys.get(productId);
    if (!ofProduct) {
      ofProduct = new Map();
      this.keys.set(productId, ofProduct);
    }
    let key = ofProduct.get(credentialId);
    if (!key) {
      key = prepareKey({
        organizationId: this.organizationId,
        appId: this.id,
        productId,
        credentialId,
        environmentId: this.environments.get(productId) ?? '',
      });
      ofProduct.set(credentialId, key);
    }
    return key;
  }
}

const APP_TTL_MS = 30_000;
/** Most apps (and credentials) held for reports; past it the maps start over. */
const MAX_HELD = 100_000;

function describeWindow(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours % 24 === 0) return `${hours / 24} days`;
  return `${hours} hours`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Usage reported by gateways: a batch is checked whole (shape, then that every app,
 * credential and product exists) and then written in one statement (with the batches that
 * came in meanwhile, see UsageWriter) before it is answered, or refused whole.
 */
export class ReportedUsage {
  private readonly apps = new Map<string, AppInfo>();
  /** credential id → app id (never changes). */
  private readonly credentialApps = new Map<string, string>();

  constructor(
    private readonly db: GatewayDb,
    private readonly writer: UsageWriter,
    private readonly catalog: GatewayCatalog,
    private readonly counters: MonthCounters,
    /** How late an event may be: minute rows older than usage retention are gone. */
    private readonly pastLimitMs = PAST_LIMIT_MS,
  ) {}

  evictOrganization(organizationId: string): void {
    for (const [id, info] of this.apps) {
      if (info.organizationId === organizationId) this.apps.delete(id);
    }
  }

  async record(body: unknown): Promise<ReportResult> {
    if (!isRecord(body) || !Array.isArray(body.events)) {
      return {
        ok: false,
        code: 'bad_request',
        message: 'The body must be {"events": [...]}.',
        errors: [{ index: -1, field: 'events', message: 'Send an array of events.' }],
      };
    }
    const raw: unknown[] = body.events;
    if (raw.length === 0 || raw.length > MAX_EVENTS) {
      return {
        ok: false,
        code: 'bad_request',
        message: `Send 1 to ${MAX_EVENTS} events per batch.`,
        errors: [{ index: -1, field: 'events', message: `Send 1 to ${MAX_EVENTS} events.` }],
      };
    }
    const errors: EventError[] = [];
    const events: ValidEvent[] = [];
    const now = Date.now();
    for (let index = 0; index < raw.length && errors.length < MAX_ERRORS; index++) {
      const event = this.check(raw[index], index, now, errors);
      if (event) events.push(event);
    }
    if (errors.length === 0) await this.load(events);
    // Every app and credential named is held now, or does not exist.
    const keys = errors.length === 0 ? this.keysOf(events, errors) : [];
    if (errors.length > 0) {
      return {
        ok: false,
        code: 'invalid_events',
        message: 'Some events are not valid; nothing was recorded.',
        errors: errors.slice(0, MAX_ERRORS),
      };
    }
    // Valid as a whole: added to the next statement's batch (the batches of the reports that
    // come in meanwhile go in it too), answered once it is committed.
    const { batch, written } = this.writer.nextBatch();
    const month = monthStart(now);
    const units = new Map<PreparedKey, number>();
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const key = keys[i]!;
      batch.addResponse(event.time, key, event.status >= 400, event.responseTimeMs, event.units);
      if (event.units > 0 && monthStart(event.time) === month) {
        units.set(key, (units.get(key) ?? 0) + event.units);
      }
    }
    await written;
    for (const [key, count] of units) {
      this.counters.addUnits(key.organizationId, key.productId, month, count);
    }
    return { ok: true, accepted: events.length };
  }

  /** The usage key of each event; an event naming no app or credential held is an error. */
  private keysOf(events: ValidEvent[], errors: EventError[]): PreparedKey[] {
    const keys: PreparedKey[] = [];
    for (const event of events) {
      if (errors.length >= MAX_ERRORS) break;
      const { credentialId } = event;
      let appId = event.appId;
      if (credentialId !== null) {
        const appOfCredential = this.credentialApps.get(credentialId);
        if (!appOfCredential) {
          errors.push({
            index: event.index,
            field: 'credentialId',
            message: 'No such credential.',
          });
          continue;
        }
        if (appId !== null && appId !== appOfCredential) {
          errors.push({
            index: event.index,
            field: 'credentialId',
            message: 'The credential does not belong to that app.',
          });
          continue;
        }
        appId = appOfCredential;
      }
      const app = appId === null ? undefined : this.apps.get(appId);
      if (!app) {
        errors.push({ index: event.index, field: 'appId', message: 'No such app.' });
        continue;
      }
      keys.push(app.keyOf(event.productId, credentialId ?? ''));
    }
    return keys;
  }

  private check(
    item: unknown,
    index: number,
    now: number,
    errors: EventError[],
  ): ValidEvent | null {
    const fail = (field: string, message: string): null => {
      errors.push({ index, field, message });
      return null;
    };
    if (!isRecord(item)) return fail('', 'Each event is an object.');
    const { credentialId, appId, product, status, responseTimeMs, units, time } = item;
    if (
      credentialId !== undefined &&
      (typeof credentialId !== 'string' || !ID.test(credentialId))
    ) {
      return fail('credentialId', 'Give a credential id (crd_…).');
    }
    if (appId !== undefined && (typeof appId !== 'string' || !ID.test(appId))) {
      return fail('appId', 'Give an app id (app_…).');
    }
    if (credentialId === undefined && appId === undefined) {
      return fail('appId', 'Give the appId or the credentialId.');
    }
    if (typeof product !== 'string' || product.length === 0 || product.length > 200) {
      return fail('product', 'Give the product id or slug.');
    }
    const productInfo = this.catalog.product(product);
    if (!productInfo) return fail('product', `No product "${product.slice(0, 60)}".`);
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
      return fail('status', 'The status is an HTTP status code (100 to 599).');
    }
    if (
      typeof responseTimeMs !== 'number' ||
      !Number.isFinite(responseTimeMs) ||
      responseTimeMs < 0 ||
      responseTimeMs > 3_600_000
    ) {
      return fail(
        'responseTimeMs',
        'The response time is a number of milliseconds (0 to 3600000).',
      );
    }
    if (
      units !== undefined &&
      (typeof units !== 'number' || !Number.isSafeInteger(units) || units < 0 || units > 1e9)
    ) {
      return fail('units', 'Units are a whole number, 0 or more.');
    }
    if (typeof time !== 'string') return fail('time', 'Give the time as an ISO-8601 string.');
    const at = Date.parse(time);
    if (Number.isNaN(at)) return fail('time', 'Give the time as an ISO-8601 string.');
    if (at < now - this.pastLimitMs || at > now + FUTURE_LIMIT_MS) {
      return fail(
        'time',
        `The time must be within the last ${describeWindow(this.pastLimitMs)} and at most 5 minutes ahead.`,
      );
    }
    return {
      index,
      credentialId: credentialId ?? null,
      appId: appId ?? null,
      productId: productInfo.id,
      status,
      responseTimeMs,
      units: units ?? 0,
      time: at,
    };
  }

  /**
   * Loads the credentials and apps the batch names that are not held (or held too long): one
   * query for the credentials, then one for the apps.
   */
  private async load(events: ValidEvent[]): Promise<void> {
    const now = Date.now();
    const missingCredentials = new Set<string>();
    const missingApps = new Set<string>();
    const wanted = (appId: string) => {
      const held = this.apps.get(appId);
      if (!held || held.until <= now) missingApps.add(appId);
    };
    for (const event of events) {
      const appOfCredential =
        event.credentialId === null ? undefined : this.credentialApps.get(event.credentialId);
      if (event.credentialId !== null && appOfCredential === undefined) {
        missingCredentials.add(event.credentialId);
      }
      const appId = appOfCredential ?? event.appId;
      if (appId !== null && appId !== undefined) wanted(appId);
    }
    if (missingCredentials.size > 0) {
      const rows = await this.db.query<{ id: string; app_id: string }>(
        'select id, app_id from credential where id = any($1::text[])',
        [[...missingCredentials]],
      );
      if (this.credentialApps.size > MAX_HELD) this.credentialApps.clear();
      for (const row of rows) {
        this.credentialApps.set(row.id, row.app_id);
        wanted(row.app_id);
      }
    }
    if (missingApps.size > 0) {
      const rows = await this.db.query<{
        id: string;
        organization_id: string;
        environments: [string, string][] | null;
      }>(
        `select a.id, a.organization_id,
           (select json_agg(json_build_array(e.product_id, e.id)) from dev_environment e
              where e.app_id = a.id) as environments
         from app a where a.id = any($1::text[])`,
        [[...missingApps]],
      );
      if (this.apps.size > MAX_HELD) this.apps.clear();
      for (const row of rows) {
        this.apps.set(
          row.id,
          new AppInfo(
            row.id,
            row.organization_id,
            new Map(row.environments ?? []),
            now + APP_TTL_MS,
          ),
        );
      }
    }
  }
}
