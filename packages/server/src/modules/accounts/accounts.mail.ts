import type { OutgoingMail } from '../mail/mail.service.js';

/** The texts of the mail the accounts module sends: plain text, the full link on its own line. */

export const VERIFY_EMAIL_SUBJECT = 'Verify your email for Portico';
export const RESET_PASSWORD_SUBJECT = 'Reset your Portico password';

export function verificationMail(to: { email: string; name: string }, link: string): OutgoingMail {
  return {
    to: to.email,
    subject: VERIFY_EMAIL_SUBJECT,
    text: [
      `Hi ${to.name},`,
      '',
      'Welcome to Portico! Please confirm that this is your email address by opening this link:',
      '',
      link,
      '',
      'The link works once and expires in 48 hours. If it has expired, sign in and ask for a new one.',
      '',
      'If you did not create a Portico account, you can ignore this email.',
      '',
      'The Portico team',
      '',
    ].join('\n'),
  };
}

export function passwordResetMail(to: { email: string; name: string }, link: string): OutgoingMail {
  return {
    to: to.email,
    subject: RESET_PASSWORD_SUBJECT,
    text: [
      `Hi ${to.name},`,
      '',
      'Someone (hopefully you) asked to reset the password of your Portico account.',
      'To choose a new password, open this link:',
      '',
      link,
      '',
      'The link works once and expires in 1 hour. Setting a new password signs you out everywhere else.',
      '',
      'If you did not ask for this, you can ignore this email: your password stays as it is.',
      '',
      'The Portico team',
      '',
    ].join('\n'),
  };
}
