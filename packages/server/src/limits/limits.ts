import { isIPv6 } from 'node:net';
import type { Logger } from 'pino';
import { sha256 } from '../crypto.js';
import type { Env } from '../env.js';
import { rateLimited } from '../errors.js';
import {
  MemoryRateLimiter,
  RedisRateLimiter,
  type BudgetResult,
  type RateLimiter,
  type RateLimitResult,
} from './rate-limiter.js';

/** One limit: at most `limit` hits per key in a sliding window of `windowSeconds`. */
export interface LimitRule {
  /** Names the counters in the store, e.g. `api:session` or `sign-in:account`. */
  name: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Rate limits on the portal's own requests (GraphQL operations, sign-in and the mail that
 * anyone can make the portal send). Counted in Redis when `REDIS_URL` is set, so every
 * instance shares them, else in this instance's memory. Keys are stored hashed: no address,
 * email or session id is written to Redis as it is.
 */
export class RateLimits {
  constructor(private readonly store: RateLimiter) {}

  /** Counts one hit of `key` under `rule` (a refused hit is not counted). */
  async hit(rule: LimitRule, key: string, now = Date.now()): Promise<RateLimitResult> {
    return this.store.hit(storeKey(rule, key), rule.limit, rule.windowSeconds * 1000, now);
  }

  /** Counts one hit; over the limit, throws RATE_LIMITED (naming `field`, if given). */
  async consume(rule: LimitRule, key: string, field?: string): Promise<void> {
    const result = await this.hit(rule, key);
    if (!result.allowed) throw rateLimited(result.retryAfterSeconds, field);
  }

  /** Counts one hit and tells whether it was within the limit (for work that answers the same). */
  async allow(rule: LimitRule, key: string): Promise<boolean> {
    return (await this.hit(rule, key)).allowed;
  }

  /**
   * Spends `amount` of `key`'s budget under `rule` (a fixed window of `windowSeconds`, aligned
   * to the clock) unless that would go over it; `amount` 0 reads what is left.
   */
  async spend(
    rule: LimitRule,
    key: string,
    amount: number,
    now = Date.now(),
  ): Promise<BudgetResult> {
    return this.store.spend(
      storeKey(rule, key),
      amount,
      rule.limit,
      rule.windowSeconds * 1000,
      now,
    );
  }

  /** Forgets the count of `key` under `rule`. */
  async reset(rule: LimitRule, key: string, now = Date.now()): Promise<void> {
    await this.store.reset(storeKey(rule, key), rule.windowSeconds * 1000, now);
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

function storeKey(rule: LimitRule, key: string): string {
  return `${rule.name}:${sha256(key).slice(0, 32)}`;
}

export function createRateLimits(env: Env, log: Logger): RateLimits {
  return new RateLimits(
    env.REDIS_URL
      ? new RedisRateLimiter(env.REDIS_URL, log, env.RATE_LIMIT_REDIS_PREFIX)
      : new MemoryRateLimiter(),
  );
}

/**
 * The key of a client address: IPv4 as it is, IPv6 by its /64 network (one host usually
 * holds a whole /64, so counting single IPv6 addresses would limit nothing).
 */
export function addressKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).join(':')}::/64`;
}
