import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSecondInstance,
  startTestServer,
  subscribe,
  type TestServer,
} from '../../test/harness.js';
import { signUpUser } from '../../test/builders.js';
import { createAppRow, createOrgWithAdmin, inviteAndJoin } from '../../test/org-builders.js';
import { User } from '../modules/accounts/accounts.entity.js';
import { App } from '../modules/apps/apps.entity.js';
import { DeveloperApplication } from '../modules/applications/applications.entity.js';
import { GrantStatus, ProductGrant } from '../modules/grants/grants.entity.js';
import { Notification } from '../modules/notifications/notifications.entity.js';
import { Organization } from '../modules/orgs/orgs.entity.js';
import { ApiProduct } from '../modules/products/products.entity.js';
import { appendEvent, type RawEventInput } from './events.service.js';
import { topics } from './topics.js';

const QUEUE = `subscription ($after: ID) {
  reviewQueueEvents(after: $after) { id kind subjectId createdAt }
}`;
const ORG = `subscription ($organizationId: ID!, $after: ID) {
  organizationEvents(organizationId: $organizationId, after: $after) { id kind subjectId }
}`;
const VIEWER = `subscription ($after: ID) {
  viewerEvents(after: $after) { id kind subjectId }
}`;

interface QueueData {
  reviewQueueEvents: { id: string; kind: string; subjectId: string; createdAt: string };
}
interface OrgData {
  organizationEvents: { id: string; kind: string; subjectId: string };
}
interface ViewerData {
  viewerEvents: { id: string; kind: string; subjectId: string };
}

let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  a = await startTestServer();
  b = await startSecondInstance(a);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

/**
 * Publishes one event in a transaction of its own on `server`, like a mutation would. The
 * transport is under test here: rows are written as given, whatever their kind and payload.
 */
