import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import { signUpUser } from '../../../test/builders.js';
import {
  createNotificationRow,
  eventsFor,
  storedNotifications,
} from '../../../test/grant-builders.js';
import { linkIn, startTestServer, type TestServer } from '../../../test/harness.js';
import { createContext, NO_COOKIES, type Context } from '../../context.js';
import { User } from '../accounts/accounts.entity.js';
import { notify, notifyStaff } from './notifications.service.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function contextAs(userId: string | null): Promise<Context> {
  const em = server.orm.em.fork();
  const user = userId ? await em.findOneOrFail(User, { id: userId }) : null;
  return createContext(
    server.app.services,
    user ? { user, via: 'session', scopes: [], grant: null, sessionId: null, tokenId: null } : null,
    { ip: null, userAgent: null },
    NO_COOKIES,
    em,
  );
}

const NOTIFICATIONS = `query ($first: Int, $after: String, $unreadOnly: Boolean) {
  viewer {
    unreadNotificationCount
    notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id kind title body link readAt createdAt }
    }
  }
}`;

interface NotificationsData {
  viewer: {
    unreadNotificationCount: number;
    notifications: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: { id: string; kind: string; title: string; readAt: string | null }[];
    };
  };
}

const MARK_READ = `mutation ($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) {
    markedCount unreadNotificationCount notifications { id readAt }
  }
}`;

