import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createContext, NO_COOKIES, type Context, type Services } from '../../context.js';
import {
  expiryTime,
  remindExpiringPersonalAccessTokens,
} from './personal-access-tokens.reminders.js';
import { appPath } from '../grants/grants.mail.js';
import { notify } from '../notifications/notifications.service.js';
import { publish } from '../../events/events.service.js';
import { Credential } from './credentials.entity.js';

/** How long before a credential or token stops working its owner is reminded. */
export const EXPIRY_REMINDER_WINDOW_MS = 24 * 3_600_000;
const BATCH = 100;

export interface ExpiryReminders {
  /** Credentials whose app owner was reminded that the grace period ends. */
  credentials: string[];
  /** Personal access tokens whose user was reminded that they expire. */
  personalAccessTokens: string[];
}

/**
 * Reminds, once each, the owners of what stops working within the next 24 hours of `now`:
 * credentials rotated out whose grace period ends (app owner; their app not deleted) and
 * personal access tokens that expire (their user). In-app and by email, as the system, in
 * batches: each batch is a transaction that locks its rows (skipping rows other transactions
 * hold, for the next run), marks them reminded and puts their mails in the outbox.
 */
export async function sendExpiryReminders(
  em: EntityManager,
  now: Date,
  services: Services,
): Promise<ExpiryReminders> {
  const ctx = createContext(services, null, { ip: null, userAgent: null }, NO_COOKIES, em);
  const until = new Date(now.getTime() + EXPIRY_REMINDER_WINDOW_MS);
  return {
    credentials: await inBatches(ctx, (tx) => remindExpiringCredentials(tx, ctx, now, until)),
    personalAccessTokens: await inBatches(ctx, (tx) =>
      remindExpiringPersonalAccessTokens(tx, ctx, now, until, BATCH),
    ),
  };
}

async function inBatches(
  ctx: Context,
  batch: (tx: EntityManager) => Promise<string[]>,
): Promise<string[]> {
  const reminded: string[] = [];
  for (;;) {
    const ids = await ctx.em.transactional(batch);
    reminded.push(...ids);
    if (ids.length < BATCH) return reminded;
  }
}

async function remindExpiringCredentials(
  em: EntityManager,
  ctx: Context,
  now: Date,
  until: Date,
): Promise<string[]> {
  const credentials = await em
    .createQueryBuilder(Credential, 'c')
    .select('c.*')
    .joinAndSelect('c.app', 'a')
    .where({
      revokedAt: null,
      expiryRemindedAt: null,
      expiresAt: { $gt: now, $lte: until },
      app: { deletedAt: null },
    })
    .orderBy({ expiresAt: 'asc', id: 'asc' })
    .limit(BATCH)
    // Only the credential rows: an app being changed meanwhile does not hold a reminder up.
    .setLockMode(LockMode.PESSIMISTIC_PARTIAL_WRITE, ['c'])
    .getResultList();
  for (const credential of credentials) {
    credential.expiryRemindedAt = now;
    const app = credential.app.getEntity();
    const when = expiryTime(credential.expiresAt ?? now);
    await notify(em, ctx, {
      userId: app.owner.id,
      kind: 'credential.expiring',
      title: `A credential of ${app.name} stops working ${when}`,
      body: [
        `The ${credential.kind.toLowerCase().replace(/_/g, ' ')} credential ending in ${credential.lastFour} of ${app.name} was rotated out, and its grace period ends ${when}.`,
        'After that, requests made with it are refused. Move your traffic to its replacement before then; the keys tab of the app shows when each credential was last used.',
      ].join('\n'),
      link: `${appPath(app)}?tab=keys`,
    });
    await publish(em, 'credential.expiring', {
      subjectId: credential.id,
      organizationId: app.organization.id,
      appId: app.id,
      kind: credential.kind,
      expiresAt: (credential.expiresAt ?? now).toISOString(),
    });
  }
  return credentials.map((credential) => credential.id);
}
