import { ErrorCode, PorticoError } from '../errors.js';

/**
 * Counts attempts per key in a fixed window and refuses past the limit, e.g. sign-in
 * attempts per email and address. Kept in this instance's memory.
 */
export class AttemptLimiter {
  private windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly field: string,
  ) {}

  /** Counts one attempt; throws RATE_LIMITED (naming the field) once the limit is passed. */
  consume(key: string, now = Date.now()): void {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 50_000) this.sweep(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count > this.limit) {
      const seconds = Math.ceil((window.resetAt - now) / 1000);
      throw new PorticoError(
        ErrorCode.RATE_LIMITED,
        `Too many attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`,
        this.field,
      );
    }
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
