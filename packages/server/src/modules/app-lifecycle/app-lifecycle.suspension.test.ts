import { describe, expect, it } from 'vitest';
import { linkIn, useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import {
  APP_FIELDS,
  auditEntriesFor,
  createApp,
  orgWithMembers,
  storedApp,
  type AppFields,
} from '../../../test/app-builders.js';
import {
  createProductRow,
  decideGrants,
  eventsFor,
  requestProducts,
  storedGrants,
  storedNotifications,
} from '../../../test/grant-builders.js';
import { ApprovalMode } from '../products/products.entity.js';

const server = useTestServer();

const SUSPEND = `mutation ($input: SuspendAppInput!) { suspendApp(input: $input) { app { ${APP_FIELDS} } } }`;
const UNSUSPEND = `mutation ($input: UnsuspendAppInput!) { unsuspendApp(input: $input) { app { ${APP_FIELDS} } } }`;
const DELETE = `mutation ($input: DeleteAppInput!) { deleteApp(input: $input) { deletedAppId } }`;

async function suspend(staff: SignedInUser, appId: string, reason: string): Promise<AppFields> {
  const data = await staff.client.ok<{ suspendApp: { app: AppFields } }>(SUSPEND, {
    input: { appId, reason },
  });
  return data.suspendApp.app;
}

async function unsuspend(staff: SignedInUser, appId: string): Promise<AppFields> {
  const data = await staff.client.ok<{ unsuspendApp: { app: AppFields } }>(UNSUSPEND, {
    input: { appId },
  });
  return data.unsuspendApp.app;
}

/** An org whose developer owns an app, and a staff member. */
async function setup() {
  const org = await orgWithMembers(server, { admins: 1, developers: 1 });
  const [admin] = org.admins as [SignedInUser];
  const [owner] = org.developers as [SignedInUser];
  const staff = await signUpUser(server, { staff: true });
  const app = await createApp(owner.client, org.id);
  return { org, admin, owner, staff, app };
}

describe('suspending an app', () => {
  it('suspends with a reason, tells the gateways and the owner (in-app and by email)', async () => {
    const { org, owner, staff, app } = await setup();
    const reason = '  Scraping beyond the terms of use.  ';
    const suspended = await suspend(staff, app.id, reason);
    expect(suspended).toMatchObject({
      id: app.id,
      status: 'SUSPENDED',
      statusReason: 'Scraping beyond the terms of use.',
    });
    const stored = await storedApp(server, app.id);
    expect(stored?.statusSetBy?.id).toBe(staff.id);

    const events = await eventsFor(server, { subjectId: app.id, kind: 'app.suspended' });
    expect(events.map((e) => [e.topic, e.data])).toEqual([
      [`org:${org.id}`, { status: 'SUSPENDED', setById: staff.id }],
    ]);
    const audit = await auditEntriesFor(server, app.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'app.suspend',
      actor: { id: staff.id },
      data: { name: app.name, from: 'ACTIVE', reason: 'Scraping beyond the terms of use.' },
    });
    expect(audit.at(-1)?.organization?.id).toBe(org.id);

    const [notice] = (await storedNotifications(server, owner.id)).filter(
      (n) => n.kind === 'app.suspended',
    );
    expect(notice).toMatchObject({
      title: 'Application suspension notice',
      link: `/orgs/${org.id}/apps/${app.id}`,
    });
    expect(notice?.body).toContain('Reason: Scraping beyond the terms of use.');
    const mail = await server.mail.waitFor(owner.email, /^Application suspension notice$/);
    expect(mail.text).toContain('Scraping beyond the terms of use.');
    expect(mail.text).toContain(app.name);
    expect(linkIn(mail, '/orgs/').pathname).toBe(`/orgs/${org.id}/apps/${app.id}`);

    // The owner sees it suspended, with the reason.
    const seen = await owner.client.ok<{ app: { status: string; statusReason: string } }>(
      `query ($id: ID!) { app(id: $id) { status statusReason } }`,
      { id: app.id },
    );
    expect(seen.app).toEqual({
      status: 'SUSPENDED',
      statusReason: 'Scraping beyond the terms of use.',
    });
  });

  it('refuses a suspended app, a deleted app and a bad reason, changing nothing', async () => {
    const { owner, staff, app } = await setup();
    for (const [reason, message] of [
      ['  no ', 'Say why the app is suspended (at least 3 characters).'],
      ['x'.repeat(501), 'The reason must be at most 500 characters.'],
    ] as const) {
      expect(await staff.client.fails(SUSPEND, { input: { appId: app.id, reason } })).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'reason',
        message,
      });
    }
    expect((await storedApp(server, app.id))?.status).toBe('ACTIVE');

    await suspend(staff, app.id, 'First reason');
    expect(
      await staff.client.fails(SUSPEND, { input: { appId: app.id, reason: 'Second reason' } }),
    ).toMatchObject({ code: 'CONFLICT', field: 'appId' });
    expect((await storedApp(server, app.id))?.statusReason).toBe('First reason');
    expect(await eventsFor(server, { subjectId: app.id, kind: 'app.suspended' })).toHaveLength(1);

    await owner.client.ok(DELETE, { input: { appId: app.id, reason: 'done' } });
    for (const [operation, input] of [
      [SUSPEND, { appId: app.id, reason: 'Too late' }],
      [UNSUSPEND, { appId: app.id }],
    ] as const) {
      expect(await staff.client.fails(operation, { input })).toMatchObject({
        code: 'NOT_FOUND',
        field: 'appId',
      });
    }
    expect(
      await staff.client.fails(SUSPEND, { input: { appId: 'app_doesnotexist', reason: 'Gone' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'appId' });
  });

  it('is for staff only: the owner and the org admin are refused', async () => {
    const { admin, owner, staff, app } = await setup();
    for (const who of [owner, admin]) {
      expect(
        (await who.client.fails(SUSPEND, { input: { appId: app.id, reason: 'Myself' } })).code,
      ).toBe('FORBIDDEN');
    }
    expect((await storedApp(server, app.id))?.status).toBe('ACTIVE');
    await suspend(staff, app.id, 'Abuse report');
    for (const who of [owner, admin]) {
      expect((await who.client.fails(UNSUSPEND, { input: { appId: app.id } })).code).toBe(
        'FORBIDDEN',
      );
    }
    expect((await storedApp(server, app.id))?.status).toBe('SUSPENDED');
    expect(
      (await server.client().fails(SUSPEND, { input: { appId: app.id, reason: 'Anon' } })).code,
    ).toBe('UNAUTHENTICATED');
  });
});

