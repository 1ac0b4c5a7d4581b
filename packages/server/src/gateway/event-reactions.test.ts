import { describe, expect, it, vi } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { EVENT_KINDS, type EventKind } from '../events/domain-events.js';
import { CASES, CATALOG_CHANGE_CASES } from '../../test/domain-event-cases.js';
import type { CatalogChange } from '../events/domain-events.js';
import { publish } from '../events/events.service.js';

type Reaction = 'evicts organization' | 'reloads catalog' | 'forgets gateway tokens';

/**
 * What each kind of event makes a gateway do with what it holds in memory: drop what it cached
 * for the organization (credentials, caps, reported usage), reload its catalog (products,
 * plans, plan subscriptions), forget the gateway tokens it authenticated. The type requires a
 * line for every kind.
 */
const REACTIONS: Record<EventKind, readonly Reaction[]> = {
  'grant.requested': ['evicts organization'],
  'grant.decided': ['evicts organization'],
  'grant.withdrawn': ['evicts organization'],
  'credential.revoked': ['evicts organization'],
  'credential.rotated': ['evicts organization'],
  'app.updated': ['evicts organization'],
  'app.suspended': ['evicts organization'],
  'app.unsuspended': ['evicts organization'],
  // On the organization's stream like the rest: the eviction is harmless.
  'app.deleted': ['evicts organization'],
  'credential.expiring': ['evicts organization'],
  'invitation.accepted': ['evicts organization'],
  'usage.threshold_reached': ['evicts organization'],
  'application.submitted': [],
  'application.updated': [],
  'application.decided': [],
  'notification.created': [],
  'catalog.changed': ['reloads catalog'],
  'plan.changed': ['evicts organization', 'reloads catalog'],
  'environment.changed': ['evicts organization'],
  'gateway_token.created': ['reloads catalog', 'forgets gateway tokens'],
  'gateway_token.revoked': ['reloads catalog', 'forgets gateway tokens'],
  // Access to the live streams: nothing a verification reads.
  'member.removed': [],
  'member.role_changed': [],
  'session.ended': [],
  'sessions.ended': [],
  'personal_access_token.revoked': [],
  'user.updated': [],
  // On the organization's stream like the rest: the eviction is harmless.
  'personal_access_token.requested': ['evicts organization'],
  'personal_access_token.reviewed': ['evicts organization'],
  'organization.token_policy_changed': ['evicts organization'],
  // The staff console's progress: nothing a verification reads.
  'bulk_run.changed': [],
  'oauth.tokens_revoked': ['evicts organization'],
  // Reloads the signing keys the gateway checks JWT access tokens with (and the catalog).
  'oauth.signing_keys_changed': ['reloads catalog'],
};

/**
 * Every change of the catalog reloads it: products and plans, and the published deprecations
 * the gateway answers with `Deprecation` and `Sunset` headers.
 */
const CATALOG_CHANGE_REACTIONS: Record<CatalogChange, readonly Reaction[]> = {
  'product.create': ['reloads catalog'],
  'product.update': ['reloads catalog'],
  'product.archive': ['reloads catalog'],
  'plan.create': ['reloads catalog'],
  'plan.update': ['reloads catalog'],
  'changelog.publish': ['reloads catalog'],
};

const server = useTestServer({ smtp: false });

let counter = 0;

describe("the gateway's caches on each kind of event", () => {
  it.each(EVENT_KINDS)('%s', async (kind) => {
    const gateway = server.app.gateway;
    const evicted = vi.spyOn(gateway.cache, 'evictOrganization');
    const evictedReports = vi.spyOn(gateway.reports, 'evictOrganization');
    const reloaded = vi.spyOn(gateway.catalog, 'reload');
    const forgotten = vi.spyOn(gateway.tokens, 'clear');
    // An organization of this test alone, so that nothing else evicts it meanwhile.
    const organizationId = `org_reactions${process.pid}x${++counter}`;
    try {
      const ids = await publishCase(kind, organizationId);
      await delivered(ids);
      const expected = REACTIONS[kind];
      const evicts = expected.includes('evicts organization');
      expect(evicted.mock.calls.some(([id]) => id === organizationId)).toBe(evicts);
      expect(evictedReports.mock.calls.some(([id]) => id === organizationId)).toBe(evicts);
      // The catalog also reloads on a timer, so only a reload that must happen is checked.
      if (expected.includes('reloads catalog')) expect(reloaded).toHaveBeenCalled();
      expect(forgotten.mock.calls.length > 0).toBe(expected.includes('forgets gateway tokens'));
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe("the gateway's catalog on each change of catalog.changed", () => {
  it.each(Object.keys(CATALOG_CHANGE_REACTIONS) as CatalogChange[])('%s', async (change) => {
    const gateway = server.app.gateway;
    const evicted = vi.spyOn(gateway.cache, 'evictOrganization');
    const reloaded = vi.spyOn(gateway.catalog, 'reload');
    const forgotten = vi.spyOn(gateway.tokens, 'clear');
    try {
      const input = { ...CATALOG_CHANGE_CASES[change], subjectId: `sub_${process.pid}_${change}` };
      const rows = await server.orm.em
        .fork()
        .transactional((em) => publish(em, 'catalog.changed', input));
      await delivered(rows.map((row) => row.id));
      const expected = CATALOG_CHANGE_REACTIONS[change];
      if (expected.includes('reloads catalog')) expect(reloaded).toHaveBeenCalled();
      expect(evicted.mock.calls.length > 0).toBe(expected.includes('evicts organization'));
      expect(forgotten.mock.calls.length > 0).toBe(expected.includes('forgets gateway tokens'));
    } finally {
      vi.restoreAllMocks();
    }
  });
});

async function publishCase<K extends EventKind>(kind: K, organizationId: string) {
  const input = { ...CASES[kind].input, organizationId, subjectId: `sub_${organizationId}` };
  const rows = await server.orm.em.fork().transactional((em) => publish(em, kind, input));
  return rows.map((row) => row.id);
}

/** Waits until this instance's bus has handed every one of `ids` to its subscribers. */
async function delivered(ids: string[]): Promise<void> {
  const bus = server.app.services.events;
  const deadline = Date.now() + 5_000;
  const last = ids.reduce((max, id) => (BigInt(id) > BigInt(max) ? id : max), '0');
  while (BigInt(bus.lastDeliveredId ?? '0') < BigInt(last)) {
    if (Date.now() > deadline) throw new Error(`events up to ${last} were not delivered`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
