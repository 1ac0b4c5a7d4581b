import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
  /** Seconds to wait before a request would be allowed (when refused). */
  retryAfterSeconds: number;
}

/**
 * Sliding-window counter: the estimate is this window's count plus the previous window's,
 * weighted by how much of it still overlaps the sliding window. Pure, shared by both stores.
 */
export function slidingWindow(
  limit: number,
  windowMs: number,
  now: number,
  windowStart: number,
  current: number,
  previous: number,
  counted: boolean,
): RateLimitResult {
  const elapsed = now - windowStart;
  const weight = 1 - elapsed / windowMs;
  const estimate = previous * weight + current;
  const resetSeconds = Math.max(1, Math.ceil((windowMs - elapsed) / 1000));
  if (counted) {
    return {
      allowed: true,
      limit,
      remaining: Math.max(0, Math.floor(limit - estimate)),
      resetSeconds,
      retryAfterSeconds: 0,
    };
  }
  // Refused: wait until the previous window's share has shrunk enough, or the window ends.
  let waitMs = windowMs - elapsed;
  if (current < limit && previous > 0) {
    const needWeight = (limit - 1 - current) / previous;
    waitMs = Math.max(0, (1 - needWeight) * windowMs - elapsed);
  }
  return {
    allowed: false,
    limit,
    remaining: 0,
    resetSeconds,
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
  };
}

export interface RateLimiter {
  hit(
    key: string,
    limit: number,
    windowMs: number,
    now: number,
  ): RateLimitResult | Promise<RateLimitResult>;
  /** Forgets the key's count (e.g. sign-in attempts after a successful sign-in). */
  reset(key: string, windowMs: number, now: number): void | Promise<void>;
  /**
   * Spends `amount` of the key's budget of `limit` per fixed window (aligned to multiples of
   * `windowMs`), unless that would go over it; `amount` 0 only reads it.
   */
  spend(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    now: number,
  ): BudgetResult | Promise<BudgetResult>;
  close(): Promise<void>;
}

export interface BudgetResult {
  /** Whether the amount was spent (it would not have gone over the limit). */
  allowed: boolean;
  limit: number;
  /** Spent in this window, the amount included when allowed. */
  used: number;
  remaining: number;
  /** When the window ends and the budget is whole again (ms since the epoch). */
  resetAt: number;
}

/** The budget's state once `used` is known; pure, shared by both stores. */
export function budget(
  allowed: boolean,
  used: number,
  limit: number,
  windowMs: number,
  now: number,
): BudgetResult {
  const start = now - (now % windowMs);
  return {
    allowed,
    limit,
    used,
    remaining: Math.max(0, limit - used),
    resetAt: start + windowMs,
  };
}

interface WindowState {
  start: number;
  windowMs: number;
  current: number;
  previous: number;
}

/** Counters in this process (per instance). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, WindowState>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(Date.now()), 30_000);
    this.sweeper.unref();
  }

  hit(key: string, limit: number, windowMs: number, now: number): RateLimitResult {
    const start = now - (now % windowMs);
    let state = this.windows.get(key);
    if (!state || state.windowMs !== windowMs) {
      state = { start, windowMs, current: 0, previous: 0 };
      this.windows.set(key, state);
    } else if (state.start !== start) {
      state.previous = start - state.start === windowMs ? state.current : 0;
      state.current = 0;
      state.start = start;
    }
    const estimate = state.previous * (1 - (now - start) / windowMs) + state.current;
    const allowed = estimate + 1 <= limit;
    if (allowed) state.current += 1;
    return slidingWindow(limit, windowMs, now, start, state.current, state.previous, allowed);
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  spend(key: string, amount: number, limit: number, windowMs: number, now: number): BudgetResult {
    const start = now - (now % windowMs);
    let state = this.windows.get(key);
    if (!state || state.windowMs !== windowMs || state.start !== start) {
      state = { start, windowMs, current: 0, previous: 0 };
      this.windows.set(key, state);
    }
    const allowed = state.current + amount <= limit;
    if (allowed) state.current += amount;
    return budget(allowed, state.current, limit, windowMs, now);
  }

  private sweep(now: number): void {
    for (const [key, state] of this.windows) {
      if (now - state.start > 2 * state.windowMs) this.windows.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.windows.clear();
  }
}

/** Counts the current window (if the estimate allows) and returns {allowed, current, previous}. */
const SLIDING_WINDOW_SCRIPT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local start = now - (now % window)
local currentKey = KEYS[1] .. ':' .. start
local previousKey = KEYS[1] .. ':' .. (start - window)
local current = tonumber(redis.call('GET', currentKey) or '0')
local previous = tonumber(redis.call('GET', previousKey) or '0')
if previous * (1 - (now - start) / window) + current + 1 > limit then
  return {0, current, previous}
