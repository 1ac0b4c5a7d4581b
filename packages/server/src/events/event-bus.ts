import pg from 'pg';
import type { Logger } from 'pino';
import { describeConnectionFailure, PG_CONNECTION_OPTIONS } from '../db/availability.js';
import {
  compareEventIds,
  EVENT_COLUMNS,
  EVENTS_CHANNEL,
  eventFromRow,
  isEventId,
  type EventRecord,
  type EventRow,
} from './events.service.js';

export type EventHandler = (event: EventRecord) => void;

/**
 * Called with the payload of each notification on a channel other than the events one, and
 * with null after the listener reconnected: what was notified while it was down is lost, so
 * the handler should look for itself.
 */
export type ChannelHandler = (payload: string | null) => void;

export interface EventBusOptions {
  /** Where to LISTEN: a direct PostgreSQL connection (LISTEN does not survive a transaction pooler). */
  connectionString: string;
  log: Logger;
  channel?: string;
  /** First reconnection delay; doubles up to `maxReconnectDelayMs` (with jitter). */
  minReconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** How often the idle connection is checked with `select 1` (a half-open TCP never errors). */
  healthCheckIntervalMs?: number;
}

/** How many ids below the last delivered one a catch-up looks again (late commits). */
const CATCH_UP_LOOKBACK = 1_000n;
const CATCH_UP_PAGE = 1_000;
/** Ids recently delivered, so a catch-up or a repeated notification never delivers twice. */
const RECENT_IDS = 20_000;
/** Most ids fetched in one `where id = any($1)` query. */
const FETCH_BATCH = 1_000;

/**
 * One per server instance: a dedicated PostgreSQL connection that LISTENs on the events
 * channel, loads each notified event by id (consecutive notifications in one query) and fans
 * it out, in process, to the subscribers of its topic. If the connection drops (PostgreSQL
 * restarts, the backend is killed), it reconnects with backoff and catches up from the last
 * event it delivered, so nothing committed meanwhile is lost. The same connection LISTENs on
 * other channels for whoever asks (`listen`), e.g. the mail outbox's wake-up calls.
 */
export class EventBus {
  private readonly channel: string;
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private readonly allHandlers = new Set<EventHandler>();
  private readonly ownCommitHandlers = new Set<EventHandler>();
  private readonly channelHandlers = new Map<string, Set<ChannelHandler>>();
  private client: pg.Client | null = null;
  private running = false;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  /** Ids notified and not yet delivered. */
  private readonly pending = new Set<string>();
  private flushing: Promise<void> | null = null;
  private flushScheduled = false;
  /**
   * A catch-up after a reconnection is delivering older events: notifications arriving
   * meanwhile wait for it, so that subscribers get events in id order (a client resuming
   * after the last id it saw would otherwise skip those delivered late).
   */
  private catchingUp = false;
  /** Highest id delivered (or the newest id at start); catch-ups start here. */
  private highWater: string | null = null;
  /** The newest id when the bus started: catch-ups never go below it. */
  private floor: string | null = null;
  private readonly recent = new Set<string>();
  private readonly listeningWaiters: (() => void)[] = [];

  /** Counters for tests, health checks and benchmarks. */
  readonly stats = { delivered: 0, fetches: 0, reconnects: 0, subscriptions: 0 };

  constructor(private readonly options: EventBusOptions) {
    this.channel = options.channel ?? EVENTS_CHANNEL;
  }

  /** Connects and LISTENs; rejects if PostgreSQL cannot be reached at start-up. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.connect();
    } catch (err) {
      this.running = false;
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.reconnectTimer = null;
    this.healthTimer = null;
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await this.flushing?.catch(() => undefined);
    if (client) await client.end().catch(() => undefined);
    this.handlers.clear();
    this.allHandlers.clear();
    this.ownCommitHandlers.clear();
    this.channelHandlers.clear();
  }

  /** Whether the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  /** The highest event id delivered so far (or the newest at start-up). */
  get lastDeliveredId(): string | null {
    return this.highWater;
  }

  /** Resolves once the bus LISTENs (again), e.g. after a reconnection. */
  whenListening(): Promise<void> {
    if (this.client) return Promise.resolve();
    return new Promise((resolve) => this.listeningWaiters.push(resolve));
  }

