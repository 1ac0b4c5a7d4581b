import { describe, expect, it } from 'vitest';
import { CASES, CATALOG_CHANGE_CASES, ORG } from '../../../test/domain-event-cases.js';
import {
  eventRows,
  EVENT_KINDS,
  type CatalogChange,
  type EventKind,
} from '../../events/domain-events.js';
import type { PublishedEvent } from '../../events/events.service.js';
import { webhookEventsFor } from './webhooks.events.js';

/** The webhook event each domain event (as in its sample case) stands for, if any. */
const EXPECTED: Record<EventKind, string | null> = {
  'grant.requested': null,
  'grant.decided': 'app.approved',
  'grant.withdrawn': null,
  'credential.revoked': 'credential.revoked',
  'credential.rotated': 'credential.rotated',
  'app.updated': null,
  'app.suspended': 'app.suspended',
  'app.deleted': 'app.deleted',
  'credential.expiring': 'credential.expiring',
  'invitation.accepted': 'invitation.accepted',
  'usage.threshold_reached': 'usage.threshold_reached',
  'app.unsuspended': null,
  'application.submitted': null,
  'application.updated': null,
  'application.decided': null,
  'notification.created': null,
  'catalog.changed': null,
  'plan.changed': null,
  'environment.changed': null,
  'gateway_token.created': null,
  'gateway_token.revoked': null,
  'member.removed': 'member.removed',
  'member.role_changed': null,
  'session.ended': null,
  'sessions.ended': null,
  'personal_access_token.revoked': null,
  'personal_access_token.requested': null,
  'personal_access_token.reviewed': null,
  'organization.token_policy_changed': null,
  'user.updated': null,
  'bulk_run.changed': null,
  'oauth.tokens_revoked': null,
  'oauth.signing_keys_changed': null,
};

/**
 * The webhook event each change of the catalog stands for: none, as the catalog is the whole
 * portal's (products, plans, the catalogue's published deprecations) and not one
 * organization's; app owners hear of a deprecation through notifications and mail.
 */
const CATALOG_CHANGE_EXPECTED: Record<CatalogChange, string | null> = {
  'product.create': null,
  'product.update': null,
  'product.archive': null,
  'plan.create': null,
  'plan.update': null,
  'changelog.publish': null,
};

function published<K extends EventKind>(kind: K, change: Record<string, unknown> = {}) {
  const input = { ...CASES[kind].input, ...change } as (typeof CASES)[K]['input'];
  const given = input as { organizationId?: unknown; userId?: unknown };
  const event: PublishedEvent = {
    kind,
    subjectId: input.subjectId,
    organizationId: typeof given.organizationId === 'string' ? given.organizationId : null,
    userId: typeof given.userId === 'string' ? given.userId : null,
    data: eventRows(kind, input)[0]?.data ?? {},
  };
  return event;
}

describe('webhook events drawn from domain events', () => {
  it.each(EVENT_KINDS)('%s', (kind) => {
    const events = webhookEventsFor(published(kind));
    const expected = EXPECTED[kind];
    expect(events.map((event) => event.type)).toEqual(expected ? [expected] : []);
    for (const event of events) {
      expect(event.organizationId).toBe(ORG);
      expect(event.data.organizationId).toBe(ORG);
      // Ids and small values only.
      for (const value of Object.values(event.data)) {
        expect(['string', 'number', 'boolean'].includes(typeof value) || value === null).toBe(true);
      }
    }
  });

  it.each(Object.keys(CATALOG_CHANGE_EXPECTED) as CatalogChange[])(
    'catalog.changed (%s)',
    (change) => {
      const input = CATALOG_CHANGE_CASES[change];
      const event: PublishedEvent = {
        kind: 'catalog.changed',
        subjectId: input.subjectId,
        organizationId: null,
        userId: null,
        data: eventRows('catalog.changed', input)[0]?.data ?? {},
      };
      const expected = CATALOG_CHANGE_EXPECTED[change];
      expect(webhookEventsFor(event).map((e) => e.type)).toEqual(expected ? [expected] : []);
    },
  );

  it('tells approvals from rejections, auto-approvals included, and skips what waits', () => {
    const types = (kind: 'grant.requested' | 'grant.decided', status: string) =>
      webhookEventsFor(published(kind, { status })).map((event) => event.type);
    expect(types('grant.decided', 'REJECTED')).toEqual(['app.rejected']);
    expect(types('grant.decided', 'REVOKED')).toEqual([]);
    expect(types('grant.requested', 'APPROVED')).toEqual(['app.approved']);
    expect(types('grant.requested', 'PENDING')).toEqual([]);
    expect(webhookEventsFor(published('grant.decided'))[0]?.data).toEqual({
      organizationId: ORG,
      appId: 'app_1',
      productId: 'prd_1',
      grantId: 'grt_1',
      decidedById: 'usr_sample',
    });
  });
});
