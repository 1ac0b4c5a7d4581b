import type { NotifyInput } from '../notifications/notifications.service.js';
import type { PersonalAccessToken, User } from '../accounts/accounts.entity.js';
import type { Organization } from '../orgs/orgs.entity.js';

/** The texts of the notifications (in-app and mail) about fine-grained tokens. Never a secret. */

/** Where a user manages their personal access tokens in the web app. */
export const ACCOUNT_PAGE = '/account';

/** Where an organization's admins set its token policy and review token requests. */
export function tokenSettingsPage(organization: Organization): string {
  return `/orgs/${organization.id}/settings`;
}

/** To each admin, when a member's new token for the organization waits for approval. */
export function tokenRequestedNotice(
  organization: Organization,
  owner: User,
  token: PersonalAccessToken,
): Omit<NotifyInput, 'userId'> {
  return {
    kind: 'token.requested',
    title: `${owner.name} asks for a personal access token for ${organization.name}`,
    body: `${owner.name} (${owner.email}) made the fine-grained token ${token.name} for ${organization.name}. It works once an admin approves it.`,
    link: tokenSettingsPage(organization),
  };
}

/** To the owner, when an admin approved or refused their token. */
export function tokenReviewedNotice(
  organization: Organization,
  token: PersonalAccessToken,
  approved: boolean,
): Omit<NotifyInput, 'userId'> {
  const reason = token.reviewReason;
  return {
    kind: 'token.reviewed',
    title: `Your personal access token ${token.name} was ${approved ? 'approved' : 'refused'}`,
    body: [
      approved
        ? `An admin of ${organization.name} approved your token ${token.name} (ending in ${token.lastFour}): it works now.`
        : `An admin of ${organization.name} refused your token ${token.name} (ending in ${token.lastFour}): API calls made with it are refused.`,
      ...(reason ? ['', `Reason: ${reason}`] : []),
    ].join('\n'),
    link: ACCOUNT_PAGE,
  };
}
