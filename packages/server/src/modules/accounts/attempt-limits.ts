import type { Context } from '../../context.js';
import type { Env } from '../../env.js';
import { addressKey, type LimitRule } from '../../limits/limits.js';

/** The account operations anyone may try, each limited per email and per client address. */
export type AccountAttempt = 'sign-in' | 'sign-up' | 'password-reset';

function perAccount(env: Env, attempt: AccountAttempt): LimitRule {
  return {
    name: `${attempt}:account`,
    limit: env.AUTH_RATE_LIMIT_PER_ACCOUNT,
    windowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS,
  };
}

function perAddress(env: Env, attempt: AccountAttempt): LimitRule {
  return {
    name: `${attempt}:address`,
    limit: env.AUTH_RATE_LIMIT_PER_ADDRESS,
    windowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS,
  };
}

/**
 * Counts one attempt for `email` from the caller's address; past either limit, throws
 * RATE_LIMITED (on `email` when it is that address's limit). Counted whether or not an account
 * uses the email, so the refusal tells nothing about accounts.
 */
export async function limitAttempt(
  ctx: Context,
  attempt: AccountAttempt,
  email: string,
): Promise<void> {
  await ctx.limits.consume(perAddress(ctx.env, attempt), addressKey(ctx.request.ip));
  await ctx.limits.consume(perAccount(ctx.env, attempt), email, 'email');
}

/** Forgets the email's failed attempts (after a successful sign-in). */
export async function clearAttempts(
  ctx: Context,
  attempt: AccountAttempt,
  email: string,
): Promise<void> {
  await ctx.limits.reset(perAccount(ctx.env, attempt), email);
}

/**
 * Mail that anyone can make the portal send to an address (password reset links, "someone
 * tried to sign up"): a few per address and hour. Past that the request answers as always
 * and nothing is sent.
 */
export async function mayMail(
  ctx: Pick<Context, 'env' | 'limits'>,
  email: string,
): Promise<boolean> {
  return ctx.limits.allow(
    { name: 'account-mail', limit: ctx.env.ACCOUNT_MAIL_PER_HOUR, windowSeconds: 3600 },
    email,
  );
}
