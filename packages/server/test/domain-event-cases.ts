import type { CatalogChange, EventInput, EventKind } from '../src/events/domain-events.js';
import type { EventData } from '../src/events/events.entity.js';
import type { EventTopic } from '../src/events/topics.js';

export const ORG = 'org_sample';
export const USER = 'usr_sample';
const decision = { status: 'APPROVED', decidedById: USER, appId: 'app_1', productId: 'prd_1' };

/**
 * One event of each kind (the type requires every kind of `EventMap`), with what the code wrote
 * for it before `publish` existed: one row per topic, topics as literal text, the same data.
 */
export const CASES: {
  [K in EventKind]: { input: EventInput<K>; wrote: { topics: EventTopic[]; data: EventData } };
} = {
  'grant.requested': {
    input: {
      subjectId: 'grt_1',
      organizationId: ORG,
      status: 'PENDING',
      appId: 'app_1',
      productId: 'prd_1',
      decidedById: null,
    },
    wrote: {
      topics: ['review_queue', `org:${ORG}`],
      data: { status: 'PENDING', appId: 'app_1', productId: 'prd_1', decidedById: null },
    },
  },
  'grant.decided': {
    input: { subjectId: 'grt_1', organizationId: ORG, ...decision, status: 'APPROVED' },
    wrote: { topics: ['review_queue', `org:${ORG}`], data: decision },
  },
  'grant.withdrawn': {
    input: { subjectId: 'grt_1', organizationId: ORG, ...decision, status: 'WITHDRAWN' },
    wrote: {
      topics: ['review_queue', `org:${ORG}`],
      data: { ...decision, status: 'WITHDRAWN' },
    },
  },
  'credential.revoked': {
    input: { subjectId: 'crd_1', organizationId: ORG, appId: 'app_1', kind: 'BEARER_TOKEN' },
    wrote: { topics: [`org:${ORG}`], data: { appId: 'app_1', kind: 'BEARER_TOKEN' } },
  },
  'credential.rotated': {
    input: { subjectId: 'crd_1', organizationId: ORG, appId: 'app_1', kind: 'CONSUMER_KEY' },
    wrote: { topics: [`org:${ORG}`], data: { appId: 'app_1', kind: 'CONSUMER_KEY' } },
  },
  'app.updated': {
    input: { subjectId: 'app_1', organizationId: ORG, changed: 'description,permissionLevel' },
    wrote: { topics: [`org:${ORG}`], data: { changed: 'description,permissionLevel' } },
  },
  'app.suspended': {
    input: { subjectId: 'app_1', organizationId: ORG, status: 'SUSPENDED', setById: USER },
    wrote: { topics: [`org:${ORG}`], data: { status: 'SUSPENDED', setById: USER } },
  },
  'app.deleted': {
    input: { subjectId: 'app_1', organizationId: ORG, deletedById: USER },
    wrote: { topics: [`org:${ORG}`], data: { deletedById: USER } },
  },
  'credential.expiring': {
    input: {
      subjectId: 'crd_1',
      organizationId: ORG,
      appId: 'app_1',
      kind: 'CONSUMER_KEY',
      expiresAt: '2026-12-01T00:00:00.000Z',
    },
    wrote: {
      topics: [`org:${ORG}`],
      data: { appId: 'app_1', kind: 'CONSUMER_KEY', expiresAt: '2026-12-01T00:00:00.000Z' },
    },
  },
  'invitation.accepted': {
    input: { subjectId: 'inv_1', organizationId: ORG, memberId: USER, role: 'DEVELOPER' },
    wrote: { topics: [`org:${ORG}`], data: { memberId: USER, role: 'DEVELOPER' } },
  },
  'usage.threshold_reached': {
    input: {
      subjectId: 'sub_1',
      organizationId: ORG,
      productId: 'prd_1',
      metric: 'requests',
      percent: 80,
      used: 8000,
      cap: 10000,
      period: '2026-11',
    },
    wrote: {
      topics: [`org:${ORG}`],
      data: {
        productId: 'prd_1',
        metric: 'requests',
        percent: 80,
        used: 8000,
        cap: 10000,
        period: '2026-11',
      },
    },
  },
  'app.unsuspended': {
    input: { subjectId: 'app_1', organizationId: ORG, status: 'ACTIVE', setById: USER },
    wrote: { topics: [`org:${ORG}`], data: { status: 'ACTIVE', setById: USER } },
  },
  'application.submitted': {
    input: { subjectId: 'dap_1', userId: USER, status: 'PENDING', applicantId: USER },
    wrote: {
      topics: ['review_queue', `user:${USER}`],
      data: { status: 'PENDING', applicantId: USER },
    },
  },
  'application.updated': {
    input: { subjectId: 'dap_1', userId: USER, status: 'QUESTION', messageId: 'msg_1' },
    wrote: {
      topics: ['review_queue', `user:${USER}`],
      data: { status: 'QUESTION', messageId: 'msg_1' },
    },
  },
  'application.decided': {
    input: { subjectId: 'dap_1', userId: USER, status: 'CLOSED', decidedById: null },
    wrote: {
      topics: ['review_queue', `user:${USER}`],
      data: { status: 'CLOSED', decidedById: null },
    },
  },
  'notification.created': {
    input: { subjectId: 'ntf_1', userId: USER, kind: 'grant.decided' },
    wrote: { topics: [`user:${USER}`], data: { kind: 'grant.decided' } },
  },
  'catalog.changed': {
    input: { subjectId: 'prd_1', change: 'product.archive' },
    wrote: { topics: ['gateway'], data: { change: 'product.archive' } },
  },
  'plan.changed': {
    input: { subjectId: 'psb_1', organizationId: ORG, productId: 'prd_1', planId: 'pln_1' },
    // The organization's row as before, and its copy on the catalog topic (new).
    wrote: { topics: [`org:${ORG}`, 'gateway'], data: { productId: 'prd_1', planId: 'pln_1' } },
  },
  'environment.changed': {
    input: {
      subjectId: 'env_1',
      organizationId: ORG,
      change: 'environment.update',
      productId: 'prd_1',
      appId: null,
    },
    wrote: {
      topics: [`org:${ORG}`],
      data: { change: 'environment.update', productId: 'prd_1', appId: null },
    },
  },
  'gateway_token.created': {
    input: { subjectId: 'gwt_1' },
    wrote: { topics: ['gateway'], data: {} },
  },
  'gateway_token.revoked': {
    input: { subjectId: 'gwt_1' },
    wrote: { topics: ['gateway'], data: {} },
  },
  // Kinds that came after `publish`: the rows they write.
  'member.removed': {
    input: { subjectId: 'mem_1', organizationId: ORG, userId: USER, reason: 'left' },
    wrote: { topics: ['access'], data: { organizationId: ORG, userId: USER, reason: 'left' } },
  },
  'member.role_changed': {
    input: { subjectId: 'mem_1', organizationId: ORG, userId: USER, role: 'DEVELOPER' },
    wrote: {
      topics: ['access'],
      data: { organizationId: ORG, userId: USER, role: 'DEVELOPER' },
    },
  },
  'session.ended': {
    input: { subjectId: 'ses_1', userId: USER },
    wrote: { topics: ['access'], data: { userId: USER } },
  },
  'sessions.ended': {
    input: { subjectId: USER, userId: USER, keptSessionId: 'ses_1' },
    wrote: { topics: ['access'], data: { userId: USER, keptSessionId: 'ses_1' } },
  },
  'personal_access_token.revoked': {
    input: { subjectId: 'pat_1', userId: USER },
    wrote: { topics: ['access'], data: { userId: USER } },
  },
  'personal_access_token.requested': {
    input: { subjectId: 'pat_1', organizationId: ORG, userId: USER },
    wrote: { topics: [`org:${ORG}`], data: { userId: USER } },
  },
  'personal_access_token.reviewed': {
    input: {
      subjectId: 'pat_1',
      organizationId: ORG,
      userId: USER,
      status: 'APPROVED',
      decidedById: 'usr_admin',
    },
    wrote: {
      topics: [`org:${ORG}`],
      data: { userId: USER, status: 'APPROVED', decidedById: 'usr_admin' },
    },
  },
  'organization.token_policy_changed': {
    input: { subjectId: ORG, organizationId: ORG, policy: 'FORBID' },
    wrote: { topics: ['access', `org:${ORG}`], data: { organizationId: ORG, policy: 'FORBID' } },
  },
  'user.updated': {
    input: { subjectId: USER, userId: USER },
    wrote: { topics: ['access'], data: { userId: USER } },
  },
  'bulk_run.changed': {
    input: { subjectId: 'blk_1', status: 'RUNNING', total: 3, applied: 1, skipped: 1, failed: 0 },
    wrote: {
      topics: ['staff'],
      data: { status: 'RUNNING', total: 3, applied: 1, skipped: 1, failed: 0 },
    },
  },
  'oauth.tokens_revoked': {
    input: { subjectId: 'oaz_1', organizationId: ORG, appId: 'app_1' },
    wrote: { topics: [`org:${ORG}`], data: { appId: 'app_1' } },
  },
  'oauth.signing_keys_changed': {
    input: { subjectId: 'osk_1' },
    wrote: { topics: ['gateway'], data: {} },
  },
};

/**
 * Each change a `catalog.changed` event carries (the type requires every one): products and
 * plans (products module) and a published deprecation or removal (catalogue module, whose
 * changelog the gateway reads for the `Deprecation` and `Sunset` headers).
 */
export const CATALOG_CHANGE_CASES: Record<CatalogChange, EventInput<'catalog.changed'>> = {
  'product.create': { subjectId: 'prd_1', change: 'product.create' },
  'product.update': { subjectId: 'prd_1', change: 'product.update' },
  'product.archive': { subjectId: 'prd_1', change: 'product.archive' },
  'plan.create': { subjectId: 'pln_1', change: 'plan.create' },
  'plan.update': { subjectId: 'pln_1', change: 'plan.update' },
  'changelog.publish': { subjectId: 'prd_1', change: 'changelog.publish' },
};

/** The rows the code wrote for a kind's case before `publish`: `[topic, kind, subjectId, data]`. */
export function expectedRows(kind: EventKind): [string, string, string, EventData][] {
  const { input, wrote } = CASES[kind];
  return wrote.topics.map((topic) => [topic, kind, input.subjectId, wrote.data]);
}
