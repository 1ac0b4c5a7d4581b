import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import {
  auditEntriesFor,
  orgWithMembers,
  type OrgWithMembers,
} from '../../../test/app-builders.js';
import {
  addApps,
  createProduct,
  defaultPlans,
  storedDevEnvironments,
  subscribe,
  type ProductFields,
} from '../../../test/product-builders.js';
import { App } from '../apps/apps.entity.js';
import type { Plan } from './products.entity.js';

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

const ENV_FIELDS = 'id label createdAt updatedAt product { id } app { id } organization { id }';
const CREATE = `mutation ($input: CreateDevEnvironmentInput!) {
  createDevEnvironment(input: $input) { devEnvironment { ${ENV_FIELDS} } }
}`;
const UPDATE = `mutation ($input: UpdateDevEnvironmentInput!) {
  updateDevEnvironment(input: $input) { devEnvironment { ${ENV_FIELDS} } }
}`;
const DELETE = `mutation ($input: DeleteDevEnvironmentInput!) {
  deleteDevEnvironment(input: $input) { deletedDevEnvironmentId }
}`;
const LIST = `query ($id: ID!, $productId: ID) {
  organization(id: $id) { devEnvironments(productId: $productId) { id label product { id } app { id } } }
}`;
const NODE = `query ($id: ID!) { node(id: $id) { id ... on DevEnvironment { label } } }`;

interface EnvFields {
  id: string;
  label: string;
  product: { id: string };
  app: { id: string } | null;
  organization: { id: string };
}

/** An organization (one admin, one developer) on Basic (3 environments) for a fresh product. */
async function setUp(): Promise<{
  org: OrgWithMembers;
  admin: SignedInUser;
  product: ProductFields;
}> {
  const org = await orgWithMembers(server, { admins: 1, developers: 1 });
  const product = await createProduct(staff.client);
  await subscribe(server, org.id, product.id, plans.Basic!.id);
  return { org, admin: org.admins[0]!, product };
}

async function create(client: SignedInUser, input: Record<string, unknown>): Promise<EnvFields> {
  const data = await client.client.ok<{ createDevEnvironment: { devEnvironment: EnvFields } }>(
    CREATE,
    { input },
  );
  return data.createDevEnvironment.devEnvironment;
}

