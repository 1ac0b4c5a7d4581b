import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  auditEntriesFor,
  createApp,
  createProject,
  orgWithMembers,
  storedApps,
} from '../../../test/app-builders.js';
import { signUpUser, uniqueEmail } from '../../../test/builders.js';
import {
  createProductRow,
  decideGrants,
  ensurePlanRows,
  eventsFor,
  GRANT_FIELDS,
  REQUEST_PRODUCTS,
  requestProducts,
  storedAppStatus,
  storedGrants,
  storedNotifications,
  subscribePlan,
  verifyOrganization,
  type GrantFields,
} from '../../../test/grant-builders.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { createContext, NO_COOKIES } from '../../context.js';
import { User } from '../accounts/accounts.entity.js';
import { App, AppStatus } from '../apps/apps.entity.js';
import { MemberRole } from '../orgs/orgs.entity.js';
import { ApprovalMode } from '../products/products.entity.js';
import { GrantStatus, ProductGrant } from './grants.entity.js';
import { requestGrantsForApp } from './grants.service.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await ensurePlanRows(server);
});
afterAll(async () => {
  await server.close();
});

const CREATE_APP = `mutation ($input: CreateAppInput!) {
  createApp(input: $input) { app { id status grants { ${GRANT_FIELDS} } } }
}`;
const WITHDRAW = `mutation ($input: WithdrawGrantRequestInput!) {
  withdrawGrantRequest(input: $input) { grant { id status decidedBy { id } } app { id status } }
}`;
const APP_GRANTS = `query ($id: ID!) { app(id: $id) { id status grants { ${GRANT_FIELDS} } } }`;

type CreatedApp = { id: string; status: string; grants: GrantFields[] };

async function createAppWith(
  client: TestServer['client'] extends () => infer C ? C : never,
  organizationId: string,
  productIds: string[],
  extra: Record<string, unknown> = {},
): Promise<CreatedApp> {
  const data = await client.ok<{ createApp: { app: CreatedApp } }>(CREATE_APP, {
    input: {
      organizationId,
      name: `App ${Math.random().toString(36).slice(2, 10)}`,
      productIds,
      ...extra,
    },
  });
  return data.createApp.app;
}

describe('createApp with productIds', () => {
  it('is ACTIVE at once when every product auto-approves, recording the rule', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const developer = org.developers[0]!;
    const a = await createProductRow(server, { approvalMode: ApprovalMode.AUTO });
    const b = await createProductRow(server, { approvalMode: ApprovalMode.AUTO });
    const app = await createAppWith(developer.client, org.id, [a.id, b.id]);
    expect(app.status).toBe('ACTIVE');
    expect(app.grants.map((g) => [g.product.id, g.status, g.decidedByRule, g.decidedBy])).toEqual(
      expect.arrayContaining([
        [a.id, 'APPROVED', 'AUTO', null],
        [b.id, 'APPROVED', 'AUTO', null],
      ]),
    );
    expect(app.grants.every((g) => g.requestedBy?.id === developer.id && g.decidedAt)).toBe(true);
    const grantIds = app.grants.map((g) => g.id);
    const events = await eventsFor(server, { subjectId: grantIds });
    expect(events.map((e) => [e.topic, e.kind])).toEqual([
      [`org:${org.id}`, 'grant.requested'],
      [`org:${org.id}`, 'grant.requested'],
    ]);
    const audit = await auditEntriesFor(server, grantIds[0]!);
    expect(audit.map((e) => [e.action, e.actor?.id ?? null]).sort()).toEqual([
      ['grant.approve', null],
      ['grant.request', developer.id],
    ]);
    expect(audit.find((e) => e.action === 'grant.approve')!.data).toMatchObject({ rule: 'AUTO' });
  });

  it('is PENDING while any request waits for staff, who are told in-app and by email', async () => {
    const staff = await signUpUser(server, { staff: true });
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const auto = await createProductRow(server, { approvalMode: ApprovalMode.AUTO });
    const manual = await createProductRow(server, { name: 'Firehose' });
    const app = await createAppWith(admin.client, org.id, [auto.id, manual.id]);
    expect(app.status).toBe('PENDING');
    const pending = app.grants.find((g) => g.product.id === manual.id)!;
    expect(pending).toMatchObject({ status: 'PENDING', decidedAt: null, decidedByRule: null });
    const events = await eventsFor(server, { subjectId: pending.id });
    expect(events.map((e) => [e.topic, e.kind, e.data.status])).toEqual([
      ['review_queue', 'grant.requested', 'PENDING'],
      [`org:${org.id}`, 'grant.requested', 'PENDING'],
    ]);
    const notices = await storedNotifications(server, staff.id);
    expect(notices.at(-1)).toMatchObject({ kind: 'app.submitted', link: '/staff/review' });
    expect(notices.at(-1)!.body).toContain('Firehose');
    const mail = await server.mail.waitFor(staff.email, /is waiting for review$/);
    expect(mail.text).toContain('http://portico.test/staff/review');
  });

  it('refuses a requiresProject product for a standalone app, creating nothing', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const v2 = await createProductRow(server, { requiresProject: true });
    expect(
      await admin.client.fails(CREATE_APP, {
        input: { organizationId: org.id, name: 'Standalone', productIds: [v2.id] },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'productIds' });
    expect(await storedApps(server, org.id)).toHaveLength(0);
    const project = await createProject(admin.client, org.id);
    const inProject = await createAppWith(admin.client, org.id, [v2.id], { projectId: project.id });
    expect(inProject.grants.map((g) => g.status)).toEqual(['PENDING']);
  });

  it('without products stays ACTIVE with no grants', async () => {
    const org = await orgWithMembers(server);
    const app = await createAppWith(org.admins[0]!.client, org.id, []);
    expect(app).toMatchObject({ status: 'ACTIVE', grants: [] });
  });
});

