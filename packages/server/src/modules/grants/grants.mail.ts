import type { NotifyInput } from '../notifications/notifications.service.js';
import type { App } from '../apps/apps.entity.js';
import type { ApiProduct } from '../products/products.entity.js';
import type { Organization } from '../orgs/orgs.entity.js';
import { GrantStatus } from './grants.entity.js';

/** The texts of the notifications (in-app and mail) the grants module sends. */

export const REVIEW_PATH = '/staff/review';

export function appPath(app: App): string {
  return `/orgs/${app.organization.id}/apps/${app.id}`;
}

/** To every staff member, when an app's requests go to review. */
export function submittedNotice(
  app: App,
  organization: Organization,
  products: ApiProduct[],
): Omit<NotifyInput, 'userId'> {
  const names = products.map((product) => product.name).join(', ');
  return {
    kind: 'app.submitted',
    title: `${app.name} is waiting for review`,
    body: `${organization.name} requested access to ${names} for the app ${app.name}.`,
    link: REVIEW_PATH,
  };
}

const VERB: Partial<Record<GrantStatus, string>> = {
  [GrantStatus.APPROVED]: 'approved',
  [GrantStatus.REJECTED]: 'rejected',
};

/** To the app owner, when staff approve or reject a request. */
export function decidedNotice(
  app: App,
  product: ApiProduct,
  status: GrantStatus.APPROVED | GrantStatus.REJECTED,
  reason: string | null,
): Omit<NotifyInput, 'userId'> {
  const verb = VERB[status] ?? status.toLowerCase();
  const outcome =
    status === GrantStatus.APPROVED
      ? `${app.name} can now use ${product.name}.`
      : `${app.name} cannot use ${product.name}. You can change the app and request it again.`;
  return {
    kind: 'grant.decided',
    title: `Your request for ${product.name} was ${verb}`,
    body: [outcome, ...(reason ? ['', `Reason: ${reason}`] : [])].join('\n'),
    link: appPath(app),
  };
}

/** To the app owner, when staff revoke access. */
export function revokedNotice(
  app: App,
  product: ApiProduct,
  reason: string,
): Omit<NotifyInput, 'userId'> {
  return {
    kind: 'grant.revoked',
    title: `Your access to ${product.name} was revoked`,
    body: `${app.name} can no longer use ${product.name}.\n\nReason: ${reason}`,
    link: appPath(app),
  };
}