describe('lifting a suspension', () => {
  it('gives the app back the status of its grants and clears the reason', async () => {
    const { org, owner, staff, app } = await setup();
    // No grants: ACTIVE again.
    await suspend(staff, app.id, 'Looking into it');
    expect(
      await staff.client.fails(SUSPEND, { input: { appId: app.id, reason: 'Again' } }),
    ).toMatchObject({ code: 'CONFLICT' });
    const lifted = await unsuspend(staff, app.id);
    expect(lifted).toMatchObject({ status: 'ACTIVE', statusReason: null });
    expect(await staff.client.fails(UNSUSPEND, { input: { appId: app.id } })).toMatchObject({
      code: 'CONFLICT',
      field: 'appId',
    });
    const events = await eventsFor(server, { subjectId: app.id, kind: 'app.unsuspended' });
    expect(events.map((e) => [e.topic, e.data])).toEqual([
      [`org:${org.id}`, { status: 'ACTIVE', setById: staff.id }],
    ]);
    expect((await auditEntriesFor(server, app.id)).at(-1)).toMatchObject({
      action: 'app.unsuspend',
      data: { name: app.name, to: 'ACTIVE' },
    });
    await server.mail.waitFor(owner.email, /is no longer suspended$/);

    // A pending request: PENDING again. Decisions taken meanwhile do not lift the suspension.
    const manual = await createProductRow(server, { approvalMode: ApprovalMode.MANUAL });
    const requested = await requestProducts(owner.client, app.id, [manual.id]);
    expect(requested.app.status).toBe('ACTIVE');
    await suspend(staff, app.id, 'Second look');
    expect((await unsuspend(staff, app.id)).status).toBe('PENDING');

    await suspend(staff, app.id, 'Third look');
    await decideGrants(staff, [requested.grants[0]!.id], 'REJECT', 'Not for you');
    expect((await storedApp(server, app.id))?.status).toBe('SUSPENDED');
    expect((await unsuspend(staff, app.id)).status).toBe('REJECTED');
  });

  it('an app approved while suspended is ACTIVE once lifted', async () => {
    const { org, owner, staff } = await setup();
    const manual = await createProductRow(server, { approvalMode: ApprovalMode.MANUAL });
    const app = await createApp(owner.client, org.id, { productIds: [manual.id] });
    expect(app.status).toBe('PENDING');
    await suspend(staff, app.id, 'Unusual traffic');
    const [grant] = await storedGrants(server, app.id);
    await decideGrants(staff, [grant!.id], 'APPROVE');
    expect((await storedApp(server, app.id))?.status).toBe('SUSPENDED');
    expect(await unsuspend(staff, app.id)).toMatchObject({ status: 'ACTIVE', statusReason: null });
  });
});
