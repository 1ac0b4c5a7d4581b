import { z } from 'zod';
import type { Context } from '../../context.js';
import { requireViewer } from '../../auth/permissions.js';
import { parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { publish } from '../../events/events.service.js';
import { enqueueMail } from '../mail/mail.service.js';
import { EmailTokenPurpose, User } from './accounts.entity.js';
import { verificationMail } from './accounts.mail.js';
import { startSession } from './accounts.service.js';
import { consumeEmailToken, issueEmailToken, verificationLink } from './email-tokens.service.js';

const TokenInput = z.object({
  token: z.string().trim().min(1, 'The token is missing.').max(200, 'This link is not valid.'),
});

/**
 * Marks the email of the token's user verified. The link works once, for 48 hours. The link of
 * a sign-up also activates the account and signs in: only the mailbox could have opened it.
 */
export async function verifyEmail(ctx: Context, input: z.input<typeof TokenInput>): Promise<User> {
  const data = parseInput(TokenInput, input);
  return ctx.em.transactional(async (em) => {
    const row = await consumeEmailToken(em, data.token, EmailTokenPurpose.VERIFY_EMAIL);
    const user = row.user.getEntity();
    const changed = !user.activatedAt || !user.emailVerifiedAt;
    if (!user.activatedAt) {
      user.activatedAt = new Date();
      await startSession(ctx, em, user);
      recordAudit(em, ctx, {
        organizationId: null,
        actorId: user.id,
        action: 'user.activate',
        targetType: 'User',
        targetId: user.id,
      });
    }
    if (!user.emailVerifiedAt) {
      user.emailVerifiedAt = new Date();
      recordAudit(em, ctx, {
        organizationId: null,
        actorId: user.id,
        action: 'user.email_verify',
        targetType: 'User',
        targetId: user.id,
        data: { email: user.email },
      });
    }
    if (changed) await publish(em, 'user.updated', { subjectId: user.id, userId: user.id });
    return user;
  });
}

/** Sends a new verification link (earlier ones stop working); false when already verified. */
export async function resendVerificationEmail(ctx: Context): Promise<boolean> {
  const viewer = requireViewer(ctx);
  return ctx.em.transactional(async (em) => {
    const user = await em.findOneOrFail(User, { id: viewer.user.id }, { refresh: true });
    if (user.emailVerifiedAt) return false;
    const token = await issueEmailToken(em, user.id, EmailTokenPurpose.VERIFY_EMAIL);
    await enqueueMail(em, ctx, verificationMail(user, verificationLink(ctx, token)));
    return true;
  });
}
