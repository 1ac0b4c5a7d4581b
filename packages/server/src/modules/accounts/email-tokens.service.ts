import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { generateToken, hasValidChecksum, sha256 } from '../../crypto.js';
import { badInput } from '../../errors.js';
import { publicLink } from '../mail/mail.service.js';
import { EmailToken, EmailTokenPurpose, User } from './accounts.entity.js';

/** Single-use tokens sent by email: only their SHA-256 is stored. */
export const EMAIL_TOKEN_PREFIX = 'pte';

const HOUR_MS = 3_600_000;

export const EMAIL_TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  [EmailTokenPurpose.VERIFY_EMAIL]: 48 * HOUR_MS,
  [EmailTokenPurpose.RESET_PASSWORD]: 1 * HOUR_MS,
};

/**
 * Makes a new token for the user and purpose and returns its secret (to put in a link).
 * Earlier unused tokens of the same purpose expire now: only the newest link works.
 */
export async function issueEmailToken(
  em: EntityManager,
  userId: string,
  purpose: EmailTokenPurpose,
): Promise<string> {
  const now = new Date();
  await em.nativeUpdate(
    EmailToken,
    { user: userId, purpose, usedAt: null, expiresAt: { $gt: now } },
    { expiresAt: now },
  );
  const token = generateToken(EMAIL_TOKEN_PREFIX);
  em.persist(
    new EmailToken(
      em.getReference(User, userId, { wrapped: true }),
      purpose,
      sha256(token),
      new Date(now.getTime() + EMAIL_TOKEN_TTL_MS[purpose]),
    ),
  );
  return token;
}

const NOT_VALID = 'This link is not valid. Check that you copied all of it.';

/** Refuses a token that cannot be one of ours, without touching the database. */
export function assertTokenShape(token: string): void {
  if (!hasValidChecksum(token, EMAIL_TOKEN_PREFIX)) throw badInput('token', NOT_VALID);
}

/**
 * Uses up a token: refuses an unknown, used or expired one with BAD_USER_INPUT on `token`.
 * The claim is a conditional update, so two concurrent uses cannot both succeed.
 * Returns the token with its user loaded.
 */
export async function consumeEmailToken(
  em: EntityManager,
  token: string,
  purpose: EmailTokenPurpose,
): Promise<EmailToken> {
  assertTokenShape(token);
  const row = await em.findOne(
    EmailToken,
    { tokenHash: sha256(token), purpose },
    { populate: ['user'] },
  );
  if (!row) throw badInput('token', NOT_VALID);
  if (row.usedAt) throw badInput('token', 'This link was already used.');
  const now = new Date();
  if (row.expiresAt <= now) throw badInput('token', 'This link has expired. Ask for a new one.');
  const claimed = await em.nativeUpdate(EmailToken, { id: row.id, usedAt: null }, { usedAt: now });
  if (claimed !== 1) throw badInput('token', 'This link was already used.');
  return row;
}

export function verificationLink(ctx: Pick<Context, 'env'>, token: string): string {
  return publicLink(ctx, '/verify-email', { token });
}

export function passwordResetLink(ctx: Pick<Context, 'env'>, token: string): string {
  return publicLink(ctx, '/reset-password', { token });
}