describe('CONDITIONAL products', () => {
  type Case = {
    name: string;
    rules: Record<string, unknown>;
    prepare?: (orgId: string, productId: string) => Promise<void>;
    email?: string;
    permissionLevel?: string;
    approved: boolean;
    rule?: string;
    unmet?: string[];
  };
  const cases: Case[] = [
    {
      name: 'unverified org',
      rules: { requireVerifiedOrg: true },
      approved: false,
      unmet: ['requireVerifiedOrg'],
    },
    {
      name: 'verified org',
      rules: { requireVerifiedOrg: true },
      prepare: (orgId) => verifyOrganization(server, orgId),
      approved: true,
      rule: 'CONDITIONAL:requireVerifiedOrg',
    },
    {
      name: 'default (lowest) plan below the minimum',
      rules: { minimumPlanRank: 2 },
      approved: false,
      unmet: ['minimumPlanRank'],
    },
    {
      name: 'plan below the minimum',
      rules: { minimumPlanRank: 2 },
      prepare: (orgId, productId) => subscribePlan(server, orgId, productId, 'Basic'),
      approved: false,
      unmet: ['minimumPlanRank'],
    },
    {
      name: 'plan at the minimum',
      rules: { minimumPlanRank: 2 },
      prepare: (orgId, productId) => subscribePlan(server, orgId, productId, 'Pro'),
      approved: true,
      rule: 'CONDITIONAL:minimumPlanRank',
    },
    {
      name: 'permission level above the maximum',
      rules: { maximumPermissionLevel: 'READ_WRITE' },
      permissionLevel: 'READ_WRITE_DM',
      approved: false,
      unmet: ['maximumPermissionLevel'],
    },
    {
      name: 'permission level at the maximum',
      rules: { maximumPermissionLevel: 'READ_WRITE' },
      permissionLevel: 'READ_WRITE',
      approved: true,
      rule: 'CONDITIONAL:maximumPermissionLevel',
    },
    {
      name: 'owner email in an allowed domain',
      rules: { emailDomains: ['Partner.example'] },
      email: `dev-${Date.now()}@partner.example`,
      approved: true,
      rule: 'CONDITIONAL:emailDomains',
    },
    {
      name: 'owner email in another domain',
      rules: { emailDomains: ['partner.example'] },
      approved: false,
      unmet: ['emailDomains'],
    },
    {
      name: 'every condition met',
      rules: { requireVerifiedOrg: true, maximumPermissionLevel: 'READ' },
      prepare: (orgId) => verifyOrganization(server, orgId),
      approved: true,
      rule: 'CONDITIONAL:requireVerifiedOrg+maximumPermissionLevel',
    },
    {
      name: 'one of two conditions failing',
      rules: { requireVerifiedOrg: true, maximumPermissionLevel: 'READ' },
      permissionLevel: 'READ_WRITE',
      approved: false,
      unmet: ['requireVerifiedOrg', 'maximumPermissionLevel'],
    },
    // The API refuses to save such a product; one written anyway approves nothing.
    { name: 'no conditions set', rules: {}, approved: false },
  ];

  it.each(cases)('$name → approved: $approved', async (c) => {
    const owner = await signUpUser(server, { email: c.email ?? uniqueEmail('owner') });
    const org = await orgWithMembers(server, { admins: 0 });
    await addMember(server, org.id, owner, MemberRole.ADMIN);
    const product = await createProductRow(server, {
      approvalMode: ApprovalMode.CONDITIONAL,
      approvalRules: c.rules,
    });
    await c.prepare?.(org.id, product.id);
    const app = await createAppWith(owner.client, org.id, [product.id], {
      permissionLevel: c.permissionLevel ?? 'READ',
    });
    const [grant] = app.grants;
    expect(app.status).toBe(c.approved ? 'ACTIVE' : 'PENDING');
    expect(grant).toMatchObject({
      status: c.approved ? 'APPROVED' : 'PENDING',
      decidedByRule: c.rule ?? null,
      unmetRules: c.unmet ?? [],
    });
  });
});