describe('createDevEnvironment', () => {
  it('lets an admin add an environment with an app, audited; every member and staff read it', async () => {
    const { org, admin, product } = await setUp();
    const [app] = await addApps(server, org.id, admin.id, 1);
    const env = await create(admin, {
      organizationId: org.id,
      productId: product.id,
      label: '  Staging  ',
      appId: app!.id,
    });
    expect(env).toMatchObject({
      id: expect.stringMatching(/^env_/),
      label: 'Staging',
      product: { id: product.id },
      app: { id: app!.id },
      organization: { id: org.id },
    });
    const audit = await auditEntriesFor(server, env.id);
    expect(audit.map((e) => [e.action, e.actor?.id, e.organization?.id])).toEqual([
      ['environment.create', admin.id, org.id],
    ]);
    expect(audit[0]!.data).toMatchObject({
      label: 'Staging',
      productId: product.id,
      appId: app!.id,
    });

    for (const reader of [admin, org.developers[0]!, staff]) {
      const data = await reader.client.ok<{ organization: { devEnvironments: EnvFields[] } }>(
        LIST,
        {
          id: org.id,
        },
      );
      expect(data.organization.devEnvironments).toEqual([
        { id: env.id, label: 'Staging', product: { id: product.id }, app: { id: app!.id } },
      ]);
      expect(await reader.client.ok(NODE, { id: env.id })).toEqual({
        node: { id: env.id, label: 'Staging' },
      });
    }
    const outsider = await orgWithMembers(server);
    expect(await outsider.admins[0]!.client.fails(LIST, { id: org.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await outsider.admins[0]!.client.ok(NODE, { id: env.id })).toEqual({ node: null });
  });

  it('filters by product and hides environments of archived products', async () => {
    const { org, admin, product } = await setUp();
    const other = await createProduct(staff.client);
    const a = await create(admin, { organizationId: org.id, productId: product.id, label: 'dev' });
    const b = await create(admin, { organizationId: org.id, productId: other.id, label: 'dev' });
    const ids = async (productId: string | null) =>
      (
        await admin.client.ok<{ organization: { devEnvironments: EnvFields[] } }>(LIST, {
          id: org.id,
          productId,
        })
      ).organization.devEnvironments.map((e) => e.id);
    expect(await ids(null)).toEqual([a.id, b.id]);
    expect(await ids(other.id)).toEqual([b.id]);
    await staff.client.ok(
      `mutation ($input: ArchiveProductInput!) { archiveProduct(input: $input) { product { id } } }`,
      { input: { productId: other.id } },
    );
    expect(await ids(null)).toEqual([a.id]);
  });

  it("stops at the plan's maxDevEnvironments (CONFLICT productId) until the plan changes", async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const product = await createProduct(staff.client);
    // No subscription: the lowest-rank plan (Free) allows one.
    await create(admin, { organizationId: org.id, productId: product.id, label: 'one' });
    const error = await admin.client.fails(CREATE, {
      input: { organizationId: org.id, productId: product.id, label: 'two' },
    });
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'productId' });
    expect(error.message).toContain('Free plan allows 1 dev environment');
    expect(await storedDevEnvironments(server, org.id)).toHaveLength(1);

    await admin.client.ok(
      `mutation ($input: ChangePlanInput!) { changePlan(input: $input) { planSubscription { id } } }`,
      { input: { organizationId: org.id, productId: product.id, planId: plans.Basic!.id } },
    );
    await create(admin, { organizationId: org.id, productId: product.id, label: 'two' });
    expect(await storedDevEnvironments(server, org.id)).toHaveLength(2);
  });

  it('keeps labels unique per organization and product, ignoring case', async () => {
    const { org, admin, product } = await setUp();
    const other = await createProduct(staff.client);
    await create(admin, { organizationId: org.id, productId: product.id, label: 'Dev' });
    expect(
      await admin.client.fails(CREATE, {
        input: { organizationId: org.id, productId: product.id, label: 'dev' },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'label' });
    await create(admin, { organizationId: org.id, productId: other.id, label: 'Dev' });
    const elsewhere = await orgWithMembers(server);
    await create(elsewhere.admins[0]!, {
      organizationId: elsewhere.id,
      productId: product.id,
      label: 'Dev',
    });
    expect(await storedDevEnvironments(server, org.id)).toHaveLength(2);
  });

  it("attaches only a live app of the organization, and an app to one of a product's environments", async () => {
    const { org, admin, product } = await setUp();
    const outsider = await orgWithMembers(server);
    const [foreign] = await addApps(server, outsider.id, outsider.admins[0]!.id, 1);
    const [deleted, mine] = await addApps(server, org.id, admin.id, 2);
    await server.orm.em.fork().nativeUpdate(App, { id: deleted!.id }, { deletedAt: new Date() });
    for (const appId of [foreign!.id, deleted!.id, 'app_unknown']) {
      expect(
        await admin.client.fails(CREATE, {
          input: { organizationId: org.id, productId: product.id, label: 'x', appId },
        }),
      ).toMatchObject({ code: 'NOT_FOUND', field: 'appId' });
    }
    await create(admin, {
      organizationId: org.id,
      productId: product.id,
      label: 'a',
      appId: mine!.id,
    });
    const error = await admin.client.fails(CREATE, {
      input: { organizationId: org.id, productId: product.id, label: 'b', appId: mine!.id },
    });
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'appId' });
    expect(await storedDevEnvironments(server, org.id)).toHaveLength(1);
  });

  it.each([
    ['label', { label: '' }],
    ['label', { label: '   ' }],
    ['label', { label: 'x'.repeat(51) }],
  ])('refuses bad input naming the field %s, creating nothing', async (field, fields) => {
    const { org, admin, product } = await setUp();
    expect(
      await admin.client.fails(CREATE, {
        input: { organizationId: org.id, productId: product.id, ...fields },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await storedDevEnvironments(server, org.id)).toHaveLength(0);
  });

  it('refuses unknown and archived products', async () => {
    const { org, admin, product } = await setUp();
    await staff.client.ok(
      `mutation ($input: ArchiveProductInput!) { archiveProduct(input: $input) { product { id } } }`,
      { input: { productId: product.id } },
    );
    for (const productId of [product.id, 'prd_unknown']) {
      expect(
        await admin.client.fails(CREATE, {
          input: { organizationId: org.id, productId, label: 'dev' },
        }),
      ).toMatchObject({ code: 'NOT_FOUND', field: 'productId' });
    }
    expect(await storedDevEnvironments(server, org.id)).toHaveLength(0);
  });

  it('refuses developers (read-only), outsiders, staff and signed-out callers', async () => {
    const { org, product } = await setUp();
    const outsider = await orgWithMembers(server);
    const input = { organizationId: org.id, productId: product.id, label: 'dev' };
    expect(await org.developers[0]!.client.fails(CREATE, { input })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await outsider.admins[0]!.client.fails(CREATE, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'organizationId',
    });
    expect(await staff.client.fails(CREATE, { input })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await server.client().fails(CREATE, { input })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await storedDevEnvironments(server, org.id)).toHaveLength(0);
  });
});

