import { z } from 'zod';
import type { Context } from '../../context.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { describeFailure } from '../mail/mail.delivery.js';
import { enqueueMail } from '../mail/mail.service.js';
import { EmailTokenPurpose, User } from './accounts.entity.js';
import { passwordResetMail } from './accounts.mail.js';
import { limitAttempt, mayMail } from './attempt-limits.js';
import { endSessions, hashPassword, setPasswordHash, startSession } from './accounts.service.js';
import {
  assertTokenShape,
  consumeEmailToken,
  issueEmailToken,
  passwordResetLink,
} from './email-tokens.service.js';

const RequestInput = z.object({ email: fields.email });

/**
 * Mails a reset link when an account uses the address. Always answers the same way, and
 * does the work after answering, so neither the answer nor its timing tells whether an
 * account exists. Requests are limited per email and per address; the mail itself goes out a
 * few times per address and hour at most (past that, nothing is sent).
 */
export async function requestPasswordReset(
  ctx: Context,
  input: z.input<typeof RequestInput>,
): Promise<true> {
  const data = parseInput(RequestInput, input);
  await limitAttempt(ctx, 'password-reset', data.email);
  const user = await ctx.em.findOne(User, { email: data.email });
  if (user) void mailPasswordReset(ctx, user.id, user.email);
  return true;
}

async function mailPasswordReset(ctx: Context, userId: string, email: string): Promise<void> {
  try {
    if (!(await mayMail(ctx, email))) {
      ctx.log.info({ userId }, 'password reset mail not sent: too many to this address this hour');
      return;
    }
    await ctx.orm.em.fork().transactional(async (tx) => {
      const user = await tx.findOneOrFail(User, { id: userId });
      const token = await issueEmailToken(tx, user.id, EmailTokenPurpose.RESET_PASSWORD);
      // Not through the operation's context: its answer must not wait for this mail.
      const mail = passwordResetMail(user, passwordResetLink(ctx, token));
      await enqueueMail(tx, { env: ctx.env }, mail);
    });
  } catch (error) {
    ctx.log.error({ userId, error: describeFailure(error) }, 'password reset mail failed');
  }
}

const ResetInput = z.object({
  token: z.string().trim().min(1, 'The token is missing.').max(200, 'This link is not valid.'),
  password: fields.password,
});

/**
 * Sets a new password from a reset link (once, within the hour), signs out every session of
 * the user and signs in with a new one. The link proves the address, so it also verifies it
 * (and activates an account whose sign-up link was never opened).
 */
export async function resetPassword(
  ctx: Context,
  input: z.input<typeof ResetInput>,
): Promise<User> {
  const data = parseInput(ResetInput, input);
  assertTokenShape(data.token);
  const passwordHash = await hashPassword(data.password);
  return ctx.em.transactional(async (em) => {
    const row = await consumeEmailToken(em, data.token, EmailTokenPurpose.RESET_PASSWORD);
    const user = row.user.getEntity();
    await setPasswordHash(em, user.id, passwordHash);
    await endSessions(em, user.id, null);
    if (!user.emailVerifiedAt) user.emailVerifiedAt = new Date();
    if (!user.activatedAt) user.activatedAt = new Date();
    await startSession(ctx, em, user);
    recordAudit(em, ctx, {
      organizationId: null,
      actorId: user.id,
      action: 'user.password_reset',
      targetType: 'User',
      targetId: user.id,
    });
    return user;
  });
}
