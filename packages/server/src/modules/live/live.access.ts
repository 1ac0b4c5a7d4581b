import { PlatformRole } from '../../auth/roles.js';
import type { Services, Viewer } from '../../context.js';
import { forbidden, unauthenticated } from '../../errors.js';
import { isEvent, type EventKind } from '../../events/domain-events.js';
import type { EventRecord } from '../../events/events.service.js';
import { topics } from '../../events/topics.js';
import { signInValidUntil } from '../accounts/accounts.service.js';
import { viewerReaches } from '../orgs/orgs.access.js';

/** The kinds of the access topic: each names the user whose access changed. */
const ACCESS_KINDS = [
  'member.removed',
  'member.role_changed',
  'session.ended',
  'sessions.ended',
  'personal_access_token.revoked',
  'user.updated',
] as const satisfies readonly EventKind[];

/** Most answers kept; past it the oldest go (and are asked again when needed). */
const MAX_ENTRIES = 100_000;

/** A stream whose access is watched: asked again when the viewer's access changes. */
export interface WatchedStream {
  recheck(): Promise<void>;
  onEnd(listener: () => void): void;
}

/**
 * Answers read from the database, per user and key, until an access event about the user
 * forgets them. An answer whose query began before it was forgotten is handed to whoever
 * asked then, and never kept.
 */
class AnswerCache<T> {
  private readonly entries = new Map<string, Answer<T>>();
  private readonly idsByUser = new Map<string, Set<string>>();

  /** The answer kept under `id` (`answerId(userId, key)`), or `load`'s, kept from now on. */
  get(userId: string, id: string, load: () => Promise<T>): T | Promise<T> {
    const found = this.entries.get(id);
    if (found) return found.value;
    const answer: Answer<T> = { userId, value: load() };
    answer.value = (answer.value as Promise<T>).then(
      (value) => {
        answer.value = value;
        return value;
      },
      (err: unknown) => {
        // A failed query is no answer: the next check asks again.
        this.delete(id, answer);
        throw err;
      },
    );
    this.entries.set(id, answer);
    let ids = this.idsByUser.get(userId);
    if (!ids) this.idsByUser.set(userId, (ids = new Set()));
    ids.add(id);
    if (this.entries.size > MAX_ENTRIES) {
      const [oldestId, oldest] = this.entries.entries().next().value ?? [];
      if (oldestId !== undefined && oldest) this.delete(oldestId, oldest);
    }
    return answer.value;
  }

  forgetUser(userId: string): void {
    for (const id of this.idsByUser.get(userId) ?? []) this.entries.delete(id);
    this.idsByUser.delete(userId);
  }

  forgetAll(): void {
    this.entries.clear();
    this.idsByUser.clear();
  }

  private delete(id: string, answer: Answer<T>): void {
    if (this.entries.get(id) !== answer) return;
    this.entries.delete(id);
    const ids = this.idsByUser.get(answer.userId);
    ids?.delete(id);
    if (ids?.size === 0) this.idsByUser.delete(answer.userId);
  }
}

/** The id of a user's answer to one question (`key`), as `AnswerCache.get` takes it. */
function answerId(userId: string, key: string): string {
  return `${userId} ${key}`;
}

interface Answer<T> {
  readonly userId: string;
  /** The answer, or the query that will give it. */
  value: T | Promise<T>;
}

/**
 * Whether viewers may still read what their live streams send, per instance. Each event of a
 * stream is checked before it is sent (`check`, answered from memory once asked), and every
 * access event (a member removed or whose role changed, a session ended, a token revoked)
 * forgets that user's answers and re-checks their open streams at once: a stream whose access
 * is gone ends, typed (UNAUTHENTICATED, FORBIDDEN), whether or not more events come. A change
 * of an organization's token policy forgets every answer and re-checks every stream.
 */
export class LiveAccess {
  private readonly signIns = new AnswerCache<number | null>();
  private readonly memberships = new AnswerCache<boolean>();
  private readonly streamsByUser = new Map<string, Set<WatchedStream>>();
  /** Counters for tests and benchmarks. */
  readonly stats = { checks: 0, queries: 0, changes: 0 };

