import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { notify } from '../notifications/notifications.service.js';
import { PersonalAccessToken, TokenApproval } from '../accounts/accounts.entity.js';

/** Where a user manages their personal access tokens in the web app. */
export const ACCOUNT_PAGE = '/account';

/** A time as people read it in a notice: `on 2026-11-23 at 14:05 UTC`. */
export function expiryTime(date: Date): string {
  const iso = date.toISOString();
  return `on ${iso.slice(0, 10)} at ${iso.slice(11, 16)} UTC`;
}

/**
 * In the transaction of `em`: up to `limit` live (neither revoked nor refused) personal access
 * tokens that expire after `now` and by `until` and whose user was not reminded yet are marked
 * reminded and their users notified (in-app and by email, once the caller commits). Rows another transaction holds
 * are skipped, for the next run. Returns the ids of the tokens reminded.
 */
export async function remindExpiringPersonalAccessTokens(
  em: EntityManager,
  ctx: Context,
  now: Date,
  until: Date,
  limit: number,
): Promise<string[]> {
  const tokens = await em.find(
    PersonalAccessToken,
    {
      revokedAt: null,
      expiryRemindedAt: null,
      expiresAt: { $gt: now, $lte: until },
      // A token an organization admin refused never worked: nothing to switch from.
      approval: { $ne: TokenApproval.REFUSED },
    },
    {
      lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
      orderBy: { expiresAt: 'asc', id: 'asc' },
      limit,
    },
  );
  for (const token of tokens) {
    token.expiryRemindedAt = now;
    const when = expiryTime(token.expiresAt ?? now);
    await notify(em, ctx, {
      userId: token.user.id,
      kind: 'credential.expiring',
      title: `Your personal access token ${token.name} stops working ${when}`,
      body: [
        `Your personal access token ${token.name} (ending in ${token.lastFour}) expires ${when}.`,
        'After that, API calls made with it are refused. Create a new token and switch to it before then.',
      ].join('\n'),
      link: ACCOUNT_PAGE,
    });
  }
  return tokens.map((token) => token.id);
}