describe('requestProducts', () => {
  it('lets the owner and an admin request; refuses other developers, outsiders, staff and the signed out', async () => {
    const org = await orgWithMembers(server, { developers: 2 });
    const [owner, otherDeveloper] = org.developers as [
      (typeof org.developers)[0],
      (typeof org.developers)[0],
    ];
    const admin = org.admins[0]!;
    const outsider = (await orgWithMembers(server)).admins[0]!;
    const staff = await signUpUser(server, { staff: true });
    const app = await createApp(owner.client, org.id);
    const [p1, p2, p3] = await Promise.all([
      createProductRow(server),
      createProductRow(server),
      createProductRow(server),
    ]);
    const byOwner = await requestProducts(owner.client, app.id, [p1.id]);
    expect(byOwner.grants.map((g) => [g.status, g.requestedBy?.id])).toEqual([
      ['PENDING', owner.id],
    ]);
    const byAdmin = await requestProducts(admin.client, app.id, [p2.id]);
    expect(byAdmin.grants.map((g) => [g.status, g.requestedBy?.id])).toEqual([
      ['PENDING', admin.id],
    ]);
    const input = { appId: app.id, productIds: [p3.id] };
    expect(await otherDeveloper.client.fails(REQUEST_PRODUCTS, { input })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await outsider.client.fails(REQUEST_PRODUCTS, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'appId',
    });
    expect(await staff.client.fails(REQUEST_PRODUCTS, { input })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await server.client().fails(REQUEST_PRODUCTS, { input })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect((await storedGrants(server, app.id)).map((g) => g.product.id)).toEqual([p1.id, p2.id]);
    // An ACTIVE app stays ACTIVE while new requests wait.
    expect(await storedAppStatus(server, app.id)).toBe('ACTIVE');
  });

  it('refuses bad input naming the field, changing nothing', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const app = await createApp(admin.client, org.id);
    const ok = await createProductRow(server);
    const archived = await createProductRow(server, { archived: true });
    const v2 = await createProductRow(server, { requiresProject: true });
    const cases: [string, string, string[]][] = [
      ['BAD_USER_INPUT', 'productIds', []],
      ['BAD_USER_INPUT', 'productIds.1', [ok.id, ok.id]],
      ['BAD_USER_INPUT', 'productIds', Array.from({ length: 21 }, (_, i) => `prd_${i}`)],
      ['NOT_FOUND', 'productIds', [ok.id, 'prd_doesnotexist']],
      ['BAD_USER_INPUT', 'productIds', [ok.id, archived.id]],
      ['BAD_USER_INPUT', 'productIds', [ok.id, v2.id]],
    ];
    for (const [code, field, productIds] of cases) {
      expect(
        await admin.client.fails(REQUEST_PRODUCTS, { input: { appId: app.id, productIds } }),
        JSON.stringify(productIds),
      ).toMatchObject({ code, field });
    }
    expect(
      await admin.client.fails(REQUEST_PRODUCTS, {
        input: { appId: 'app_nope', productIds: [ok.id] },
      }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'appId' });
    expect(await storedGrants(server, app.id)).toHaveLength(0);
    expect(await eventsFor(server, { topic: `org:${org.id}` })).toHaveLength(0);
  });

  it('refuses a product with a live request (CONFLICT) but keeps history after rejection, revocation or withdrawal', async () => {
    const staff = await signUpUser(server, { staff: true });
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const app = await createApp(admin.client, org.id);
    const manual = await createProductRow(server, { name: 'Manual One' });
    const auto = await createProductRow(server, { approvalMode: ApprovalMode.AUTO });

    const [first] = (await requestProducts(admin.client, app.id, [manual.id])).grants;
    const again = { input: { appId: app.id, productIds: [manual.id] } };
    expect(await admin.client.fails(REQUEST_PRODUCTS, again)).toMatchObject({
      code: 'CONFLICT',
      field: 'productIds',
    });
    await decideGrants(staff, [first!.id], 'REJECT', 'Tell us more');
    const [second] = (await requestProducts(admin.client, app.id, [manual.id])).grants;
    expect(second!.id).not.toBe(first!.id);
    expect(second!.status).toBe('PENDING');
    await admin.client.ok(WITHDRAW, { input: { grantId: second!.id } });
    const [third] = (await requestProducts(admin.client, app.id, [manual.id])).grants;
    expect(third!.status).toBe('PENDING');

    const [approved] = (await requestProducts(admin.client, app.id, [auto.id])).grants;
    expect(
      await admin.client.fails(REQUEST_PRODUCTS, {
        input: { appId: app.id, productIds: [auto.id] },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'productIds' });
    await staff.client.ok(
      `mutation ($input: RevokeGrantInput!) { revokeGrant(input: $input) { grant { id } } }`,
      { input: { grantId: approved!.id, reason: 'Abuse' } },
    );
    const [reapproved] = (await requestProducts(admin.client, app.id, [auto.id])).grants;
    expect(reapproved!.status).toBe('APPROVED');

    const stored = await storedGrants(server, app.id);
    expect(stored.map((g) => [g.product.id, g.status])).toEqual([
      [manual.id, GrantStatus.REJECTED],
      [manual.id, GrantStatus.WITHDRAWN],
      [manual.id, GrantStatus.PENDING],
      [auto.id, GrantStatus.REVOKED],
      [auto.id, GrantStatus.APPROVED],
    ]);
    // App.grants shows current and history, newest first.
    const data = await admin.client.ok<{ app: { grants: GrantFields[] } }>(APP_GRANTS, {
      id: app.id,
    });
    expect(data.app.grants.map((g) => g.status)).toEqual([
      'APPROVED',
      'REVOKED',
      'PENDING',
      'WITHDRAWN',
      'REJECTED',
    ]);
  });

  it('writes no grant and no event when the transaction rolls back', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const app = await createApp(admin.client, org.id);
    const manual = await createProductRow(server);
    const em = server.orm.em.fork();
    const user = await em.findOneOrFail(User, { id: admin.id });
    const ctx = createContext(
      server.app.services,
      { user, via: 'session', scopes: [], grant: null, sessionId: null, tokenId: null },
      { ip: null, userAgent: null },
      NO_COOKIES,
      em,
    );
    let grantId = '';
    await expect(
      em.transactional(async (tx) => {
        const locked = await tx.findOneOrFail(App, { id: app.id });
        const { grants } = await requestGrantsForApp(tx, ctx, locked, [manual.id]);
        grantId = grants[0]!.id;
        // The events were written (and flushed) inside the transaction...
        expect(await tx.count(ProductGrant, { id: grantId })).toBe(1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // ...and are gone with it.
    expect(grantId).toMatch(/^grt_/);
    expect(await storedGrants(server, app.id)).toHaveLength(0);
    expect(await eventsFor(server, { subjectId: grantId })).toHaveLength(0);
    expect(await eventsFor(server, { topic: `org:${org.id}` })).toHaveLength(0);
  });
});

describe('app status', () => {
  it('approving a grant of a PENDING app makes it ACTIVE', async () => {
    const staff = await signUpUser(server, { staff: true });
    const org = await orgWithMembers(server);
    const manual = await createProductRow(server);
    const app = await createAppWith(org.admins[0]!.client, org.id, [manual.id]);
    expect(app.status).toBe('PENDING');
    await decideGrants(staff, [app.grants[0]!.id], 'APPROVE');
    expect(await storedAppStatus(server, app.id)).toBe('ACTIVE');
  });

  it('stays PENDING until every request is decided; REJECTED when all were rejected, with the reason', async () => {
    const staff = await signUpUser(server, { staff: true });
    const org = await orgWithMembers(server);
    const [m1, m2] = await Promise.all([createProductRow(server), createProductRow(server)]);
    const app = await createAppWith(org.admins[0]!.client, org.id, [m1.id, m2.id]);
    const [g1, g2] = app.grants;
    await decideGrants(staff, [g1!.id], 'REJECT', 'First no');
    expect(await storedAppStatus(server, app.id)).toBe('PENDING');
    await decideGrants(staff, [g2!.id], 'REJECT', 'Second no');
    const stored = await server.orm.em.fork().findOneOrFail(App, { id: app.id });
    expect(stored).toMatchObject({ status: AppStatus.REJECTED, statusReason: 'Second no' });
    expect(stored.statusSetBy?.id).toBe(staff.id);
    const audit = await auditEntriesFor(server, app.id);
    expect(audit.map((e) => [e.action, e.data.to])).toContainEqual([
      'app.status_change',
      'REJECTED',
    ]);

    // Asking again puts it back under review; approval makes it ACTIVE.
    const again = await requestProducts(org.admins[0]!.client, app.id, [m1.id]);
    expect(again.app.status).toBe('PENDING');
    await decideGrants(staff, [again.grants[0]!.id], 'APPROVE');
    expect(await storedAppStatus(server, app.id)).toBe('ACTIVE');
  });

  it('a PENDING app with an approved product becomes ACTIVE when the rest is rejected', async () => {
    const staff = await signUpUser(server, { staff: true });
    const org = await orgWithMembers(server);
    const auto = await createProductRow(server, { approvalMode: ApprovalMode.AUTO });
    const manual = await createProductRow(server);
    const app = await createAppWith(org.admins[0]!.client, org.id, [auto.id, manual.id]);
    expect(app.status).toBe('PENDING');
    const pending = app.grants.find((g) => g.status === 'PENDING')!;
    await decideGrants(staff, [pending.id], 'REJECT');
    expect(await storedAppStatus(server, app.id)).toBe('ACTIVE');
  });

  it('a REJECTED app asking for an auto-approved product is ACTIVE again', async () => {
    const staff = await signUpUser(server, { staff: true });
    const org = await orgWithMembers(server);
    const manual = await createProductRow(server);
    const auto = await createProductRow(server, { approvalMode: ApprovalMode.AUTO });
    const app = await createAppWith(org.admins[0]!.client, org.id, [manual.id]);
    await decideGrants(staff, [app.grants[0]!.id], 'REJECT');
    expect(await storedAppStatus(server, app.id)).toBe('REJECTED');
    const again = await requestProducts(org.admins[0]!.client, app.id, [auto.id]);
    expect(again.app.status).toBe('ACTIVE');
  });

  it('never touches a SUSPENDED app', async () => {
    const staff = await signUpUser(server, { staff: true });
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const [m1, m2] = await Promise.all([createProductRow(server), createProductRow(server)]);
    const app = await createApp(admin.client, org.id);
    await server.orm.em.fork().nativeUpdate(App, { id: app.id }, { status: AppStatus.SUSPENDED });
    const { grants } = await requestProducts(admin.client, app.id, [m1.id, m2.id]);
    expect(await storedAppStatus(server, app.id)).toBe('SUSPENDED');
    await decideGrants(staff, [grants[0]!.id], 'APPROVE');
    await decideGrants(staff, [grants[1]!.id], 'REJECT');
    expect(await storedAppStatus(server, app.id)).toBe('SUSPENDED');
  });
});

describe('withdrawGrantRequest', () => {
  it('lets the owner withdraw a pending request: WITHDRAWN, events on both streams, audited; the app is no longer PENDING', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const owner = org.developers[0]!;
    const manual = await createProductRow(server);
    const app = await createAppWith(owner.client, org.id, [manual.id]);
    const grantId = app.grants[0]!.id;
    const data = await owner.client.ok<{
      withdrawGrantRequest: {
        grant: { status: string; decidedBy: { id: string } };
        app: { status: string };
      };
    }>(WITHDRAW, { input: { grantId } });
    expect(data.withdrawGrantRequest).toEqual({
      grant: { id: grantId, status: 'WITHDRAWN', decidedBy: { id: owner.id } },
      app: { id: app.id, status: 'ACTIVE' },
    });
    const events = await eventsFor(server, { subjectId: grantId, kind: 'grant.withdrawn' });
    expect(events.map((e) => e.topic)).toEqual(['review_queue', `org:${org.id}`]);
    const audit = await auditEntriesFor(server, grantId);
    expect(audit.map((e) => [e.action, e.actor?.id])).toEqual([
      ['grant.request', owner.id],
      ['grant.withdraw', owner.id],
    ]);
    expect(await owner.client.fails(WITHDRAW, { input: { grantId } })).toMatchObject({
      code: 'CONFLICT',
      field: 'grantId',
    });
  });

  it('refuses other developers (FORBIDDEN), outsiders (NOT_FOUND) and unknown ids, changing nothing', async () => {
    const org = await orgWithMembers(server, { developers: 2 });
    const [owner, other] = org.developers as [
      (typeof org.developers)[0],
      (typeof org.developers)[0],
    ];
    const outsider = (await orgWithMembers(server)).admins[0]!;
    const manual = await createProductRow(server);
    const app = await createAppWith(owner.client, org.id, [manual.id]);
    const input = { grantId: app.grants[0]!.id };
    expect(await other.client.fails(WITHDRAW, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await outsider.client.fails(WITHDRAW, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'grantId',
    });
    expect(await owner.client.fails(WITHDRAW, { input: { grantId: 'grt_nope' } })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'grantId',
    });
    expect((await storedGrants(server, app.id)).map((g) => g.status)).toEqual([
      GrantStatus.PENDING,
    ]);
    // An admin may withdraw any app's request.
    await org.admins[0]!.client.ok(WITHDRAW, { input });
  });
});

describe('deleting an app', () => {
  it('withdraws its pending requests and revokes its grants; a new app of the same name asks again', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const auto = await createProductRow(server, { approvalMode: ApprovalMode.AUTO });
    const manual = await createProductRow(server);
    const app = await createAppWith(admin.client, org.id, [auto.id, manual.id], { name: 'Reborn' });
    await admin.client.ok(
      `mutation ($input: DeleteAppInput!) { deleteApp(input: $input) { deletedAppId } }`,
      { input: { appId: app.id, reason: 'Done' } },
    );
    const stored = await storedGrants(server, app.id);
    expect(stored.map((g) => [g.product.id, g.status])).toEqual(
      expect.arrayContaining([
        [auto.id, GrantStatus.REVOKED],
        [manual.id, GrantStatus.WITHDRAWN],
      ]),
    );
    const pendingId = stored.find((g) => g.product.id === manual.id)!.id;
    expect(
      (await eventsFor(server, { subjectId: pendingId, kind: 'grant.withdrawn' })).map(
        (e) => e.topic,
      ),
    ).toEqual(['review_queue', `org:${org.id}`]);
    expect(
      await admin.client.fails(REQUEST_PRODUCTS, {
        input: { appId: app.id, productIds: [manual.id] },
      }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'appId' });
    const reborn = await createAppWith(admin.client, org.id, [manual.id], { name: 'Reborn' });
    expect(reborn.status).toBe('PENDING');
    expect(reborn.grants.map((g) => g.status)).toEqual(['PENDING']);
  });
});
