import nodemailer, { type Transporter } from 'nodemailer';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Context } from '../../context.js';
import type { Env } from '../../env.js';
import { forbidden } from '../../errors.js';
import { paginate, type Connection, type PageArgs } from '../../graphql/connection.js';
import { PlatformRole } from '../../auth/roles.js';
import { MailMessage } from './mail.entity.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /**
   * Sends a message. Call it after the transaction that caused it commits, so a rolled-back
   * change sends nothing.
   */
  send(mail: OutgoingMail): Promise<void>;
}

/** What to log about a failure: never the error itself, whose text may quote the mail body. */
function describeFailure(error: unknown): { errorName: string; errorCode?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string'
      ? { errorName: error.name, errorCode: code }
      : { errorName: error.name };
  }
  return { errorName: typeof error };
}

/**
 * Sends through SMTP when a URL is configured; otherwise keeps mail in the outbox (the
 * `MailMessage` table) for staff to read. Logs who and what, never the text: it holds links
 * with secret tokens.
 */
export function createMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  log: Logger;
  em: EntityManager;
}): Mailer {
  const transport: Transporter | null = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : null;
  return {
    async send(mail) {
      const about = { to: mail.to, subject: mail.subject };
      if (transport) {
        try {
          await transport.sendMail({ from: options.from, ...mail });
          options.log.info(about, 'mail sent');
        } catch (error) {
          options.log.error({ ...about, ...describeFailure(error) }, 'mail failed');
        }
        return;
      }
      try {
        const em = options.em.fork();
        await em.persist(new MailMessage(mail.to, mail.subject, mail.text)).flush();
        options.log.info(about, 'mail kept in the outbox');
      } catch (error) {
        options.log.error({ ...about, ...describeFailure(error) }, 'mail could not be kept');
      }
    },
  };
}

/**
 * Sends mail after the transaction that caused it has committed. A failure to send is logged
 * (without the text) and never undoes or fails the change that caused it.
 */
export async function sendAfterCommit(ctx: Context, mail: OutgoingMail): Promise<void> {
  try {
    await ctx.mailer.send(mail);
  } catch (error) {
    ctx.log.error({ to: mail.to, subject: mail.subject, ...describeFailure(error) }, 'mail failed');
  }
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

/** Mail kept in the outbox (no SMTP configured), newest first. Staff only. */
export async function listOutbox(ctx: Context, args: PageArgs): Promise<Connection<MailMessage>> {
  assertStaff(ctx);
  return paginate(ctx.em, MailMessage, {}, args, 'desc');
}

/** One outbox message for `node(id:)`: staff only, null otherwise. */
export async function findOutboxMessage(ctx: Context, id: string): Promise<MailMessage | null> {
  if (ctx.viewer?.user.platformRole !== PlatformRole.STAFF) return null;
  return ctx.em.findOne(MailMessage, { id });
}
