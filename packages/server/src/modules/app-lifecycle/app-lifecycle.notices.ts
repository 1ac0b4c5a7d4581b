import type { App } from '../apps/apps.entity.js';
import { appPath } from '../grants/grants.mail.js';
import type { NotifyInput } from '../notifications/notifications.service.js';

/** The texts of the notices (in-app and mail) an app's owner gets when staff suspend it. */

export const SUSPENSION_NOTICE_TITLE = 'Application suspension notice';

/** To the app owner, when staff suspend the app. */
export function suspendedNotice(app: App, reason: string): Omit<NotifyInput, 'userId'> {
  return {
    kind: 'app.suspended',
    title: SUSPENSION_NOTICE_TITLE,
    body: [
      `Portal staff suspended your app ${app.name}. Its credentials stop working until the suspension is lifted.`,
      '',
      `Reason: ${reason}`,
      '',
      'Reply to portal staff if you think this is a mistake.',
    ].join('\n'),
    link: appPath(app),
  };
}

/** To the app owner, when staff lift the suspension. */
export function unsuspendedNotice(app: App): Omit<NotifyInput, 'userId'> {
  return {
    kind: 'app.unsuspended',
    title: `${app.name} is no longer suspended`,
    body: `Portal staff lifted the suspension of your app ${app.name}; its status is ${app.status.toLowerCase()} again.`,
    link: appPath(app),
  };
}
