import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntriesFor, createApp, orgWithMembers } from '../../../test/app-builders.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import {
  createProductRow,
  DECIDE_GRANTS,
  decideGrants,
  eventsFor,
  requestProducts,
  storedAppStatus,
  storedGrants,
  storedNotifications,
} from '../../../test/grant-builders.js';
import { linkIn, startTestServer, type TestServer } from '../../../test/harness.js';
import { User } from '../accounts/accounts.entity.js';
import { ApplicationStatus, DeveloperApplication } from '../applications/applications.entity.js';
import { App } from '../apps/apps.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { ApiProduct, ApprovalMode } from '../products/products.entity.js';
import { GrantStatus, ProductGrant } from './grants.entity.js';

let server: TestServer;
let staff: SignedInUser;
beforeAll(async () => {
  server = await startTestServer();
  staff = await signUpUser(server, { staff: true, name: 'Sam Staff' });
});
afterAll(async () => {
  await server.close();
});

const QUEUE = `query ($filter: ReviewQueueFilter, $first: Int, $after: String) {
  reviewQueue(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id kind createdAt ageSeconds
      ... on GrantReviewItem {
        grant { id status }
        app { id name } organization { id name } owner { id email } product { id name }
      }
      ... on ApplicationReviewItem { application { id status } applicant { id } }
    }
  }
}`;

interface QueueNode {
  id: string;
  kind: 'GRANT' | 'APPLICATION';
  ageSeconds: number;
  app?: { id: string };
  organization?: { id: string };
  owner?: { id: string };
  product?: { id: string };
  applicant?: { id: string };
}
interface QueueData {
  reviewQueue: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: QueueNode[];
  };
}

const REVOKE = `mutation ($input: RevokeGrantInput!) {
  revokeGrant(input: $input) { grant { id status reason decidedBy { id } } }
}`;

/** An org (admin + developer owner), an app owned by the developer, pending requests for it. */
async function pendingScene(productCount = 1, names: string[] = []) {
  const org = await orgWithMembers(server, { developers: 1 });
  const owner = org.developers[0]!;
  const app = await createApp(owner.client, org.id);
  const products = [];
  for (let i = 0; i < productCount; i++) {
    products.push(await createProductRow(server, names[i] ? { name: names[i] } : {}));
  }
  const { grants } = await requestProducts(
    owner.client,
    app.id,
    products.map((p) => p.id),
  );
  return { org, owner, admin: org.admins[0]!, app, products, grants };
}

async function applicationRow(
  status: ApplicationStatus,
  at: Date,
): Promise<{ id: string; userId: string }> {
  const user = await signUpUser(server);
  const em = server.orm.em.fork();
  const application = new DeveloperApplication(
    em.getReference(User, user.id, { wrapped: true }),
    'A detailed use case',
  );
  application.status = status;
  application.createdAt = at;
  await em.persist(application).flush();
  return { id: application.id, userId: user.id };
}

