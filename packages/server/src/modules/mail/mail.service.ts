import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import type { Env } from '../../env.js';
import { forbidden } from '../../errors.js';
import { paginate, type Connection, type PageArgs } from '../../graphql/connection.js';
import { PlatformRole } from '../../auth/roles.js';
import { MailMessage, MailStatus } from './mail.entity.js';

/** Every instance LISTENs here; a transaction that enqueues mail NOTIFYs it to wake delivery. */
export const MAIL_CHANNEL = 'portico_mail';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Puts a mail in the outbox in the transaction of `em`: it goes out only if that transaction
 * commits, and once it has committed it is not lost (delivery sends it, with retries, even
 * after a crash or a restart). The NOTIFY, delivered on commit, wakes every instance's
 * delivery; a GraphQL operation also sends it before answering (its context lists the ids).
 * Without SMTP the mail is KEPT for staff to read in the outbox instead.
 */
export async function enqueueMail(
  em: EntityManager,
  ctx: { env: Pick<Env, 'SMTP_URL'>; enqueuedMailIds?: string[] },
  mail: OutgoingMail,
): Promise<MailMessage> {
  if (!em.isInTransaction()) {
    throw new Error('enqueueMail must run inside the transaction of the change it reports.');
  }
  const status = ctx.env.SMTP_URL ? MailStatus.PENDING : MailStatus.KEPT;
  const message = new MailMessage(mail.to, mail.subject, mail.text, status);
  em.persist(message);
  if (status === MailStatus.PENDING) {
    await em.execute('select pg_notify(?, ?)', [MAIL_CHANNEL, '']);
    ctx.enqueuedMailIds?.push(message.id);
  }
  return message;
}

type LinkEnv = Pick<Env, 'PUBLIC_URL' | 'HOST' | 'PORT'>;

/** Base of the links in mail: PUBLIC_URL, or the server's own address when it is unset. */
export function publicBaseUrl(env: LinkEnv): string {
  const base = env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`;
  return base.replace(/\/+$/, '');
}

/** An absolute link to a page of the web app, e.g. `publicLink(ctx, '/verify-email', {token})`. */
export function publicLink(
  ctx: { env: LinkEnv },
  path: string,
  query: Record<string, string> = {},
): string {
  const search = new URLSearchParams(query).toString();
  return `${publicBaseUrl(ctx.env)}${path}${search ? `?${search}` : ''}`;
}

function assertStaff(ctx: Context): void {
  if (ctx.viewer?.user.platformRole !== PlatformRole.STAFF) {
    throw forbidden('Only portal staff can read the mail outbox.');
  }
}

/** Every mail in the outbox, whatever its delivery state, newest first. Staff only. */
export async function listOutbox(ctx: Context, args: PageArgs): Promise<Connection<MailMessage>> {
  assertStaff(ctx);
  return paginate(ctx.em, MailMessage, {}, args, 'desc');
}

/** One outbox message for `node(id:)`: staff only, null otherwise. */
export async function findOutboxMessage(ctx: Context, id: string): Promise<MailMessage | null> {
  if (ctx.viewer?.user.platformRole !== PlatformRole.STAFF) return null;
  return ctx.em.findOne(MailMessage, { id });
}
