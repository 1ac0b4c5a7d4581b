import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { addMember, auditEntriesFor, orgWithMembers } from '../../../test/app-builders.js';
import {
  addApps,
  addDevEnvironments,
  createProduct,
  defaultPlans,
  PLAN_FIELDS,
  storedSubscriptions,
  subscribe,
  uniqueLabel,
  type PlanFields,
} from '../../../test/product-builders.js';
import { App } from '../apps/apps.entity.js';
import { MemberRole } from '../orgs/orgs.entity.js';
import { ensureDefaultPlans, planFor } from './plans.service.js';
import { Plan } from './products.entity.js';

let server: TestServer;
let staff: SignedInUser;
let plans: Record<string, Plan>;
beforeAll(async () => {
  server = await startTestServer();
  staff = await signUpUser(server, { staff: true });
  plans = await defaultPlans(server);
});
afterAll(async () => {
  await server.close();
});

const PLANS = `query { plans { ${PLAN_FIELDS} } }`;
const CREATE_PLAN = `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { plan { ${PLAN_FIELDS} } } }`;
const UPDATE_PLAN = `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { plan { ${PLAN_FIELDS} } } }`;
const CHANGE_PLAN = `mutation ($input: ChangePlanInput!) {
  changePlan(input: $input) {
    planSubscription { id updatedAt product { id } plan { id name } }
    organization { id }
  }
}`;
const SUBSCRIPTIONS = `query ($id: ID!) {
  organization(id: $id) { planSubscriptions { id updatedAt product { id name } plan { id name rank } } }
}`;

let rankCounter = 100;
function planInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `Plan ${uniqueLabel()}`,
    rank: ++rankCounter,
    monthlyRequestCap: 5_000_000_000,
    monthlyUnitCap: null,
    rateLimitRequests: 100,
    rateLimitWindowSeconds: 10,
    maxApps: 7,
    maxDevEnvironments: 4,
    ...overrides,
  };
}

async function planCount(): Promise<number> {
  return server.orm.em.fork().count(Plan, {});
}