describe('updateDevEnvironment and deleteDevEnvironment', () => {
  it('renames, attaches and detaches, audited with what changed', async () => {
    const { org, admin, product } = await setUp();
    const [first, second] = await addApps(server, org.id, admin.id, 2);
    const env = await create(admin, {
      organizationId: org.id,
      productId: product.id,
      label: 'dev',
      appId: first!.id,
    });
    const renamed = await admin.client.ok<{ updateDevEnvironment: { devEnvironment: EnvFields } }>(
      UPDATE,
      { input: { devEnvironmentId: env.id, label: 'Development', appId: second!.id } },
    );
    expect(renamed.updateDevEnvironment.devEnvironment).toMatchObject({
      label: 'Development',
      app: { id: second!.id },
    });
    // Leaving appId out keeps it; null detaches.
    await admin.client.ok(UPDATE, { input: { devEnvironmentId: env.id, label: 'DEVELOPMENT' } });
    const detached = await admin.client.ok<{ updateDevEnvironment: { devEnvironment: EnvFields } }>(
      UPDATE,
      { input: { devEnvironmentId: env.id, appId: null } },
    );
    expect(detached.updateDevEnvironment.devEnvironment).toMatchObject({
      label: 'DEVELOPMENT',
      app: null,
    });
    // Nothing to change: nothing recorded.
    await admin.client.ok(UPDATE, { input: { devEnvironmentId: env.id, label: 'DEVELOPMENT' } });

    const audit = await auditEntriesFor(server, env.id);
    expect(audit.map((e) => e.action)).toEqual([
      'environment.create',
      'environment.update',
      'environment.update',
      'environment.update',
    ]);
    expect(audit[1]!.data).toMatchObject({
      changes: {
        label: { from: 'dev', to: 'Development' },
        appId: { from: first!.id, to: second!.id },
      },
    });
    expect(audit[3]!.data).toMatchObject({ changes: { appId: { from: second!.id, to: null } } });
  });

  it('shows no app once the attached app is deleted', async () => {
    const { org, admin, product } = await setUp();
    const [app] = await addApps(server, org.id, admin.id, 1);
    await create(admin, {
      organizationId: org.id,
      productId: product.id,
      label: 'dev',
      appId: app!.id,
    });
    await server.orm.em.fork().nativeUpdate(App, { id: app!.id }, { deletedAt: new Date() });
    const data = await admin.client.ok<{ organization: { devEnvironments: EnvFields[] } }>(LIST, {
      id: org.id,
    });
    expect(data.organization.devEnvironments[0]!.app).toBeNull();
  });

  it('refuses a taken label, a foreign app, bad input and unknown ids, changing nothing', async () => {
    const { org, admin, product } = await setUp();
    const outsider = await orgWithMembers(server);
    const [foreign] = await addApps(server, outsider.id, outsider.admins[0]!.id, 1);
    await create(admin, { organizationId: org.id, productId: product.id, label: 'taken' });
    const env = await create(admin, {
      organizationId: org.id,
      productId: product.id,
      label: 'dev',
    });
    for (const [input, code, field] of [
      [{ label: 'TAKEN' }, 'CONFLICT', 'label'],
      [{ label: '' }, 'BAD_USER_INPUT', 'label'],
      [{ label: 'x'.repeat(51) }, 'BAD_USER_INPUT', 'label'],
      [{ appId: foreign!.id }, 'NOT_FOUND', 'appId'],
    ] as const) {
      expect(
        await admin.client.fails(UPDATE, { input: { devEnvironmentId: env.id, ...input } }),
      ).toMatchObject({ code, field });
    }
    expect(
      await admin.client.fails(UPDATE, { input: { devEnvironmentId: 'env_unknown', label: 'x' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'devEnvironmentId' });
    expect(
      await admin.client.fails(DELETE, { input: { devEnvironmentId: 'env_unknown' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'devEnvironmentId' });
    const stored = await storedDevEnvironments(server, org.id);
    expect(stored.map((e) => [e.label, e.app])).toEqual([
      ['taken', null],
      ['dev', null],
    ]);
    expect(await auditEntriesFor(server, env.id)).toHaveLength(1);
  });

  it('lets an admin delete an environment, audited, freeing a place on the plan', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const product = await createProduct(staff.client); // Free: one environment
    const env = await create(admin, {
      organizationId: org.id,
      productId: product.id,
      label: 'dev',
    });
    const data = await admin.client.ok<{
      deleteDevEnvironment: { deletedDevEnvironmentId: string };
    }>(DELETE, { input: { devEnvironmentId: env.id } });
    expect(data.deleteDevEnvironment.deletedDevEnvironmentId).toBe(env.id);
    expect(await storedDevEnvironments(server, org.id)).toHaveLength(0);
    const audit = await auditEntriesFor(server, env.id);
    expect(audit.map((e) => [e.action, e.actor?.id, e.organization?.id])).toEqual([
      ['environment.create', admin.id, org.id],
      ['environment.delete', admin.id, org.id],
    ]);
    await create(admin, { organizationId: org.id, productId: product.id, label: 'dev' });
  });

  it('refuses developers (read-only), outsiders, staff and signed-out callers', async () => {
    const { org, admin, product } = await setUp();
    const outsider = await orgWithMembers(server);
    const env = await create(admin, {
      organizationId: org.id,
      productId: product.id,
      label: 'dev',
    });
    const update = { devEnvironmentId: env.id, label: 'changed' };
    const remove = { devEnvironmentId: env.id };
    for (const [op, input] of [
      [UPDATE, update],
      [DELETE, remove],
    ] as const) {
      expect(await org.developers[0]!.client.fails(op, { input })).toMatchObject({
        code: 'FORBIDDEN',
      });
      for (const stranger of [outsider.admins[0]!, staff]) {
        expect(await stranger.client.fails(op, { input })).toMatchObject({
          code: 'NOT_FOUND',
          field: 'devEnvironmentId',
        });
      }
      expect(await server.client().fails(op, { input })).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    const stored = await storedDevEnvironments(server, org.id);
    expect(stored.map((e) => e.label)).toEqual(['dev']);
    expect(await auditEntriesFor(server, env.id)).toHaveLength(1);
  });
});

describe('reading environments', () => {
  it('runs a fixed number of statements however many environments there are', async () => {
    const QUERY = `query ($id: ID!) {
      organization(id: $id) { devEnvironments { label product { name } app { name } organization { id } } }
    }`;
    const statementsFor = async (count: number) => {
      const org = await orgWithMembers(server);
      const admin = org.admins[0]!;
      const apps = await addApps(server, org.id, admin.id, count);
      for (let i = 0; i < count; i += 1) {
        const product = await createProduct(staff.client);
        await create(admin, {
          organizationId: org.id,
          productId: product.id,
          label: `env ${i}`,
          appId: apps[i]!.id,
        });
      }
      server.queries.length = 0;
      const data = await admin.client.ok<{ organization: { devEnvironments: unknown[] } }>(QUERY, {
        id: org.id,
      });
      expect(data.organization.devEnvironments).toHaveLength(count);
      return server.queries.length;
    };
    expect(await statementsFor(1)).toBe(await statementsFor(4));
  });
});