  /**
   * Calls `handler` with every event of `topic` committed from now on, in the order the
   * notifications arrive. Returns the function that unsubscribes. Handlers must not throw
   * and must return quickly (queue the event; do the work elsewhere).
   */
  subscribe(topic: string, handler: EventHandler): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler);
    this.stats.subscriptions += 1;
    return () => {
      const current = this.handlers.get(topic);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) this.handlers.delete(topic);
    };
  }

  /**
   * Calls `handler` with every event of every topic (e.g. the gateway cache, which evicts
   * what an event touches). Returns the function that unsubscribes.
   */
  subscribeAll(handler: EventHandler): () => void {
    this.allHandlers.add(handler);
    return () => {
      this.allHandlers.delete(handler);
    };
  }

  /**
   * Calls `handler` with every event this instance commits, as soon as its transaction commits
   * (before the operation that wrote it answers, without the LISTEN/NOTIFY round trip), in the
   * order written; see `deliverOwnCommits`. Each comes again through `subscribe` and
   * `subscribeAll` once notified, and a change of another instance comes only that way: a
   * handler must act the same however many times it sees an event (evict, invalidate, re-check).
   * Returns the function that unsubscribes.
   */
  subscribeOwnCommits(handler: EventHandler): () => void {
    this.ownCommitHandlers.add(handler);
    return () => {
      this.ownCommitHandlers.delete(handler);
    };
  }

  /** Hands events a transaction of this instance just committed to the own-commit handlers. */
  deliverOwnCommit(events: readonly EventRecord[]): void {
    for (const event of events) {
      for (const handler of [...this.ownCommitHandlers]) {
        try {
          handler(event);
        } catch (err) {
          this.options.log.error({ err, eventId: event.id }, 'an own-commit subscriber failed');
        }
      }
    }
  }

  /**
   * LISTENs on `channel` as well, on the same connection (so with the same reconnection), e.g.
   * to wake work that another transaction committed. Handlers must not throw and must return
   * quickly. Returns the function that stops listening.
   */
  listen(channel: string, handler: ChannelHandler): () => void {
    if (channel === this.channel) throw new Error(`${channel} is the events channel.`);
    let set = this.channelHandlers.get(channel);
    if (!set) {
      set = new Set();
      this.channelHandlers.set(channel, set);
      const client = this.client;
      if (client) {
        client
          .query(`LISTEN ${pg.escapeIdentifier(channel)}`)
          .catch((err: unknown) => this.lost(client, err));
      }
    }
    set.add(handler);
    return () => {
      const current = this.channelHandlers.get(channel);
      if (!current?.delete(handler) || current.size > 0) return;
      this.channelHandlers.delete(channel);
      const client = this.client;
      if (client) {
        client
          .query(`UNLISTEN ${pg.escapeIdentifier(channel)}`)
          .catch((err: unknown) => this.lost(client, err));
      }
    };
  }

  /** Number of handlers subscribed, over every topic. */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.handlers.values()) count += set.size;
    return count;
  }

  private connect(): Promise<void> {
    this.connecting ??= this.openConnection().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async openConnection(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      ...PG_CONNECTION_OPTIONS,
      application_name: 'portico-events',
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (message) => {
      if (message.channel !== this.channel) {
        this.notifyChannel(message.channel, message.payload ?? '');
        return;
      }
      if (!message.payload) return;
      if (!isEventId(message.payload)) {
        this.options.log.warn(
          { payload: message.payload },
          'ignoring a malformed event notification',
        );
        return;
      }
      this.pending.add(message.payload);
      this.scheduleFlush();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
      if (this.highWater === null) {
        const { rows } = await client.query<{ max: string | null }>(
          'select max(id)::text as max from domain_event',
        );
        this.highWater = rows[0]?.max ?? '0';
        this.floor = this.highWater;
      }
      // Last, with no wait before the connection is in use: a channel added meanwhile is seen.
      for (const channel of this.channelHandlers.keys()) {
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
    } catch (err) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw err;
    }
    if (!this.running) {
      await client.end().catch(() => undefined);
      return;
    }
    const reconnected = this.attempts > 0;
    this.attempts = 0;
    this.client = client;
    this.startHealthChecks(client);
    for (const wake of this.listeningWaiters.splice(0)) wake();
    if (reconnected) {
      this.stats.reconnects += 1;
      this.options.log.info({ after: this.highWater }, 'events listener reconnected; catching up');
      for (const channel of this.channelHandlers.keys()) this.notifyChannel(channel, null);
      this.catchingUp = true;
      try {
        // A flush of the lost connection may still be settling: deliver nothing before it.
        await this.flushing?.catch(() => undefined);
        await this.catchUp(client);
      } catch (err) {
        this.lost(client, err);
        return;
      } finally {
        this.catchingUp = false;
      }
    }
    this.scheduleFlush();
  }

  private startHealthChecks(client: pg.Client): void {
    if (this.healthTimer) clearInterval(this.healthTimer);
    const interval = this.options.healthCheckIntervalMs ?? 15_000;
    this.healthTimer = setInterval(() => {
      if (this.client !== client) return;
      const timeout = setTimeout(
        () => this.lost(client, new Error('health check timed out')),
        5_000,
      );
      client
        .query('select 1')
        .catch((err: unknown) => this.lost(client, err))
        .finally(() => clearTimeout(timeout));
    }, interval);
    this.healthTimer.unref();
  }

  /** The connection broke: drop it and reconnect with backoff. */
  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = null;
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (!this.running) return;
    this.options.log.warn(
      { error: describeConnectionFailure(err) },
      'events listener lost its PostgreSQL connection',
    );
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running || this.reconnectTimer) return;
    const min = this.options.minReconnectDelayMs ?? 100;
    const max = this.options.maxReconnectDelayMs ?? 5_000;
    const base = Math.min(max, min * 2 ** this.attempts);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch((err: unknown) => {
        this.options.log.warn(
          { error: describeConnectionFailure(err), attempt: this.attempts },
          'events listener cannot reconnect yet',
        );
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  /**
   * Delivers what was committed while the connection was down: every event above the last
   * delivered id, looking back a little for transactions that committed late with a lower id.
   */
  private async catchUp(client: pg.Client): Promise<void> {
    const high = BigInt(this.highWater ?? '0');
    const floor = BigInt(this.floor ?? '0');
    const lookback = high - CATCH_UP_LOOKBACK;
    let cursor = (lookback > floor ? lookback : floor).toString();
    for (;;) {
      const { rows } = await client.query<EventRow>(
        `select ${EVENT_COLUMNS} where id > $1::bigint order by id limit $2`,
        [cursor, CATCH_UP_PAGE],
      );
      this.stats.fetches += 1;
      for (const row of rows) this.dispatch(eventFromRow(row));
      const last = rows[rows.length - 1];
      if (!last || rows.length < CATCH_UP_PAGE) return;
      cursor = last.id;
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing || this.catchingUp) return;
    if (!this.client || this.pending.size === 0) return;
    this.flushScheduled = true;
    // Let the notifications that arrived in the same read join this batch.
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.flushing) return;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        this.scheduleFlush();
      });
    });
  }

  /** Loads pending ids in batches (one query each) until none are left. */
  private async flush(): Promise<void> {
    while (this.pending.size > 0) {
      const client = this.client;
      if (!client) return;
      const ids = [...this.pending].slice(0, FETCH_BATCH);
      for (const id of ids) this.pending.delete(id);
      let rows: EventRow[];
      try {
        ({ rows } = await client.query<EventRow>(
          `select ${EVENT_COLUMNS} where id = any($1::bigint[]) order by id`,
          [ids],
        ));
      } catch (err) {
        // Keep them for after the reconnection (its catch-up would find them too).
        for (const id of ids) this.pending.add(id);
        this.lost(client, err);
        return;
      }
      this.stats.fetches += 1;
      for (const row of rows) this.dispatch(eventFromRow(row));
    }
  }

  private notifyChannel(channel: string, payload: string | null): void {
    for (const handler of this.channelHandlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (err) {
        this.options.log.error({ err, channel }, 'a channel listener failed');
      }
    }
  }

  private dispatch(event: EventRecord): void {
    if (this.recent.has(event.id)) return;
    this.recent.add(event.id);
    if (this.recent.size > RECENT_IDS) {
      const oldest = this.recent.values().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
    if (this.highWater === null || compareEventIds(event.id, this.highWater) > 0) {
      this.highWater = event.id;
    }
    this.stats.delivered += 1;
    const handlers = [...(this.handlers.get(event.topic) ?? []), ...this.allHandlers];
    for (const handler of handlers) {
      try {
        handler(event);
      } catch (err) {
        this.options.log.error({ err, eventId: event.id }, 'an event subscriber failed');
      }
    }
  }
}