describe('reviewQueue', () => {
  it('lists pending grants and waiting applications oldest first, with app, org, owner, product and age', async () => {
    const old = await applicationRow(ApplicationStatus.PENDING, new Date(Date.now() - 3_600_000));
    const question = await applicationRow(
      ApplicationStatus.QUESTION,
      new Date(Date.now() - 60_000),
    );
    const done = await applicationRow(ApplicationStatus.APPROVED, new Date(Date.now() - 120_000));
    const scene = await pendingScene(1);
    const data = await staff.client.ok<QueueData>(QUEUE, { first: 100 });
    const ids = data.reviewQueue.nodes.map((n) => n.id);
    const grantId = scene.grants[0]!.id;
    expect(ids).not.toContain(done.id);
    expect(ids.indexOf(old.id)).toBeLessThan(ids.indexOf(question.id));
    expect(ids.indexOf(question.id)).toBeLessThan(ids.indexOf(grantId));
    const oldItem = data.reviewQueue.nodes.find((n) => n.id === old.id)!;
    expect(oldItem).toMatchObject({ kind: 'APPLICATION', applicant: { id: old.userId } });
    expect(oldItem.ageSeconds).toBeGreaterThanOrEqual(3599);
    expect(data.reviewQueue.nodes.find((n) => n.id === grantId)).toMatchObject({
      kind: 'GRANT',
      app: { id: scene.app.id },
      organization: { id: scene.org.id },
      owner: { id: scene.owner.id },
      product: { id: scene.products[0]!.id },
    });
  });

  it('filters by kind, product and organization, pages, and drops decided, withdrawn and deleted-app requests', async () => {
    const scene = await pendingScene(3);
    const [g1, g2, g3] = scene.grants;
    const byOrg = { organizationId: scene.org.id };
    const page1 = await staff.client.ok<QueueData>(QUEUE, { filter: byOrg, first: 2 });
    expect(page1.reviewQueue.totalCount).toBe(3);
    expect(page1.reviewQueue.pageInfo.hasNextPage).toBe(true);
    const page2 = await staff.client.ok<QueueData>(QUEUE, {
      filter: byOrg,
      first: 2,
      after: page1.reviewQueue.pageInfo.endCursor,
    });
    expect(page2.reviewQueue.pageInfo.hasNextPage).toBe(false);
    const all = [...page1.reviewQueue.nodes, ...page2.reviewQueue.nodes].map((n) => n.id);
    expect(new Set(all)).toEqual(new Set([g1!.id, g2!.id, g3!.id]));

    const byProduct = await staff.client.ok<QueueData>(QUEUE, {
      filter: { productId: scene.products[1]!.id },
    });
    expect(byProduct.reviewQueue.nodes.map((n) => n.id)).toEqual([g2!.id]);
    const apps = await staff.client.ok<QueueData>(QUEUE, {
      filter: { kind: 'APPLICATION' },
      first: 100,
    });
    expect(apps.reviewQueue.nodes.every((n) => n.kind === 'APPLICATION')).toBe(true);

    await decideGrants(staff, [g1!.id], 'APPROVE');
    await scene.owner.client.ok(
      `mutation ($input: WithdrawGrantRequestInput!) { withdrawGrantRequest(input: $input) { grant { id } } }`,
      { input: { grantId: g2!.id } },
    );
    const after = await staff.client.ok<QueueData>(QUEUE, { filter: byOrg });
    expect(after.reviewQueue.nodes.map((n) => n.id)).toEqual([g3!.id]);
    await server.orm.em.fork().nativeUpdate(App, { id: scene.app.id }, { deletedAt: new Date() });
    const gone = await staff.client.ok<QueueData>(QUEUE, { filter: byOrg });
    expect(gone.reviewQueue.totalCount).toBe(0);
  });

  it('is for staff only; bad page arguments name the field', async () => {
    const scene = await pendingScene(1);
    expect(await scene.admin.client.fails(QUEUE)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await staff.client.fails(QUEUE, { first: 0 })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    expect(await staff.client.fails(QUEUE, { after: 'garbage' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });
});

describe('decideGrants', () => {
  it('approves: who, when, events on both streams, audit, and the owner told in-app and by email', async () => {
    const scene = await pendingScene(1, ['Weather API']);
    const grantId = scene.grants[0]!.id;
    const [grant] = await decideGrants(staff, [grantId], 'APPROVE', 'Looks good');
    expect(grant).toMatchObject({
      status: 'APPROVED',
      reason: 'Looks good',
      decidedBy: { id: staff.id },
      decidedByRule: null,
      app: { id: scene.app.id, status: 'ACTIVE' },
    });
    const events = await eventsFor(server, { subjectId: grantId, kind: 'grant.decided' });
    expect(events.map((e) => [e.topic, e.data.status, e.data.decidedById])).toEqual([
      ['review_queue', 'APPROVED', staff.id],
      [`org:${scene.org.id}`, 'APPROVED', staff.id],
    ]);
    const audit = await auditEntriesFor(server, grantId);
    expect(audit.map((e) => [e.action, e.actor?.id])).toContainEqual(['grant.approve', staff.id]);
    const [notice] = await storedNotifications(server, scene.owner.id);
    expect(notice).toMatchObject({
      kind: 'grant.decided',
      title: 'Your request for Weather API was approved',
      link: `/orgs/${scene.org.id}/apps/${scene.app.id}`,
    });
    expect(await eventsFor(server, { subjectId: notice!.id })).toMatchObject([
      { topic: `user:${scene.owner.id}`, kind: 'notification.created' },
    ]);
    const mail = await server.mail.waitFor(
      scene.owner.email,
      /^Your request for Weather API was approved$/,
    );
    expect(mail.text).toContain('Looks good');
    expect(linkIn(mail, '/orgs/').pathname).toBe(`/orgs/${scene.org.id}/apps/${scene.app.id}`);
  });

  it('rejects with a reason, or with a template as the reason; a rejection needs one', async () => {
    const scene = await pendingScene(2, ['Ads API', 'Maps API']);
    const [g1, g2] = scene.grants;
    expect(
      await staff.client.fails(DECIDE_GRANTS, {
        input: { grantIds: [g1!.id], decision: 'REJECT' },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(
      await staff.client.fails(DECIDE_GRANTS, {
        input: { grantIds: [g1!.id], decision: 'REJECT', reasonTemplateId: 'rsn_nope' },
      }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'reasonTemplateId' });
    expect((await storedGrants(server, scene.app.id)).map((g) => g.status)).toEqual([
      GrantStatus.PENDING,
      GrantStatus.PENDING,
    ]);

    const template = await staff.client.ok<{
      createReasonTemplate: { reasonTemplate: { id: string } };
    }>(
      `mutation ($input: CreateReasonTemplateInput!) { createReasonTemplate(input: $input) { reasonTemplate { id } } }`,
      { input: { title: 'Incomplete', text: 'Your use case is incomplete.' } },
    );
    const data = await staff.client.ok<{
      decideGrants: { grants: { reason: string; status: string }[] };
    }>(DECIDE_GRANTS, {
      input: {
        grantIds: [g1!.id, g2!.id],
        decision: 'REJECT',
        reasonTemplateId: template.createReasonTemplate.reasonTemplate.id,
      },
    });
    expect(data.decideGrants.grants).toEqual([
      expect.objectContaining({ status: 'REJECTED', reason: 'Your use case is incomplete.' }),
      expect.objectContaining({ status: 'REJECTED', reason: 'Your use case is incomplete.' }),
    ]);
    expect(await storedAppStatus(server, scene.app.id)).toBe('ACTIVE');
    const mail = await server.mail.waitFor(
      scene.owner.email,
      /^Your request for Maps API was rejected$/,
    );
    expect(mail.text).toContain('Your use case is incomplete.');
    await server.mail.waitFor(scene.owner.email, /^Your request for Ads API was rejected$/);
    const audit = await auditEntriesFor(server, g2!.id);
    expect(audit.find((e) => e.action === 'grant.reject')!.data).toMatchObject({
      reason: 'Your use case is incomplete.',
      reasonTemplateId: template.createReasonTemplate.reasonTemplate.id,
    });
  });

  it('is atomic: one already-decided request refuses the whole batch (CONFLICT naming it) and changes nothing', async () => {
    const a = await pendingScene(1);
    const b = await pendingScene(1);
    const pendingId = a.grants[0]!.id;
    const decidedId = b.grants[0]!.id;
    await decideGrants(staff, [decidedId], 'APPROVE');
    const eventsBefore = await eventsFor(server, { subjectId: pendingId });
    expect(
      await staff.client.fails(DECIDE_GRANTS, {
        input: { grantIds: [pendingId, decidedId], decision: 'REJECT', reason: 'No' },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'grantIds.1' });
    const [stored] = await storedGrants(server, a.app.id);
    expect(stored).toMatchObject({ status: GrantStatus.PENDING, decidedBy: null, reason: null });
    expect(await eventsFor(server, { subjectId: pendingId })).toHaveLength(eventsBefore.length);
    expect(await storedNotifications(server, a.owner.id)).toHaveLength(0);
    expect((await auditEntriesFor(server, pendingId)).map((e) => e.action)).toEqual([
      'grant.request',
    ]);

    const cases: [string, string, string[]][] = [
      ['BAD_USER_INPUT', 'grantIds', []],
      ['BAD_USER_INPUT', 'grantIds.1', [pendingId, pendingId]],
      ['NOT_FOUND', 'grantIds.1', [pendingId, 'grt_nope']],
    ];
    for (const [code, field, grantIds] of cases) {
      expect(
        await staff.client.fails(DECIDE_GRANTS, { input: { grantIds, decision: 'APPROVE' } }),
      ).toMatchObject({ code, field });
    }
    expect((await storedGrants(server, a.app.id))[0]!.status).toBe(GrantStatus.PENDING);
  });

  it('decides many across organizations in one go', async () => {
    const a = await pendingScene(1);
    const b = await pendingScene(2);
    const ids = [a.grants[0]!.id, ...b.grants.map((g) => g.id)];
    const grants = await decideGrants(staff, ids, 'APPROVE');
    expect(grants.map((g) => [g.id, g.status])).toEqual(ids.map((id) => [id, 'APPROVED']));
    await server.mail.waitFor(a.owner.email, /was approved$/);
    await server.mail.waitFor(b.owner.email, /was approved$/);
    expect(await storedNotifications(server, b.owner.id)).toHaveLength(2);
  });

  it('is for staff only', async () => {
    const scene = await pendingScene(1);
    const input = { grantIds: [scene.grants[0]!.id], decision: 'APPROVE' };
    for (const user of [scene.admin, scene.owner]) {
      expect(await user.client.fails(DECIDE_GRANTS, { input })).toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    expect((await storedGrants(server, scene.app.id))[0]!.status).toBe(GrantStatus.PENDING);
  });
});

describe('revokeGrant', () => {
  it('revokes an approved grant with a reason, telling the owner; the app status stays', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const owner = org.developers[0]!;
    const app = await createApp(owner.client, org.id);
    const auto = await createProductRow(server, {
      approvalMode: ApprovalMode.AUTO,
      name: 'Stream API',
    });
    const { grants } = await requestProducts(owner.client, app.id, [auto.id]);
    const grantId = grants[0]!.id;
    expect(await staff.client.fails(REVOKE, { input: { grantId, reason: ' ' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    expect(
      await org.admins[0]!.client.fails(REVOKE, { input: { grantId, reason: 'x' } }),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    const data = await staff.client.ok<{
      revokeGrant: { grant: { status: string; reason: string } };
    }>(REVOKE, { input: { grantId, reason: 'Terms violated' } });
    expect(data.revokeGrant.grant).toMatchObject({
      status: 'REVOKED',
      reason: 'Terms violated',
      decidedBy: { id: staff.id },
    });
    expect(await storedAppStatus(server, app.id)).toBe('ACTIVE');
    const mail = await server.mail.waitFor(owner.email, /^Your access to Stream API was revoked$/);
    expect(mail.text).toContain('Terms violated');
    const events = await eventsFor(server, { subjectId: grantId, kind: 'grant.decided' });
    expect(events.map((e) => [e.topic, e.data.status])).toEqual([
      ['review_queue', 'REVOKED'],
      [`org:${org.id}`, 'REVOKED'],
    ]);
    expect((await auditEntriesFor(server, grantId)).map((e) => e.action)).toContain('grant.revoke');
    expect(await staff.client.fails(REVOKE, { input: { grantId, reason: 'again' } })).toMatchObject(
      {
        code: 'CONFLICT',
        field: 'grantId',
      },
    );
    expect(
      await staff.client.fails(REVOKE, { input: { grantId: 'grt_nope', reason: 'x' } }),
    ).toMatchObject({
      code: 'NOT_FOUND',
      field: 'grantId',
    });
  });
});

describe('reason templates', () => {
  const LIST = `{ reasonTemplates { id title text } }`;
  const CREATE = `mutation ($input: CreateReasonTemplateInput!) { createReasonTemplate(input: $input) { reasonTemplate { id title text } } }`;
  const UPDATE = `mutation ($input: UpdateReasonTemplateInput!) { updateReasonTemplate(input: $input) { reasonTemplate { id title text } } }`;
  const DELETE = `mutation ($input: DeleteReasonTemplateInput!) { deleteReasonTemplate(input: $input) { deletedReasonTemplateId } }`;

  it('lets staff create, list, update and delete them, audited; nobody else', async () => {
    const created = await staff.client.ok<{
      createReasonTemplate: { reasonTemplate: { id: string } };
    }>(CREATE, { input: { title: '  Aaa spam  ', text: 'Looks like spam.' } });
    const id = created.createReasonTemplate.reasonTemplate.id;
    expect(id).toMatch(/^rsn_/);
    const list = await staff.client.ok<{ reasonTemplates: { id: string; title: string }[] }>(LIST);
    expect(list.reasonTemplates).toContainEqual({
      id,
      title: 'Aaa spam',
      text: 'Looks like spam.',
    });
    await staff.client.ok(UPDATE, { input: { reasonTemplateId: id, text: 'Spam.' } });
    const node = await staff.client.ok<{ node: { text: string } }>(
      `query ($id: ID!) { node(id: $id) { ... on ReasonTemplate { text } } }`,
      { id },
    );
    expect(node.node.text).toBe('Spam.');
    await staff.client.ok(DELETE, { input: { reasonTemplateId: id } });
    expect((await auditEntriesFor(server, id)).map((e) => [e.action, e.actor?.id])).toEqual([
      ['reason_template.create', staff.id],
      ['reason_template.update', staff.id],
      ['reason_template.delete', staff.id],
    ]);
    expect(await staff.client.fails(DELETE, { input: { reasonTemplateId: id } })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'reasonTemplateId',
    });

    const developer = await signUpUser(server);
    expect(await developer.client.fails(LIST)).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await developer.client.fails(CREATE, { input: { title: 'x', text: 'y' } }),
    ).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses bad input naming the field', async () => {
    expect(await staff.client.fails(CREATE, { input: { title: ' ', text: 'y' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'title',
    });
    expect(
      await staff.client.fails(CREATE, { input: { title: 'ok', text: 'y'.repeat(2001) } }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
  });
});

describe('App.grants and node(id)', () => {
  const ORG_GRANTS = `query ($id: ID!) {
    organization(id: $id) { apps { id grants { id status product { id name } requestedBy { id } } } }
  }`;

  async function orgWithGrantedApps(count: number) {
    const org = await orgWithMembers(server);
    const products = [await createProductRow(server), await createProductRow(server)];
    const em = server.orm.em.fork();
    for (let i = 0; i < count; i++) {
      const app = new App(
        em.getReference(Organization, org.id, { wrapped: true }),
        null,
        em.getReference(User, org.admins[0]!.id, { wrapped: true }),
        `Granted ${i}`,
      );
      em.persist(app);
      for (const product of products) {
        em.persist(
          new ProductGrant(
            em.getReference(Organization, org.id, { wrapped: true }),
            em.getReference(App, app.id, { wrapped: true }),
            em.getReference(ApiProduct, product.id, { wrapped: true }),
            em.getReference(User, org.admins[0]!.id, { wrapped: true }),
          ),
        );
      }
    }
    await em.flush();
    return org;
  }

  it('loads the grants of many apps in a fixed number of statements', async () => {
    const counts: number[] = [];
    for (const size of [1, 10]) {
      const org = await orgWithGrantedApps(size);
      server.queries.length = 0;
      const data = await org.admins[0]!.client.ok<{
        organization: { apps: { grants: { product: { id: string } }[] }[] };
      }>(ORG_GRANTS, { id: org.id });
      counts.push(server.queries.length);
      expect(data.organization.apps).toHaveLength(size);
      expect(data.organization.apps.every((app) => app.grants.length === 2)).toBe(true);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it('node(grt) answers members of the org and staff, null for others', async () => {
    const scene = await pendingScene(1);
    const outsider = (await orgWithMembers(server)).admins[0]!;
    const id = scene.grants[0]!.id;
    const NODE = `query ($id: ID!) { node(id: $id) { id ... on ProductGrant { status } } }`;
    for (const user of [scene.owner, scene.admin, staff]) {
      expect((await user.client.ok<{ node: unknown }>(NODE, { id })).node).toEqual({
        id,
        status: 'PENDING',
      });
    }
    expect((await outsider.client.ok<{ node: unknown }>(NODE, { id })).node).toBeNull();
    expect((await scene.owner.client.ok<{ node: unknown }>(NODE, { id: 'rsn_x' })).node).toBeNull();
  });
});