async function publish(server: TestServer, input: Partial<RawEventInput> = {}): Promise<string> {
  const event = await server.orm.em.fork().transactional((em) =>
    appendEvent(em, {
      topic: 'review_queue',
      kind: 'grant.requested',
      subjectId: `grt_test${Math.random().toString(36).slice(2)}`,
      ...input,
    }),
  );
  return event.id;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('live events across instances', () => {
  it('delivers an event published on one instance to subscribers of the other, within a second', async () => {
    const staff = await signUpUser(a, { staff: true });
    const onA = await subscribe<QueueData>(a, staff.client, QUEUE);
    const onB = await subscribe<QueueData>(b, staff.client, QUEUE);
    try {
      let started = Date.now();
      const fromB = await publish(b, { kind: 'grant.requested', subjectId: 'grt_fromB' });
      const [gotA] = await onA.waitFor(1, 1_000);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(gotA?.reviewQueueEvents).toMatchObject({
        id: fromB,
        kind: 'grant.requested',
        subjectId: 'grt_fromB',
      });
      expect(Number.isNaN(Date.parse(gotA?.reviewQueueEvents.createdAt ?? ''))).toBe(false);

      started = Date.now();
      const fromA = await publish(a, { kind: 'grant.withdrawn', subjectId: 'grt_fromA' });
      const got = await onB.waitFor(2, 1_000);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(got.map((d) => d.reviewQueueEvents.id)).toEqual([fromB, fromA]);
      await onA.waitFor(2, 1_000);
      expect(onA.received.map((d) => d.reviewQueueEvents.id)).toEqual([fromB, fromA]);
    } finally {
      await onA.close();
      await onB.close();
    }
  });

  it('delivers nothing for a rolled-back transaction', async () => {
    const staff = await signUpUser(a, { staff: true });
    const sub = await subscribe<QueueData>(a, staff.client, QUEUE);
    try {
      await expect(
        b.orm.em.fork().transactional(async (em) => {
          await appendEvent(em, {
            topic: 'review_queue',
            kind: 'grant.requested',
            subjectId: 'grt_rolledback',
          });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await sleep(300);
      expect(sub.received).toEqual([]);
      const committed = await publish(b, { subjectId: 'grt_committed' });
      const [first] = await sub.waitFor(1);
      expect(first?.reviewQueueEvents.id).toBe(committed);
      expect(sub.received).toHaveLength(1);
    } finally {
      await sub.close();
    }
  });

  it('replays exactly what a client missed while disconnected, then goes live', async () => {
    const staff = await signUpUser(a, { staff: true });
    const first = await subscribe<QueueData>(a, staff.client, QUEUE);
    const seen = await publish(a);
    const [delivered] = await first.waitFor(1);
    const lastId = delivered?.reviewQueueEvents.id;
    expect(lastId).toBe(seen);
    await first.close();

    const missed = [await publish(b), await publish(a), await publish(b)];
    // Another topic's events are not part of this stream.
    await publish(a, {
      topic: topics.user(staff.id),
      kind: 'notification.created',
      subjectId: 'ntf_x',
    });

    const resumed = await subscribe<QueueData>(b, staff.client, QUEUE, { after: lastId });
    try {
      const replayed = await resumed.waitFor(3);
      expect(replayed.map((d) => d.reviewQueueEvents.id)).toEqual(missed);
      const live = await publish(a);
      await resumed.waitFor(4);
      await sleep(200);
      expect(resumed.received.map((d) => d.reviewQueueEvents.id)).toEqual([...missed, live]);
    } finally {
      await resumed.close();
    }
  });

  it('has no gap and no duplicate when events are published while a resumed stream replays', async () => {
    const staff = await signUpUser(a, { staff: true });
    const before = await publish(a);
    const backlog: string[] = [];
    for (let i = 0; i < 30; i++) backlog.push(await publish(i % 2 ? a : b));

    const concurrent: Promise<string>[] = [];
    const publishing = (async () => {
      for (let i = 0; i < 20; i++) {
        concurrent.push(publish(i % 2 ? a : b));
        await sleep(2);
      }
    })();
    const sub = await subscribe<QueueData>(a, staff.client, QUEUE, { after: before });
    try {
      await publishing;
      const live = await Promise.all(concurrent);
      const expected = [...backlog, ...live].sort((x, y) => Number(x) - Number(y));
      await sub.waitFor(expected.length, 5_000);
      await sleep(300);
      const ids = sub.received.map((d) => d.reviewQueueEvents.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((x, y) => Number(x) - Number(y))).toEqual(expected);
      // The backlog comes first, in id order.
      expect(ids.slice(0, backlog.length)).toEqual(backlog);
    } finally {
      await sub.close();
    }
  });

  it('recovers after its PostgreSQL connection is killed and delivers what was committed meanwhile', async () => {
    const staff = await signUpUser(a, { staff: true });
    const onA = await subscribe<QueueData>(a, staff.client, QUEUE);
    const onB = await subscribe<QueueData>(b, staff.client, QUEUE);
    const reconnects = a.app.services.events.stats.reconnects;
    try {
      const killed = await a.orm.em
        .fork()
        .getConnection()
        .execute<{ pg_terminate_backend: boolean }[]>(
          `select pg_terminate_backend(pid) from pg_stat_activity
           where datname = current_database()
             and (query like 'LISTEN%' or application_name = 'portico-events')`,
        );
      expect(killed.length).toBe(2);
      const deadline = Date.now() + 2_000;
      while (a.app.services.events.listening && Date.now() < deadline) await sleep(5);
      expect(a.app.services.events.listening).toBe(false);

      const meanwhile = [await publish(a), await publish(b), await publish(a)];
      const gotA = await onA.waitFor(3, 5_000);
      const gotB = await onB.waitFor(3, 5_000);
      expect(gotA.map((d) => d.reviewQueueEvents.id)).toEqual(meanwhile);
      expect(gotB.map((d) => d.reviewQueueEvents.id)).toEqual(meanwhile);
      expect(a.app.services.events.stats.reconnects).toBeGreaterThan(reconnects);

      const after = await publish(b);
      await onA.waitFor(4);
      await onB.waitFor(4);
      await sleep(200);
      expect(onA.received.map((d) => d.reviewQueueEvents.id)).toEqual([...meanwhile, after]);
      expect(onB.received.map((d) => d.reviewQueueEvents.id)).toEqual([...meanwhile, after]);
    } finally {
      await onA.close();
      await onB.close();
    }
  });
});

describe('who may subscribe', () => {
  it('refuses the review queue to developers and signed-out clients', async () => {
    const developer = await signUpUser(a);
    const refused = await subscribe(a, developer.client, QUEUE);
    expect((await refused.failure())[0]?.extensions?.code).toBe('FORBIDDEN');
    await refused.close();

    const anonymous = await subscribe(b, b.client(), QUEUE);
    expect((await anonymous.failure())[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await anonymous.close();
  });

  it("streams an organization's events to its members and staff, and to no one else", async () => {
    const { admin, org } = await createOrgWithAdmin(a);
    const developer = await inviteAndJoin(a, admin, org.id, 'DEVELOPER');
    const other = await createOrgWithAdmin(a);
    const staff = await signUpUser(a, { staff: true });

    const outsider = await subscribe(b, other.admin.client, ORG, { organizationId: org.id });
    const refusal = (await outsider.failure())[0];
    expect(refusal?.extensions?.code).toBe('NOT_FOUND');
    await outsider.close();
    const unknown = await subscribe(a, developer.client, ORG, { organizationId: 'org_nope' });
    expect((await unknown.failure())[0]?.extensions?.code).toBe('NOT_FOUND');
    await unknown.close();

    const asDeveloper = await subscribe<OrgData>(b, developer.client, ORG, {
      organizationId: org.id,
    });
    const asStaff = await subscribe<OrgData>(a, staff.client, ORG, { organizationId: org.id });
    const asOther = await subscribe<OrgData>(a, other.admin.client, ORG, {
      organizationId: other.org.id,
    });
    try {
      await publish(a, { topic: topics.org(other.org.id), kind: 'grant.requested' });
      const mine = await publish(a, { topic: topics.org(org.id), kind: 'grant.decided' });
      expect((await asDeveloper.waitFor(1))[0]?.organizationEvents.id).toBe(mine);
      expect((await asStaff.waitFor(1))[0]?.organizationEvents.id).toBe(mine);
      await asOther.waitFor(1);
      await sleep(200);
      expect(asDeveloper.received).toHaveLength(1);
      expect(asOther.received.map((d) => d.organizationEvents.id)).not.toContain(mine);
    } finally {
      await asDeveloper.close();
      await asStaff.close();
      await asOther.close();
    }
  });

  it('sends a viewer their own events only, and refuses a malformed resume id', async () => {
    const alice = await signUpUser(a);
    const bob = await signUpUser(a);
    const sub = await subscribe<ViewerData>(b, alice.client, VIEWER);
    try {
      await publish(a, {
        topic: topics.user(bob.id),
        kind: 'notification.created',
        subjectId: 'ntf_bob',
      });
      const mine = await publish(a, {
        topic: topics.user(alice.id),
        kind: 'notification.created',
        subjectId: 'ntf_alice',
      });
      const [got] = await sub.waitFor(1);
      expect(got?.viewerEvents).toMatchObject({ id: mine, subjectId: 'ntf_alice' });
      await sleep(200);
      expect(sub.received).toHaveLength(1);
    } finally {
      await sub.close();
    }

    const bad = await subscribe(a, alice.client, VIEWER, { after: 'not-an-id' });
    const error = (await bad.failure())[0];
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    await bad.close();
  });
});

describe('event payloads', () => {
  it('resolves the grant, application, notification and decider of an event', async () => {
    const staff = await signUpUser(a, { staff: true });
    const { admin, org } = await createOrgWithAdmin(a);
    const app = await createAppRow(a, org.id, admin.id);
    const em = a.orm.em.fork();
    const product = new ApiProduct('Events API', `events-${Date.now().toString(36)}`);
    const grant = new ProductGrant(
      em.getReference(Organization, org.id, { wrapped: true }),
      em.getReference(App, app.id, { wrapped: true }),
      em.getReference(ApiProduct, product.id, { wrapped: true }),
      em.getReference(User, admin.id, { wrapped: true }),
    );
    const application = new DeveloperApplication(
      em.getReference(User, admin.id, { wrapped: true }),
      'Building a dashboard',
    );
    const notification = new Notification(
      em.getReference(User, staff.id, { wrapped: true }),
      'grant.requested',
      'A new request',
      'Events API for an app',
    );
    em.persist([product, grant, application, notification]);
    await em.flush();

    const query = `subscription {
      reviewQueueEvents {
        kind
        grant { id status }
        application { id useCase }
        notification { id title }
        decidedBy { id }
      }
    }`;
    const viewerQuery = `subscription { viewerEvents { kind notification { id title } } }`;
    type Payload = {
      kind: string;
      grant: { id: string; status: string } | null;
      application: { id: string; useCase: string } | null;
      notification: { id: string; title: string } | null;
      decidedBy: { id: string } | null;
    };
    const sub = await subscribe<{ reviewQueueEvents: Payload }>(b, staff.client, query);
    const viewer = await subscribe<{
      viewerEvents: { kind: string; notification: { id: string; title: string } | null };
    }>(a, staff.client, viewerQuery);
    try {
      await publish(a, {
        kind: 'grant.decided',
        subjectId: grant.id,
        data: { status: 'APPROVED', decidedById: staff.id },
      });
      await publish(b, { kind: 'application.submitted', subjectId: application.id });
      await publish(a, {
        topic: topics.user(staff.id),
        kind: 'notification.created',
        subjectId: notification.id,
      });
      const [decided, submitted] = (await sub.waitFor(2)).map((d) => d.reviewQueueEvents);
      expect(decided).toEqual({
        kind: 'grant.decided',
        grant: { id: grant.id, status: 'PENDING' },
        application: null,
        notification: null,
        decidedBy: { id: staff.id },
      });
      expect(submitted).toEqual({
        kind: 'application.submitted',
        grant: null,
        application: { id: application.id, useCase: 'Building a dashboard' },
        notification: null,
        decidedBy: null,
      });
      const [created] = await viewer.waitFor(1);
      expect(created?.viewerEvents).toEqual({
        kind: 'notification.created',
        notification: { id: notification.id, title: 'A new request' },
      });

      // Each event is resolved with a fresh context: a change shows in the next event.
      await a.orm.em
        .fork()
        .nativeUpdate(ProductGrant, { id: grant.id }, { status: GrantStatus.APPROVED });
      await publish(b, { kind: 'grant.decided', subjectId: grant.id });
      const [, , again] = await sub.waitFor(3);
      expect(again?.reviewQueueEvents.grant).toEqual({ id: grant.id, status: 'APPROVED' });
    } finally {
      await sub.close();
      await viewer.close();
    }
  });

  it('stops listening for a subscription the client ends', async () => {
    const staff = await signUpUser(a, { staff: true });
    const bus = a.app.services.events;
    const before = bus.subscriberCount;
    const sub = await subscribe(a, staff.client, QUEUE);
    expect(bus.subscriberCount).toBe(before + 1);
    await sub.close();
    const deadline = Date.now() + 2_000;
    while (bus.subscriberCount > before && Date.now() < deadline) await sleep(10);
    expect(bus.subscriberCount).toBe(before);
  });
});
