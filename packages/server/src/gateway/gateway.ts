import type { Logger } from 'pino';
import { isEvent } from '../events/domain-events.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventRecord } from '../events/events.service.js';
import { parseTopic } from '../events/topics.js';
import { GatewayCatalog } from './catalog.js';
import { CredentialCache } from './credential-cache.js';
import { GatewayDb } from './gateway-db.js';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from '../limits/rate-limiter.js';
import { keepLatest, MonthCounters, UsageBatch, UsageWriter } from './usage-recorder.js';
import { decide, type Decision, type VerifyRequest } from './verify.js';
import { GatewayTokens, ReportedUsage } from './usage-reports.js';
import { monthRowsSql } from '../modules/usage/usage.read.js';
import { OAuthAccessTokens } from './oauth-access.js';

export interface GatewayOptions {
  connectionString: string;
  events: EventBus;
  log: Logger;
  /** Shares rate-limit counters between instances. */
  redisUrl?: string | undefined;
  /** How often counts are written (ms); at least once a second by default. */
  flushIntervalMs?: number;
  /** How often this month's totals are re-read for the caps (ms). */
  refreshIntervalMs?: number;
  /** How late a reported event may be (ms); default seven days. Keep it within minute retention. */
  lateEventWindowMs?: number;
}

/** This month's usage rows of the organizations `$1` (text[]) from `$2` (the month's start). */
const MONTH_TOTALS_ROWS = monthRowsSql('$1::text[]', '$2', { organizationIn: true });

/** After these, gateway tokens are authenticated again from the database. */
const GATEWAY_TOKEN_EVENTS = ['gateway_token.created', 'gateway_token.revoked'] as const;

/**
 * The gateway side of one instance: verifies credentials from memory, counts usage in
 * memory and writes it in batches, and keeps its caches true through the event bus.
 */
export class Gateway {
  readonly db: GatewayDb;
  readonly catalog: GatewayCatalog;
  readonly counters = new MonthCounters();
  readonly cache: CredentialCache;
  readonly limiter: RateLimiter;
  readonly tokens: GatewayTokens;
  readonly reports: ReportedUsage;
  /** Every usage write of this instance, verified requests and reports, one at a time. */
  readonly writer: UsageWriter;
  /** OAuth access tokens (JWTs) `/v1/verify` accepts as credentials. */
  readonly oauth: OAuthAccessTokens;
  private usage = new UsageBatch();
  private lastUsed = new Map<string, number>();
  private unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private catalogTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private lastRefresh = 0;
  private readonly parts;
  readonly stats = { flushes: 0, flushFailures: 0 };

  constructor(private readonly options: GatewayOptions) {
    this.db = new GatewayDb(options.connectionString, options.log);
    this.catalog = new GatewayCatalog(this.db, options.log);
    this.cache = new CredentialCache(this.db, this.counters, options.log);
    this.limiter = options.redisUrl
      ? new RedisRateLimiter(options.redisUrl, options.log)
      : new MemoryRateLimiter();
    this.tokens = new GatewayTokens(this.db);
    this.writer = new UsageWriter(this.db);
    this.reports = new ReportedUsage(
      this.db,
      this.writer,
      this.catalog,
      this.counters,
      options.lateEventWindowMs,
    );
    this.oauth = new OAuthAccessTokens(this.db, this.counters, options.log);
    this.parts = {
      oauth: this.oauth,
      catalog: this.catalog,
      cache: this.cache,
      counters: this.counters,
      limiter: this.limiter,
      usage: () => this.usage,
      lastUsed: this.lastUsed,
    };
  }

