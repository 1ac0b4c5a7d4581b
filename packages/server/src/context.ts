import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Env } from './env.js';
import type { EventBus } from './events/event-bus.js';
import type { RateLimits } from './limits/limits.js';
import type { PatScope, PlatformRole } from './auth/roles.js';
import type { TokenGrant } from './auth/token-permissions.js';

/**
 * The signed-in user as the core knows them. The accounts module widens this to its `User`
 * entity by declaration merging (see accounts.entity.ts), so services and resolvers get the
 * full user while the core names no domain entity.
 */
export interface ViewerUser {
  readonly id: string;
  readonly platformRole: PlatformRole;
}

export interface Viewer {
  user: ViewerUser;
  /** How the viewer signed in: a session cookie or a personal access token. */
  via: 'session' | 'token';
  /** Scopes of a classic personal access token; empty for a session and a fine-grained token. */
  scopes: PatScope[];
  /**
   * What a fine-grained personal access token may do and where; null for a session and a
   * classic token.
   */
  grant: TokenGrant | null;
  sessionId: string | null;
  tokenId: string | null;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface CookieJar {
  set(name: string, value: string, maxAgeSeconds: number): void;
  clear(name: string): void;
}

/**
 * Work an operation leaves running after it answers (a sign-up's, so that the answer's timing
 * tells nothing): the instance lets it finish before it stops, and tests wait for it.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<void>>();

  /** Lets `work` run past the answer; the caller handles its failure (`.catch`). */
  add(work: Promise<unknown>): void {
    const tracked: Promise<void> = work
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Resolves once nothing is left running, work added in the meantime included. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

/** Long-lived things the server is made of, shared by every request. */
export interface Services {
  orm: MikroORM;
  env: Env;
  log: Logger;
  /** This instance's live events: LISTEN/NOTIFY, fanned out to subscribers by topic. */
  events: EventBus;
  /** Rate limits of the API and of sign-in, shared through Redis when REDIS_URL is set. */
  limits: RateLimits;
  /** Work left running after operations answered. */
  background: BackgroundWork;
}

/**
 * One request's loaders, each module's under a key of its own (see `perRequest` in
 * loaders.ts); a new scope (after signing in) makes them anew. The scope holds them itself,
 * not a module-level WeakMap keyed by it: V8's young-generation collector keeps the values of an
 * old WeakMap alive through its next collection even when their keys are already garbage, so a
 * request's loaded rows would outlive the request, be copied, and often be promoted to the old
 * generation, to be freed only by a full collection.
 */
export type LoaderScope = Map<object, unknown>;

export const newLoaderScope = (): LoaderScope => new Map();

/** One per GraphQL operation (HTTP request or WebSocket message). */
export interface Context extends Services {
  em: EntityManager;
  /** Mail this operation put in the outbox (`enqueueMail`), sent before it answers. */
  enqueuedMailIds: string[];
  viewer: Viewer | null;
  loaders: LoaderScope;
  request: RequestMeta;
  cookies: CookieJar;
  /** What this operation cost and what is left of the caller's budget, once worked out. */
  cost?: CostState;
}

/** An operation's cost against the caller's hourly budget (`extensions.cost`, `rateLimit`). */
export interface CostState {
  /** What this operation costs. */
  cost: number;
  /** The budget per hour. */
  limit: number;
  /** What is left of it after this operation. */
  remaining: number;
  /** When the budget is whole again. */
  resetAt: Date;
}

export const NO_COOKIES: CookieJar = { set: () => undefined, clear: () => undefined };

/**
 * The request's EntityManager. Inside `ctx.em.transactional(…)` it resolves to the
 * transaction's own EntityManager (MikroORM's transaction context), so that every read made
 * while a transaction is open — DataLoaders and access checks included — runs on the
 * transaction's connection. Otherwise a transaction holding a row lock would wait for a second
 * pooled connection, and enough of them at once would exhaust the pool.
 */
export function requestFork(orm: MikroORM): EntityManager {
  return orm.em.fork({ useContext: true });
}

export function createContext(
  services: Services,
  viewer: Viewer | null,
  request: RequestMeta,
  cookies: CookieJar,
  em: EntityManager = requestFork(services.orm),
): Context {
  return {
    ...services,
    em,
    enqueuedMailIds: [],
    viewer,
    loaders: newLoaderScope(),
    request,
    cookies,
  };
}

/**
 * A context whose EntityManager fork and DataLoaders are made only when a resolver first uses
 * them: each subscription event gets one, and an event whose selection needs no database then
 * costs no fork at all.
 */
export function createLazyContext(
  services: Services,
  viewer: Viewer | null,
  request: RequestMeta,
  cookies: CookieJar = NO_COOKIES,
): Context {
  const { orm, env, log, events, limits, background } = services;
  let em: EntityManager | null = null;
  return {
    orm,
    env,
    log,
    events,
    limits,
    background,
    enqueuedMailIds: [],
    viewer,
    request,
    cookies,
    get em(): EntityManager {
      em ??= requestFork(orm);
      return em;
    },
    set em(value: EntityManager) {
      em = value;
    },
    loaders: newLoaderScope(),
  };
}
