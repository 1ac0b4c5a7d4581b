import nodemailer, { type Transporter } from 'nodemailer';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
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

/** Sends through SMTP when a URL is configured; otherwise logs and keeps mail in the outbox. */
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
      if (transport) {
        try {
          await transport.sendMail({ from: options.from, ...mail });
          options.log.info({ to: mail.to, subject: mail.subject }, 'mail sent');
        } catch (error) {
          options.log.error({ err: error, to: mail.to, subject: mail.subject }, 'mail failed');
        }
        return;
      }
      const em = options.em.fork();
      await em.persist(new MailMessage(mail.to, mail.subject, mail.text)).flush();
      options.log.info({ to: mail.to, subject: mail.subject }, 'mail kept in the outbox');
    },
  };
}
