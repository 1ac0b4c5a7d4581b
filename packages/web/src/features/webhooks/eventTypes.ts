import type { WebhookEventType } from '../../gql/graphql';

/** Every event an endpoint can subscribe to, grouped as the form shows them. */
export const WEBHOOK_EVENT_GROUPS: {
  label: string;
  events: { type: WebhookEventType; name: string; description: string }[];
}[] = [
  {
    label: 'Apps',
    events: [
      {
        type: 'APP_APPROVED',
        name: 'app.approved',
        description: 'A product was approved for an app.',
      },
      {
        type: 'APP_REJECTED',
        name: 'app.rejected',
        description: "An app's product request was rejected.",
      },
      { type: 'APP_SUSPENDED', name: 'app.suspended', description: 'Staff suspended an app.' },
      { type: 'APP_DELETED', name: 'app.deleted', description: 'An app was deleted.' },
    ],
  },
  {
    label: 'Credentials',
    events: [
      {
        type: 'CREDENTIAL_EXPIRING',
        name: 'credential.expiring',
        description: 'A rotated-out credential stops working within 24 hours.',
      },
      {
        type: 'CREDENTIAL_ROTATED',
        name: 'credential.rotated',
        description: 'A credential was rotated.',
      },
      {
        type: 'CREDENTIAL_REVOKED',
        name: 'credential.revoked',
        description: 'A credential was revoked.',
      },
    ],
  },
  {
    label: 'Usage',
    events: [
      {
        type: 'USAGE_THRESHOLD_REACHED',
        name: 'usage.threshold_reached',
        description: "Usage of a product reached 50, 80 or 100\u00a0% of the plan's cap.",
      },
    ],
  },
  {
    label: 'Team',
    events: [
      {
        type: 'INVITATION_ACCEPTED',
        name: 'invitation.accepted',
        description: 'Someone accepted an invitation.',
      },
      {
        type: 'MEMBER_REMOVED',
        name: 'member.removed',
        description: 'A member was removed or left.',
      },
    ],
  },
];

const NAMES = new Map(
  WEBHOOK_EVENT_GROUPS.flatMap((group) => group.events.map((event) => [event.type, event.name])),
);

/** The payload `type` of an event, e.g. `app.approved`. */
export function eventName(type: WebhookEventType): string {
  return NAMES.get(type) ?? type;
}
