import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Env } from './env.js';
import type { EventBus } from './events/event-bus.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { PatScope, User } from './modules/accounts/accounts.entity.js';
import type { MailDelivery } from './modules/mail/mail.delivery.js';

export interface Viewer {
  user: User;
  /** How the viewer signed in: a session cookie or a personal access token. */
  via: 'session' | 'token';
  /** Scopes of the personal access token; empty for a session (which has every scope). */
  scopes: PatScope[];
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

/** Long-lived things the server is made of, shared by every request. */
export interface Services {
  orm: MikroORM;
  env: Env;
  log: Logger;
  /** This instance's sender of the mail outbox (mail itself is enqueued with `enqueueMail`). */
  mailDelivery: MailDelivery;
  /** This instance's live events: LISTEN/NOTIFY, fanned out to subscribers by topic. */
  events: EventBus;
}

/** One per GraphQL operation (HTTP request or WebSocket message). */
export interface Context extends Services {
  em: EntityManager;
  /** Mail this operation put in the outbox (`enqueueMail`), sent before it answers. */
  enqueuedMailIds: string[];
  viewer: Viewer | null;
  loaders: Loaders;
  request: RequestMeta;
  cookies: CookieJar;
}

export const NO_COOKIES: CookieJar = { set: () => undefined, clear: () => undefined };

export function createContext(
  services: Services,
  viewer: Viewer | null,
  request: RequestMeta,
  cookies: CookieJar,
  em: EntityManager = services.orm.em.fork(),
): Context {
  return {
    ...services,
    em,
    enqueuedMailIds: [],
    viewer,
    loaders: createLoaders(em, viewer?.user.id ?? null),
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
  const { orm, env, log, mailDelivery, events } = services;
  let em: EntityManager | null = null;
  let loaders: Loaders | null = null;
  return {
    orm,
    env,
    log,
    mailDelivery,
    events,
    enqueuedMailIds: [],
    viewer,
    request,
    cookies,
    get em(): EntityManager {
      em ??= orm.em.fork();
      return em;
    },
    set em(value: EntityManager) {
      em = value;
    },
    get loaders(): Loaders {
      loaders ??= createLoaders(this.em, viewer?.user.id ?? null);
      return loaders;
    },
    set loaders(value: Loaders) {
      loaders = value;
    },
  };
}
