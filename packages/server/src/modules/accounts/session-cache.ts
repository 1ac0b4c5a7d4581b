import { isEvent } from '../../events/domain-events.js';
import type { EventBus } from '../../events/event-bus.js';
import type { EventRecord } from '../../events/events.service.js';
import { topics } from '../../events/topics.js';
import type { User } from './accounts.entity.js';

/** A session as the cache keeps it: the row's ids and expiry, and a view of its user. */
export interface CachedSession {
  readonly sessionId: string;
  readonly userId: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
  /** The user as read with the session, belonging to no EntityManager (`detachedEntity`). */
  readonly user: User;
  /** When it was read (ms since the epoch): kept at most `ttlMs` after. */
  readonly readAt: number;
}

export interface SessionCacheOptions {
  /**
   * How long an entry is kept at most. Every change made through Portico forgets it at once
   * (on every instance); this bounds how long a change written to the database by other means
   * (SQL by hand, a script) goes unseen.
   */
  ttlMs?: number;
  /** Most sessions kept; past it the oldest go (and are read again when used). */
  maxEntries?: number;
}

/** A lookup under way: it may keep what it read only if nothing was forgotten meanwhile. */
export interface SessionLookup {
  readonly generation: number;
}

/**
 * Signed-in sessions by the SHA-256 of their token, so that a request with a session cookie
 * needs no database round trip to know its viewer. Kept true by the access events on every
 * instance: a session that ends (signing out) is forgotten, every session of a user whose
 * sessions ended (a password change or reset) or whose account changed (`user.updated`: name,
 * verified email, activation, platform role) too, on this instance before the operation that
 * made the change answers, and on the others as soon as its notification arrives.
 */
export class SessionCache {
  private readonly byHash = new Map<string, CachedSession>();
  private readonly hashesByUser = new Map<string, Set<string>>();
  private readonly hashBySession = new Map<string, string>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly unsubscribe: (() => void)[];
  /** Bumped by every forget: a lookup that began before one keeps nothing it read. */
  private generation = 0;
  /** Counters for tests and benchmarks. */
  readonly stats = { hits: 0, misses: 0, forgotten: 0 };

  constructor(bus: EventBus, options: SessionCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    const onEvent = (event: EventRecord): void => this.onEvent(event);
    this.unsubscribe = [bus.subscribe(topics.access, onEvent), bus.subscribeOwnCommits(onEvent)];
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The session of `tokenHash` if cached, unexpired and fresh; else undefined. */
  get(tokenHash: string, now: number): CachedSession | undefined {
    const found = this.byHash.get(tokenHash);
    if (found && found.expiresAt > now && now - found.readAt < this.ttlMs) {
      this.stats.hits += 1;
      return found;
    }
    if (found) this.delete(tokenHash);
    this.stats.misses += 1;
    return undefined;
  }

  /** Call before reading a session from the database; pass the result to `set`. */
  beginLookup(): SessionLookup {
    return { generation: this.generation };
  }

  /** Keeps what `lookup` read, unless something was forgotten since it began. */
  set(lookup: SessionLookup, tokenHash: string, session: CachedSession): void {
    if (lookup.generation !== this.generation) return;
    this.delete(tokenHash);
    this.byHash.set(tokenHash, session);
    this.hashBySession.set(session.sessionId, tokenHash);
    let hashes = this.hashesByUser.get(session.userId);
    if (!hashes) this.hashesByUser.set(session.userId, (hashes = new Set()));
    hashes.add(tokenHash);
    if (this.byHash.size > this.maxEntries) {
      const oldest = this.byHash.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
  }

  /** Forgets every session of `userId`. */
  forgetUser(userId: string): void {
    this.generation += 1;
    for (const hash of [...(this.hashesByUser.get(userId) ?? [])]) this.delete(hash);
  }

  /** Forgets the session `sessionId`. */
  forgetSession(sessionId: string): void {
    this.generation += 1;
    const hash = this.hashBySession.get(sessionId);
    if (hash !== undefined) this.delete(hash);
  }

  close(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.byHash.clear();
    this.hashesByUser.clear();
    this.hashBySession.clear();
  }

  /** Called once or twice per event (own commit, then notification): both are idempotent. */
  private onEvent(event: EventRecord): void {
    if (event.topic !== topics.access) return;
    if (isEvent(event, 'session.ended')) {
      this.forgetSession(event.subjectId);
    } else if (isEvent(event, ['sessions.ended', 'user.updated'])) {
      // The kept session (a password change) is read again: its user's row changed too.
      this.forgetUser(event.data.userId);
    }
  }

  private delete(tokenHash: string): void {
    const found = this.byHash.get(tokenHash);
    if (!found) return;
    this.stats.forgotten += 1;
    this.byHash.delete(tokenHash);
    if (this.hashBySession.get(found.sessionId) === tokenHash) {
      this.hashBySession.delete(found.sessionId);
    }
    const hashes = this.hashesByUser.get(found.userId);
    hashes?.delete(tokenHash);
    if (hashes?.size === 0) this.hashesByUser.delete(found.userId);
  }
}