describe('notify', () => {
  it('writes the row and a notification.created event in the transaction, and mails after commit', async () => {
    const user = await signUpUser(server, { name: 'Nora' });
    const ctx = await contextAs(null);
    const notified = await ctx.em.transactional((em) =>
      notify(em, ctx, {
        userId: user.id,
        kind: 'grant.decided',
        title: 'Your request for Weather was approved',
        body: 'Forecasts can now use Weather.',
        link: '/orgs/org_1/apps/app_1',
      }),
    );
    expect(notified.notification.id).toMatch(/^ntf_/);
    const [row] = await storedNotifications(server, user.id);
    expect(row).toMatchObject({
      kind: 'grant.decided',
      title: 'Your request for Weather was approved',
      link: '/orgs/org_1/apps/app_1',
      readAt: null,
    });
    const events = await eventsFor(server, { subjectId: notified.notification.id });
    expect(events.map((e) => [e.topic, e.kind])).toEqual([
      [`user:${user.id}`, 'notification.created'],
    ]);
    expect(notified.mail).toMatchObject({
      to: user.email,
      subject: 'Your request for Weather was approved',
    });

    const mail = await server.mail.waitFor(user.email, /^Your request for Weather was approved$/);
    expect(mail.text).toContain('Hi Nora,');
    expect(mail.text).toContain('Forecasts can now use Weather.');
    expect(linkIn(mail, '/orgs/').href).toBe('http://portico.test/orgs/org_1/apps/app_1');
  });

  it('leaves no row and no event when the transaction rolls back', async () => {
    const user = await signUpUser(server);
    const ctx = await contextAs(null);
    let id = '';
    await expect(
      ctx.em.transactional(async (em) => {
        const notified = await notify(em, ctx, {
          userId: user.id,
          kind: 'test',
          title: 'Never seen',
          body: 'Rolled back.',
        });
        id = notified.notification.id;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(id).toMatch(/^ntf_/);
    expect(await storedNotifications(server, user.id)).toHaveLength(0);
    expect(await eventsFor(server, { subjectId: id })).toHaveLength(0);
    expect(await eventsFor(server, { topic: `user:${user.id}` })).toHaveLength(0);
  });

  it('can skip the mail, or use a mail of its own; notifyStaff reaches every staff member', async () => {
    const user = await signUpUser(server);
    const staffA = await signUpUser(server, { staff: true });
    const staffB = await signUpUser(server, { staff: true });
    const ctx = await contextAs(null);
    const { quiet, custom, staff } = await ctx.em.transactional(async (em) => ({
      quiet: await notify(em, ctx, {
        userId: user.id,
        kind: 'k',
        title: 't',
        body: 'b',
        mail: false,
      }),
      custom: await notify(em, ctx, {
        userId: user.id,
        kind: 'k',
        title: 't',
        body: 'b',
        mail: { subject: 'Custom subject', text: 'Custom text' },
      }),
      staff: await notifyStaff(em, ctx, { kind: 'app.submitted', title: 'Review me', body: 'b' }),
    }));
    expect(quiet.mail).toBeNull();
    expect(custom.mail).toMatchObject({
      to: user.email,
      subject: 'Custom subject',
      text: 'Custom text',
    });
    const staffEmails = staff.map((n) => n.mail?.to);
    expect(staffEmails).toEqual(expect.arrayContaining([staffA.email, staffB.email]));
    expect(staffEmails).not.toContain(user.email);
    expect(await storedNotifications(server, staffA.id)).toHaveLength(1);
    expect(await storedNotifications(server, user.id)).toHaveLength(2);
  });
});

describe('viewer.notifications', () => {
  it('lists your notifications newest first, pages, filters unread, and counts unread', async () => {
    const user = await signUpUser(server);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await createNotificationRow(server, user.id, { title: `N${i}`, read: i === 0 }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const first = await user.client.ok<NotificationsData>(NOTIFICATIONS, { first: 2 });
    expect(first.viewer.unreadNotificationCount).toBe(2);
    expect(first.viewer.notifications.totalCount).toBe(3);
    expect(first.viewer.notifications.nodes.map((n) => n.title)).toEqual(['N2', 'N1']);
    expect(first.viewer.notifications.pageInfo.hasNextPage).toBe(true);
    const second = await user.client.ok<NotificationsData>(NOTIFICATIONS, {
      first: 2,
      after: first.viewer.notifications.pageInfo.endCursor,
    });
    expect(second.viewer.notifications.nodes.map((n) => n.title)).toEqual(['N0']);
    expect(second.viewer.notifications.pageInfo.hasNextPage).toBe(false);
    const unread = await user.client.ok<NotificationsData>(NOTIFICATIONS, { unreadOnly: true });
    expect(unread.viewer.notifications.nodes.map((n) => n.title)).toEqual(['N2', 'N1']);
  });

  it("shows nobody else's notifications: empty lists, 0 unread, node(id) null", async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const developer = org.developers[0]!;
    const admin = org.admins[0]!;
    const app = await createApp(developer.client, org.id);
    const id = await createNotificationRow(server, developer.id);
    const data = await admin.client.ok<{
      app: { owner: { unreadNotificationCount: number; notifications: { totalCount: number } } };
    }>(
      `query ($id: ID!) { app(id: $id) { owner { unreadNotificationCount notifications { totalCount } } } }`,
      { id: app.id },
    );
    expect(data.app.owner).toEqual({
      unreadNotificationCount: 0,
      notifications: { totalCount: 0 },
    });
    const NODE = `query ($id: ID!) { node(id: $id) { id ... on Notification { title } } }`;
    expect((await admin.client.ok<{ node: null }>(NODE, { id })).node).toBeNull();
    expect(
      (await developer.client.ok<{ node: { id: string } | null }>(NODE, { id })).node,
    ).toMatchObject({ id, title: 'A notification' });
  });
});

describe('markNotificationsRead', () => {
  it('marks the named ones read and reports the unread count', async () => {
    const user = await signUpUser(server);
    const a = await createNotificationRow(server, user.id);
    const b = await createNotificationRow(server, user.id);
    await createNotificationRow(server, user.id);
    const data = await user.client.ok<{
      markNotificationsRead: {
        markedCount: number;
        unreadNotificationCount: number;
        notifications: { id: string; readAt: string | null }[];
      };
    }>(MARK_READ, { input: { ids: [a, b, a] } });
    expect(data.markNotificationsRead.markedCount).toBe(2);
    expect(data.markNotificationsRead.unreadNotificationCount).toBe(1);
    expect(data.markNotificationsRead.notifications.every((n) => n.readAt)).toBe(true);
    // Marking again changes nothing.
    const again = await user.client.ok<{ markNotificationsRead: { markedCount: number } }>(
      MARK_READ,
      { input: { ids: [a] } },
    );
    expect(again.markNotificationsRead.markedCount).toBe(0);
  });

  it('marks all read', async () => {
    const user = await signUpUser(server);
    const other = await signUpUser(server);
    await createNotificationRow(server, user.id);
    await createNotificationRow(server, user.id);
    await createNotificationRow(server, other.id);
    const data = await user.client.ok<{
      markNotificationsRead: { markedCount: number; unreadNotificationCount: number };
    }>(MARK_READ, { input: { all: true } });
    expect(data.markNotificationsRead).toMatchObject({
      markedCount: 2,
      unreadNotificationCount: 0,
    });
    const others = await storedNotifications(server, other.id);
    expect(others.map((n) => n.readAt)).toEqual([null]);
  });

  it("refuses someone else's notification (NOT_FOUND naming it) and bad input, changing nothing", async () => {
    const user = await signUpUser(server);
    const other = await signUpUser(server);
    const mine = await createNotificationRow(server, user.id);
    const theirs = await createNotificationRow(server, other.id);
    expect(await user.client.fails(MARK_READ, { input: { ids: [mine, theirs] } })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'ids.1',
    });
    expect(await user.client.fails(MARK_READ, { input: {} })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'ids',
    });
    expect(await user.client.fails(MARK_READ, { input: { ids: [mine], all: true } })).toMatchObject(
      { code: 'BAD_USER_INPUT', field: 'all' },
    );
    expect(await server.client().fails(MARK_READ, { input: { all: true } })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect((await storedNotifications(server, user.id)).map((n) => n.readAt)).toEqual([null]);
    expect((await storedNotifications(server, other.id)).map((n) => n.readAt)).toEqual([null]);
  });
});