end
current = redis.call('INCR', currentKey)
if current == 1 then redis.call('PEXPIRE', currentKey, window * 2 + 1000) end
return {1, current, previous}
`;

/** Spends ARGV[1] of the window's budget unless it would go over; returns {allowed, used}. */
const FIXED_WINDOW_BUDGET_SCRIPT = `
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local start = now - (now % window)
local key = KEYS[1] .. ':' .. start
local used = tonumber(redis.call('GET', key) or '0')
if used + amount > limit then
  return {0, used}
end
if amount > 0 then
  used = redis.call('INCRBY', key, amount)
  redis.call('PEXPIRE', key, window + 60000)
end
return {1, used}
`;

/**
 * The longest a verification waits for Redis before it counts in memory instead: a Redis that
 * hangs (paused, or cut off without the connection closing) must not hold the hot path.
 */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * Counters in Redis, shared by every instance. If Redis cannot be reached (down, refusing, or
 * slower than REDIS_COMMAND_TIMEOUT_MS) the instance falls back to its own counters (logged),
 * so traffic is still limited, per instance; it reconnects by itself and uses Redis again as
 * soon as Redis answers.
 */
type RedisWithScript = Redis & {
  porticoSlidingWindow(
    key: string,
    limit: number,
    windowMs: number,
    now: number,
  ): Promise<[number, number, number]>;
  porticoBudget(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    now: number,
  ): Promise<[number, number]>;
};

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: RedisWithScript;
  private readonly fallback = new MemoryRateLimiter();
  private warned = false;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly prefix = 'portico:rl:',
  ) {
    const redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    });
    redis.defineCommand('porticoSlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW_SCRIPT });
    redis.defineCommand('porticoBudget', { numberOfKeys: 1, lua: FIXED_WINDOW_BUDGET_SCRIPT });
    // defineCommand adds the method at run time; this is its type.
    this.redis = redis as RedisWithScript;
    this.redis.on('error', (err: Error) => {
      if (!this.warned) log.warn({ err }, 'rate-limit Redis unreachable; counting per instance');
      this.warned = true;
    });
    this.redis.on('ready', () => {
      this.warned = false;
    });
  }

  /** Resolves once connected (tests wait for it). */
  async ready(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      this.redis.once('ready', resolve);
      this.redis.once('end', () => reject(new Error('Redis connection ended')));
    });
  }

  async hit(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitResult> {
    const start = now - (now % windowMs);
    try {
      const [allowed, current, previous] = await this.redis.porticoSlidingWindow(
        `${this.prefix}${key}`,
        limit,
        windowMs,
        now,
      );
      return slidingWindow(limit, windowMs, now, start, current, previous, allowed === 1);
    } catch (err) {
      if (!this.warned)
        this.log.warn({ err }, 'rate-limit Redis call failed; counting per instance');
      this.warned = true;
      return this.fallback.hit(key, limit, windowMs, now);
    }
  }

  async reset(key: string, windowMs: number, now: number): Promise<void> {
    const start = now - (now % windowMs);
    this.fallback.reset(key);
    try {
      const full = `${this.prefix}${key}`;
      await this.redis.del(`${full}:${start}`, `${full}:${start - windowMs}`);
    } catch (err) {
      if (!this.warned)
        this.log.warn({ err }, 'rate-limit Redis call failed; counting per instance');
      this.warned = true;
    }
  }

  async spend(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    now: number,
  ): Promise<BudgetResult> {
    try {
      const [allowed, used] = await this.redis.porticoBudget(
        `${this.prefix}${key}`,
        amount,
        limit,
        windowMs,
        now,
      );
      return budget(allowed === 1, used, limit, windowMs, now);
    } catch (err) {
      if (!this.warned)
        this.log.warn({ err }, 'rate-limit Redis call failed; counting per instance');
      this.warned = true;
      return this.fallback.spend(key, amount, limit, windowMs, now);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    this.redis.disconnect();
  }
}
