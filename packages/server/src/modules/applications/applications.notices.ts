import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { notify, type NotifyInput } from '../notifications/notifications.service.js';

/** Paths of the web app that the notices link to. */
export const APPLICANT_PAGE = '/developer-application';
export const staffApplicationPage = (applicationId: string): string =>
  `/staff/applications/${applicationId}`;

/** What a user is told about a step of an application: in the app, and by email. */
export type ApplicationNotice = NotifyInput & { link: string };

/**
 * Records the in-app notifications (each with its `notification.created` event) and their
 * mails in the transaction of `em`. The one place this module notifies anyone.
 */
export async function recordNotices(
  em: EntityManager,
  ctx: Context,
  notices: ApplicationNotice[],
): Promise<void> {
  for (const notice of notices) await notify(em, ctx, notice);
}

export function submittedNotice(
  staffUserId: string,
  applicant: { name: string; email: string },
  applicationId: string,
): ApplicationNotice {
  return {
    userId: staffUserId,
    kind: 'application.submitted',
    title: `New developer account application from ${applicant.name}`,
    body: `${applicant.name} (${applicant.email}) applied for a developer account. Review the application in the review queue.`,
    link: staffApplicationPage(applicationId),
  };
}

export function questionNotice(applicantId: string, question: string): ApplicationNotice {
  return {
    userId: applicantId,
    kind: 'application.question',
    title: 'A question about your Portico developer account application',
    body: [
      'Portal staff reviewing your developer account application asked:',
      '',
      question,
      '',
      'Please answer within 14 days; after that the application is closed and you would need to apply again.',
    ].join('\n'),
    link: APPLICANT_PAGE,
  };
}

export function answeredNotice(
  staffUserId: string,
  applicant: { name: string },
  applicationId: string,
): ApplicationNotice {
  return {
    userId: staffUserId,
    kind: 'application.answered',
    title: `${applicant.name} answered your question`,
    body: `${applicant.name} answered your question about their developer account application, which is back in the review queue.`,
    link: staffApplicationPage(applicationId),
  };
}

export function approvedNotice(applicantId: string, reason: string | null): ApplicationNotice {
  return {
    userId: applicantId,
    kind: 'application.decided',
    title: 'Your Portico developer account is approved',
    body: [
      'Your developer account application was approved: you can now create apps.',
      ...(reason ? ['', reason] : []),
    ].join('\n'),
    link: APPLICANT_PAGE,
  };
}

export function rejectedNotice(applicantId: string, reason: string): ApplicationNotice {
  return {
    userId: applicantId,
    kind: 'application.decided',
    title: 'Your Portico developer account application was not approved',
    body: [
      'Your developer account application was not approved. The reason given:',
      '',
      reason,
      '',
      'You may apply again with more detail about your use case.',
    ].join('\n'),
    link: APPLICANT_PAGE,
  };
}

export function closedNotice(applicantId: string): ApplicationNotice {
  return {
    userId: applicantId,
    kind: 'application.closed',
    title: 'Your Portico developer account application was closed',
    body: [
      'Your developer account application was closed because the question staff asked about it went unanswered for 14 days.',
      '',
      'You may apply again at any time.',
    ].join('\n'),
    link: APPLICANT_PAGE,
  };
}
