import type { PublishedEvent } from '../../events/events.service.js';
import { WebhookEventType } from './webhooks.entity.js';

/** Scalar values of a payload's `data`. */
export type WebhookData = Record<string, string | number | boolean | null>;

/** A webhook event drawn from a domain event, for the endpoints of one organization. */
export interface WebhookEvent {
  type: WebhookEventType;
  organizationId: string;
  data: WebhookData;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The webhook events a domain event stands for (none for most kinds): which domain events the
 * webhooks module cares about, and the `data` of each payload. Ids and small values only, as
 * the domain events themselves.
 */
export function webhookEventsFor(event: PublishedEvent): WebhookEvent[] {
  const { data } = event;
  const organizationId = event.organizationId ?? text(data.organizationId);
  if (!organizationId) return [];
  const one = (type: WebhookEventType, fields: WebhookData): WebhookEvent[] => [
    { type, organizationId, data: { organizationId, ...fields } },
  ];
  switch (event.kind) {
    case 'grant.requested':
    case 'grant.decided': {
      // Auto-approved requests count as approvals; pending ones are not decided yet.
      const type =
        data.status === 'APPROVED'
          ? WebhookEventType.APP_APPROVED
          : data.status === 'REJECTED' && event.kind === 'grant.decided'
            ? WebhookEventType.APP_REJECTED
            : null;
      if (!type) return [];
      return one(type, {
        appId: text(data.appId),
        productId: text(data.productId),
        grantId: event.subjectId,
        decidedById: text(data.decidedById),
      });
    }
    case 'app.suspended':
      return one(WebhookEventType.APP_SUSPENDED, {
        appId: event.subjectId,
        suspendedById: text(data.setById),
      });
    case 'app.deleted':
      return one(WebhookEventType.APP_DELETED, {
        appId: event.subjectId,
        deletedById: text(data.deletedById),
      });
    case 'credential.expiring':
      return one(WebhookEventType.CREDENTIAL_EXPIRING, {
        credentialId: event.subjectId,
        appId: text(data.appId),
        kind: text(data.kind),
        expiresAt: text(data.expiresAt),
      });
    case 'credential.rotated':
    case 'credential.revoked':
      return one(
        event.kind === 'credential.rotated'
          ? WebhookEventType.CREDENTIAL_ROTATED
          : WebhookEventType.CREDENTIAL_REVOKED,
        { credentialId: event.subjectId, appId: text(data.appId), kind: text(data.kind) },
      );
    case 'usage.threshold_reached':
      return one(WebhookEventType.USAGE_THRESHOLD_REACHED, {
        subscriptionId: event.subjectId,
        productId: text(data.productId),
        metric: text(data.metric),
        percent: typeof data.percent === 'number' ? data.percent : null,
        used: typeof data.used === 'number' ? data.used : null,
        cap: typeof data.cap === 'number' ? data.cap : null,
        period: text(data.period),
      });
    case 'invitation.accepted':
      return one(WebhookEventType.INVITATION_ACCEPTED, {
        invitationId: event.subjectId,
        userId: text(data.memberId),
        role: text(data.role),
      });
    case 'member.removed':
      return one(WebhookEventType.MEMBER_REMOVED, {
        membershipId: event.subjectId,
        userId: text(data.userId),
        reason: text(data.reason),
      });
    default:
      return [];
  }
}

/** The JSON body of a delivery: `{"type", "timestamp", "data"}` (Standard Webhooks). */
export function payloadOf(type: string, data: WebhookData, at: Date): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}