  constructor(private readonly services: Pick<Services, 'orm' | 'events'>) {
    const onEvent = (event: EventRecord): void => this.onEvent(event);
    services.events.subscribe(topics.access, onEvent);
    // On this instance's own changes, at once (then again on their notification).
    services.events.subscribeOwnCommits(onEvent);
  }

  /**
   * The check of one stream of `viewer` (of `organizationId`'s events, when given): null while
   * they may still be sent events, else the error their stream ends with. From memory, once
   * asked for this viewer. A stream asks it before every event, so what it looks up by (and
   * the queries that answer a miss) are made here, once.
   */
  checker(
    viewer: Viewer,
    organizationId: string | null,
  ): () => Error | null | Promise<Error | null> {
    const userId = viewer.user.id;
    const signInId = answerId(
      userId,
      viewer.tokenId ? `token ${viewer.tokenId}` : `session ${viewer.sessionId ?? ''}`,
    );
    const loadSignIn = (): Promise<number | null> =>
      this.query((em) => signInValidUntil(em, viewer));
    // Staff reach every organization; a stream of no organization asks only the sign-in.
    const memberOf = viewer.user.platformRole === PlatformRole.STAFF ? null : organizationId;
    const organization =
      memberOf === null
        ? null
        : {
            // A token's answer is its own: it reaches fewer organizations than its user does.
            id: answerId(userId, viewer.tokenId ? `${memberOf} ${viewer.tokenId}` : memberOf),
            load: (): Promise<boolean> => this.query((em) => viewerReaches(em, memberOf, viewer)),
          };
    return () => {
      this.stats.checks += 1;
      const until = this.signIns.get(userId, signInId, loadSignIn);
      const member = organization
        ? this.memberships.get(userId, organization.id, organization.load)
        : true;
      if (until instanceof Promise || member instanceof Promise) {
        return Promise.all([until, member]).then(([u, m]) => verdict(u, m));
      }
      return verdict(until, member);
    };
  }

  /**
   * Re-checks `stream` whenever the access of `userId` changes, until it ends; and once now,
   * for a change that came between the subscription's own check and this call.
   */
  watch(userId: string, stream: WatchedStream): void {
    let streams = this.streamsByUser.get(userId);
    if (!streams) this.streamsByUser.set(userId, (streams = new Set()));
    streams.add(stream);
    stream.onEnd(() => {
      const current = this.streamsByUser.get(userId);
      current?.delete(stream);
      if (current?.size === 0) this.streamsByUser.delete(userId);
    });
    void stream.recheck();
  }

  private query<T>(run: (em: Services['orm']['em']) => Promise<T>): Promise<T> {
    this.stats.queries += 1;
    return run(this.services.orm.em.fork());
  }

  private onEvent(event: EventRecord): void {
    if (event.topic !== topics.access) return;
    if (isEvent(event, 'organization.token_policy_changed')) {
      // Which tokens reach the organization changed: every answer is asked again (rare).
      this.stats.changes += 1;
      this.signIns.forgetAll();
      this.memberships.forgetAll();
      for (const streams of [...this.streamsByUser.values()]) {
        for (const stream of [...streams]) void stream.recheck();
      }
      return;
    }
    if (!isEvent(event, ACCESS_KINDS)) return;
    const userId = event.data.userId;
    this.stats.changes += 1;
    this.signIns.forgetUser(userId);
    this.memberships.forgetUser(userId);
    for (const stream of [...(this.streamsByUser.get(userId) ?? [])]) void stream.recheck();
  }
}

function verdict(validUntil: number | null, member: boolean): Error | null {
  if (validUntil === null || validUntil <= Date.now()) {
    return unauthenticated('Your sign-in has ended: sign in again.');
  }
  if (!member) return forbidden('You are no longer a member of this organization.');
  return null;
}

const instances = new WeakMap<Services['events'], LiveAccess>();

/** The live-access checks of this instance (one per event bus). */
export function liveAccess(services: Pick<Services, 'orm' | 'events'>): LiveAccess {
  let access = instances.get(services.events);
  if (!access) {
    access = new LiveAccess(services);
    instances.set(services.events, access);
  }
  return access;
}