  async start(): Promise<void> {
    const onEvent = (event: EventRecord): void => this.onEvent(event);
    this.unsubscribe = [
      this.options.events.subscribeAll(onEvent),
      // This instance's own changes act before the operation that made them answers: right
      // after a revocation answers, a verification on this instance refuses the credential.
      this.options.events.subscribeOwnCommits(onEvent),
    ];
    await this.catalog.reload();
    await this.oauth.reloadKeys();
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 500);
    this.timer.unref();
    this.catalogTimer = setInterval(() => void this.catalog.reload(), 30_000);
    this.catalogTimer.unref();
  }

  verify(request: VerifyRequest): Decision | Promise<Decision> {
    return decide(this.parts, request);
  }

  /**
   * Every event of an organization's stream (grants, apps, credentials, environments, plans)
   * drops what is cached for the organization; every event of the catalog topic (products,
   * plans, plan subscriptions, gateway tokens) reloads the catalog. Called once or twice per
   * event (on this instance's own commit, then on its notification): both are idempotent.
   */
  private onEvent(event: EventRecord): void {
    const topic = parseTopic(event.topic);
    if (topic?.kind === 'catalog') {
      void this.catalog.reload();
      if (isEvent(event, GATEWAY_TOKEN_EVENTS)) this.tokens.clear();
      if (isEvent(event, 'oauth.signing_keys_changed')) void this.oauth.reloadKeys();
    } else if (topic?.kind === 'org') {
      this.cache.evictOrganization(topic.organizationId);
      this.oauth.evictOrganization(topic.organizationId);
      this.reports.evictOrganization(topic.organizationId);
    }
  }

  /**
   * Writes the usage and last-used times counted so far (what the timer does). If a write is
   * running, waits for it and writes again, so everything counted before the call is written.
   */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing.catch(() => undefined);
    this.flushing ??= this.writeAll().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeAll(): Promise<void> {
    const batch = this.usage;
    const lastUsed = this.lastUsed;
    const tokensUsed = this.tokens.takeLastUsed();
    this.usage = new UsageBatch();
    this.lastUsed = new Map();
    this.parts.lastUsed = this.lastUsed;
    this.counters.beginWrite();
    let written = false;
    try {
      await this.writer.write(batch, true);
      written = true;
      await writeLastUsed(this.db, 'credential', lastUsed);
      await writeLastUsed(this.db, 'gateway_token', tokensUsed);
      this.stats.flushes += 1;
    } catch (err) {
      this.stats.flushFailures += 1;
      this.options.log.warn({ err }, 'writing gateway usage failed; will retry');
      if (!written) this.usage.merge(batch);
      keepLatest(this.lastUsed, lastUsed);
      this.tokens.restoreLastUsed(tokensUsed);
    } finally {
      this.counters.endWrite(written);
    }
    const now = Date.now();
    if (now - this.lastRefresh >= (this.options.refreshIntervalMs ?? 5_000)) {
      this.lastRefresh = now;
      await this.refreshMonthTotals(now).catch((err: unknown) =>
        this.options.log.warn({ err }, 'refreshing monthly usage totals failed'),
      );
    }
  }

  /** Re-reads this month's totals of the organizations counted lately (others' counts too). */
  private async refreshMonthTotals(now: number): Promise<void> {
    const organizations = this.counters.takeTouched();
    if (organizations.length === 0) return;
    const month = new Date(
      Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1),
    );
    const rows = await this.db.query<{
      organization_id: string;
      product_id: string;
      requests: string;
      units: string;
    }>(
      `select organization_id, product_id, sum(requests)::text as requests, sum(units)::text as units
       from (${MONTH_TOTALS_ROWS}) u group by organization_id, product_id`,
      [organizations, month],
      true,
    );
    const byOrg = new Map<string, [string, number, number][]>();
    for (const id of organizations) byOrg.set(id, []);
    for (const row of rows) {
      byOrg
        .get(row.organization_id)
        ?.push([row.product_id, Number(row.requests), Number(row.units)]);
    }
    for (const [id, totals] of byOrg) this.counters.load(id, month.getTime(), totals);
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    if (this.timer) clearInterval(this.timer);
    if (this.catalogTimer) clearInterval(this.catalogTimer);
    await this.flushing?.catch(() => undefined);
    await this.flush().catch(() => undefined);
    await this.limiter.close();
    await this.db.close();
  }
}

async function writeLastUsed(
  db: GatewayDb,
  table: 'credential' | 'gateway_token',
  lastUsed: Map<string, number>,
): Promise<void> {
  if (lastUsed.size === 0) return;
  const ids = [...lastUsed.keys()].sort();
  await db.query(
    `update ${table} t set last_used_at = v.at
     from unnest($1::text[], $2::timestamptz[]) as v(id, at)
     where t.id = v.id and (t.last_used_at is null or t.last_used_at < v.at)`,
    [ids, ids.map((id) => new Date(lastUsed.get(id) ?? 0))],
    true,
  );
}