describe('default plans', () => {
  it('lists Free, Basic, Pro and Enterprise by rank to any signed-in user', async () => {
    const user = await signUpUser(server);
    const data = await user.client.ok<{ plans: PlanFields[] }>(PLANS);
    expect(data.plans.slice(0, 4)).toEqual([
      expect.objectContaining({ name: 'Free', rank: 0, maxApps: 3, maxDevEnvironments: 1 }),
      expect.objectContaining({ name: 'Basic', rank: 1 }),
      expect.objectContaining({ name: 'Pro', rank: 2 }),
      expect.objectContaining({ name: 'Enterprise', rank: 3, monthlyRequestCap: null }),
    ]);
    expect(data.plans.map((p) => p.rank)).toEqual(
      [...data.plans.map((p) => p.rank)].sort((a, b) => a - b),
    );
    expect(await server.client().fails(PLANS)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('ensureDefaultPlans is idempotent, concurrent-safe and keeps staff edits', async () => {
    const before = await planCount();
    const results = await Promise.all(
      [1, 2, 3].map(() => ensureDefaultPlans(server.orm.em.fork())),
    );
    for (const result of results) {
      expect(result.map((p) => p.id)).toEqual(
        expect.arrayContaining(Object.values(plans).map((p) => p.id)),
      );
    }
    expect(await planCount()).toBe(before);

    // A renamed default plan is not created again under its old name (its rank is taken).
    await staff.client.ok(UPDATE_PLAN, { input: { planId: plans.Basic!.id, name: 'Basic Plus' } });
    await ensureDefaultPlans(server.orm.em.fork());
    expect(await planCount()).toBe(before);
    await staff.client.ok(UPDATE_PLAN, { input: { planId: plans.Basic!.id, name: 'Basic' } });
  });

  it('planFor gives the subscribed plan, else the lowest-rank plan', async () => {
    const org = await orgWithMembers(server);
    const product = await createProduct(staff.client);
    const em = server.orm.em.fork();
    expect((await planFor(em, org.id, product.id)).id).toBe(plans.Free!.id);
    await subscribe(server, org.id, product.id, plans.Pro!.id);
    expect((await planFor(server.orm.em.fork(), org.id, product.id)).id).toBe(plans.Pro!.id);
  });
});

describe('createPlan and updatePlan', () => {
  it('lets staff create a plan, audited; big caps and null (unlimited) survive', async () => {
    const input = planInput();
    const data = await staff.client.ok<{ createPlan: { plan: PlanFields } }>(CREATE_PLAN, {
      input,
    });
    expect(data.createPlan.plan).toMatchObject({ ...input, id: expect.stringMatching(/^pln_/) });
    const audit = await auditEntriesFor(server, data.createPlan.plan.id);
    expect(audit.map((e) => [e.action, e.actor?.id, e.organization])).toEqual([
      ['plan.create', staff.id, null],
    ]);
    const NODE = `query ($id: ID!) { node(id: $id) { id ... on Plan { name } } }`;
    const user = await signUpUser(server);
    expect(await user.client.ok(NODE, { id: data.createPlan.plan.id })).toEqual({
      node: { id: data.createPlan.plan.id, name: input.name },
    });
  });

  it('refuses everyone but staff', async () => {
    const user = await signUpUser(server);
    const before = await planCount();
    expect(await user.client.fails(CREATE_PLAN, { input: planInput() })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await server.client().fails(CREATE_PLAN, { input: planInput() })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(
      await user.client.fails(UPDATE_PLAN, { input: { planId: plans.Free!.id, maxApps: 99 } }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await planCount()).toBe(before);
    expect((await server.orm.em.fork().findOneOrFail(Plan, plans.Free!.id)).maxApps).toBe(3);
  });

  it.each([
    ['name', { name: '' }],
    ['name', { name: 'x'.repeat(51) }],
    ['rank', { rank: -1 }],
    ['monthlyRequestCap', { monthlyRequestCap: -5 }],
    ['monthlyRequestCap', { monthlyRequestCap: 1.5 }],
    ['monthlyUnitCap', { monthlyUnitCap: 2 ** 60 }],
    ['rateLimitRequests', { rateLimitRequests: 0 }],
    ['rateLimitWindowSeconds', { rateLimitWindowSeconds: 0 }],
    ['rateLimitWindowSeconds', { rateLimitWindowSeconds: 86_401 }],
    ['maxApps', { maxApps: -1 }],
    ['maxDevEnvironments', { maxDevEnvironments: -1 }],
  ])('refuses bad input naming the field %s, creating nothing', async (field, fields) => {
    const before = await planCount();
    expect(await staff.client.fails(CREATE_PLAN, { input: planInput(fields) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field,
    });
    expect(await planCount()).toBe(before);
  });

  it('refuses a taken name (any case) or rank', async () => {
    const before = await planCount();
    expect(
      await staff.client.fails(CREATE_PLAN, { input: planInput({ name: 'pRO' }) }),
    ).toMatchObject({
      code: 'CONFLICT',
      field: 'name',
    });
    expect(await staff.client.fails(CREATE_PLAN, { input: planInput({ rank: 2 }) })).toMatchObject({
      code: 'CONFLICT',
      field: 'rank',
    });
    expect(
      await staff.client.fails(UPDATE_PLAN, { input: { planId: plans.Pro!.id, rank: 3 } }),
    ).toMatchObject({ code: 'CONFLICT', field: 'rank' });
    expect(await planCount()).toBe(before);
  });

  it('changes only the given limits, audited; null makes a cap unlimited', async () => {
    const created = await staff.client.ok<{ createPlan: { plan: PlanFields } }>(CREATE_PLAN, {
      input: planInput(),
    });
    const plan = created.createPlan.plan;
    const data = await staff.client.ok<{ updatePlan: { plan: PlanFields } }>(UPDATE_PLAN, {
      input: { planId: plan.id, monthlyRequestCap: null, maxApps: 12, rateLimitRequests: 100 },
    });
    expect(data.updatePlan.plan).toEqual({ ...plan, monthlyRequestCap: null, maxApps: 12 });
    const audit = await auditEntriesFor(server, plan.id);
    expect(audit.map((e) => e.action)).toEqual(['plan.create', 'plan.update']);
    expect(audit[1]!.data).toEqual({
      name: plan.name,
      changes: {
        monthlyRequestCap: { from: plan.monthlyRequestCap, to: null },
        maxApps: { from: plan.maxApps, to: 12 },
      },
    });
    // Nothing to change: nothing recorded.
    await staff.client.ok(UPDATE_PLAN, { input: { planId: plan.id, maxApps: 12 } });
    expect(await auditEntriesFor(server, plan.id)).toHaveLength(2);
  });

  it('refuses bad updates naming the field, changing nothing', async () => {
    const created = await staff.client.ok<{ createPlan: { plan: PlanFields } }>(CREATE_PLAN, {
      input: planInput(),
    });
    const plan = created.createPlan.plan;
    for (const [field, fields] of [
      ['maxApps', { maxApps: -1 }],
      ['name', { name: '  ' }],
      ['rateLimitRequests', { rateLimitRequests: null }],
    ] as const) {
      expect(
        await staff.client.fails(UPDATE_PLAN, { input: { planId: plan.id, ...fields } }),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(
      await staff.client.fails(UPDATE_PLAN, { input: { planId: 'pln_unknown', maxApps: 1 } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'planId' });
    const stored = await server.orm.em.fork().findOneOrFail(Plan, plan.id);
    expect(stored).toMatchObject({ name: plan.name, maxApps: plan.maxApps });
    expect(await auditEntriesFor(server, plan.id)).toHaveLength(1);
  });
});

describe('planSubscriptions and changePlan', () => {
  it('lets an admin pick a plan per product, audited, one subscription per product', async () => {
    const org = await orgWithMembers(server, { admins: 1, developers: 1 });
    const admin = org.admins[0]!;
    const product = await createProduct(staff.client);
    const other = await createProduct(staff.client);

    const data = await admin.client.ok<{
      changePlan: {
        planSubscription: { id: string; product: { id: string }; plan: { id: string } };
        organization: { id: string };
      };
    }>(CHANGE_PLAN, {
      input: { organizationId: org.id, productId: product.id, planId: plans.Pro!.id },
    });
    const subscription = data.changePlan.planSubscription;
    expect(subscription).toMatchObject({
      id: expect.stringMatching(/^sub_/),
      product: { id: product.id },
      plan: { id: plans.Pro!.id, name: 'Pro' },
    });
    expect(data.changePlan.organization.id).toBe(org.id);

    await admin.client.ok(CHANGE_PLAN, {
      input: { organizationId: org.id, productId: product.id, planId: plans.Basic!.id },
    });
    await admin.client.ok(CHANGE_PLAN, {
      input: { organizationId: org.id, productId: other.id, planId: plans.Enterprise!.id },
    });
    // The same plan again changes (and records) nothing.
    await admin.client.ok(CHANGE_PLAN, {
      input: { organizationId: org.id, productId: other.id, planId: plans.Enterprise!.id },
    });

    const stored = await storedSubscriptions(server, org.id);
    expect(stored).toHaveLength(2);
    const audit = await auditEntriesFor(server, subscription.id);
    expect(audit.map((e) => [e.action, e.actor?.id, e.organization?.id])).toEqual([
      ['plan.change', admin.id, org.id],
      ['plan.change', admin.id, org.id],
    ]);
    expect(audit[0]!.data).toMatchObject({
      productId: product.id,
      from: { planId: plans.Free!.id, name: 'Free' },
      to: { planId: plans.Pro!.id, name: 'Pro' },
    });
    expect(audit[1]!.data).toMatchObject({
      from: { name: 'Pro' },
      to: { name: 'Basic' },
    });
    const otherSub = stored.find((s) => s.product.id === other.id)!;
    expect(await auditEntriesFor(server, otherSub.id)).toHaveLength(1);

    // Every member and staff read them; the archived product's subscription disappears.
    for (const reader of [admin, org.developers[0]!, staff]) {
      const read = await reader.client.ok<{
        organization: { planSubscriptions: { product: { id: string }; plan: { name: string } }[] };
      }>(SUBSCRIPTIONS, { id: org.id });
      expect(read.organization.planSubscriptions.map((s) => [s.product.id, s.plan.name])).toEqual([
        [product.id, 'Basic'],
        [other.id, 'Enterprise'],
      ]);
    }
    await staff.client.ok(
      `mutation ($input: ArchiveProductInput!) { archiveProduct(input: $input) { product { id } } }`,
      {
        input: { productId: other.id },
      },
    );
    const after = await admin.client.ok<{
      organization: { planSubscriptions: { product: { id: string } }[] };
    }>(SUBSCRIPTIONS, { id: org.id });
    expect(after.organization.planSubscriptions.map((s) => s.product.id)).toEqual([product.id]);

    const NODE = `query ($id: ID!) { node(id: $id) { id ... on PlanSubscription { plan { name } } } }`;
    expect(await org.developers[0]!.client.ok(NODE, { id: subscription.id })).toEqual({
      node: { id: subscription.id, plan: { name: 'Basic' } },
    });
    const outsider = await orgWithMembers(server);
    expect(await outsider.admins[0]!.client.ok(NODE, { id: subscription.id })).toEqual({
      node: null,
    });
  });

  it('refuses developers (read-only), outsiders and staff, and signed-out callers', async () => {
    const org = await orgWithMembers(server, { admins: 1, developers: 1 });
    const outsider = await orgWithMembers(server);
    const product = await createProduct(staff.client);
    const input = { organizationId: org.id, productId: product.id, planId: plans.Pro!.id };
    expect(await org.developers[0]!.client.fails(CHANGE_PLAN, { input })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await outsider.admins[0]!.client.fails(CHANGE_PLAN, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'organizationId',
    });
    expect(await staff.client.fails(CHANGE_PLAN, { input })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await server.client().fails(CHANGE_PLAN, { input })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await outsider.admins[0]!.client.fails(SUBSCRIPTIONS, { id: org.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await storedSubscriptions(server, org.id)).toHaveLength(0);
  });

  it('refuses unknown or archived products and unknown plans', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const archived = await createProduct(staff.client);
    await staff.client.ok(
      `mutation ($input: ArchiveProductInput!) { archiveProduct(input: $input) { product { id } } }`,
      {
        input: { productId: archived.id },
      },
    );
    const product = await createProduct(staff.client);
    for (const [input, field] of [
      [{ productId: archived.id, planId: plans.Pro!.id }, 'productId'],
      [{ productId: 'prd_unknown', planId: plans.Pro!.id }, 'productId'],
      [{ productId: product.id, planId: 'pln_unknown' }, 'planId'],
    ] as const) {
      expect(
        await admin.client.fails(CHANGE_PLAN, { input: { organizationId: org.id, ...input } }),
      ).toMatchObject({ code: 'NOT_FOUND', field });
    }
    expect(await storedSubscriptions(server, org.id)).toHaveLength(0);
  });

  it('refuses a plan whose app limit the organization already exceeds', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const product = await createProduct(staff.client);
    await subscribe(server, org.id, product.id, plans.Basic!.id);
    const apps = await addApps(server, org.id, admin.id, 4); // Free allows 3
    const input = { organizationId: org.id, productId: product.id, planId: plans.Free!.id };

    const error = await admin.client.fails(CHANGE_PLAN, { input });
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'planId' });
    expect(error.message).toMatch(/Free plan allows 3 apps.*has 4/);
    const [stored] = await storedSubscriptions(server, org.id);
    expect(stored!.plan.id).toBe(plans.Basic!.id);
    expect(await auditEntriesFor(server, stored!.id)).toHaveLength(0);

    // A deleted app (tombstone) no longer counts.
    await server.orm.em.fork().nativeUpdate(App, { id: apps[0]!.id }, { deletedAt: new Date() });
    await admin.client.ok(CHANGE_PLAN, { input });
    expect((await storedSubscriptions(server, org.id))[0]!.plan.id).toBe(plans.Free!.id);
  });

  it("refuses a plan whose dev-environment limit the product's environments exceed", async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const product = await createProduct(staff.client);
    const other = await createProduct(staff.client);
    await subscribe(server, org.id, product.id, plans.Pro!.id);
    await addDevEnvironments(server, org.id, product.id, ['dev', 'staging']); // Free allows 1
    await addDevEnvironments(server, org.id, other.id, ['dev']);

    const error = await admin.client.fails(CHANGE_PLAN, {
      input: { organizationId: org.id, productId: product.id, planId: plans.Free!.id },
    });
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'planId' });
    expect(error.message).toMatch(/Free plan allows 1 dev environment .*has 2/);
    expect((await storedSubscriptions(server, org.id))[0]!.plan.id).toBe(plans.Pro!.id);

    // Basic allows 3; the other product's single environment fits Free.
    await admin.client.ok(CHANGE_PLAN, {
      input: { organizationId: org.id, productId: product.id, planId: plans.Basic!.id },
    });
    await admin.client.ok(CHANGE_PLAN, {
      input: { organizationId: org.id, productId: other.id, planId: plans.Free!.id },
    });
  });

  it('reads subscriptions of many organizations in a fixed number of statements', async () => {
    const productA = await createProduct(staff.client);
    const productB = await createProduct(staff.client);
    const QUERY = `query { viewer { organizations { id planSubscriptions { plan { name } product { name } } } } }`;
    const statementsFor = async (orgCount: number) => {
      const viewer = await signUpUser(server);
      for (let i = 0; i < orgCount; i += 1) {
        const org = await orgWithMembers(server);
        await addMember(server, org.id, viewer, MemberRole.DEVELOPER);
        await subscribe(server, org.id, productA.id, plans.Pro!.id);
        await subscribe(server, org.id, productB.id, plans.Basic!.id);
      }
      server.queries.length = 0;
      const data = await viewer.client.ok<{
        viewer: { organizations: { planSubscriptions: unknown[] }[] };
      }>(QUERY);
      expect(data.viewer.organizations.map((o) => o.planSubscriptions.length)).toEqual(
        Array.from({ length: orgCount }, () => 2),
      );
      return server.queries.length;
    };
    expect(await statementsFor(1)).toBe(await statementsFor(5));
  });
});
