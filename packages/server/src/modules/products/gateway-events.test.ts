import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import { eventsFor } from '../../../test/grant-builders.js';
import { createProduct, defaultPlans, uniqueLabel } from '../../../test/product-builders.js';
import type { DomainEvent } from '../../events/events.entity.js';

/**
 * What changes a verification's outcome publishes an event in its transaction: on the
 * organization's stream (every gateway drops what it cached for the organization) or on the
 * `gateway` stream (every gateway reloads its catalog).
 */
const server = useTestServer();

const UPDATE_APP = `mutation ($input: UpdateAppInput!) { updateApp(input: $input) { app { id } } }`;
const CHANGE_PLAN = `mutation ($input: ChangePlanInput!) { changePlan(input: $input) { planSubscription { id } } }`;
const CREATE_ENV = `mutation ($input: CreateDevEnvironmentInput!) { createDevEnvironment(input: $input) { devEnvironment { id } } }`;
const UPDATE_ENV = `mutation ($input: UpdateDevEnvironmentInput!) { updateDevEnvironment(input: $input) { devEnvironment { id } } }`;
const DELETE_ENV = `mutation ($input: DeleteDevEnvironmentInput!) { deleteDevEnvironment(input: $input) { deletedDevEnvironmentId } }`;
const UPDATE_PRODUCT = `mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { product { id } } }`;
const ARCHIVE_PRODUCT = `mutation ($input: ArchiveProductInput!) { archiveProduct(input: $input) { product { id } } }`;
const CREATE_PLAN = `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }`;
const UPDATE_PLAN = `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { plan { id } } }`;

const summary = (events: DomainEvent[]) =>
  events.map((e) => [e.topic, e.kind, e.subjectId, e.data]);

async function setup() {
  const staff = await signUpUser(server, { staff: true });
  const org = await orgWithMembers(server, { admins: 1 });
  const [admin] = org.admins as [SignedInUser];
  return { staff, org, admin };
}

describe('events that make gateways drop what they cached', () => {
  it('updateApp publishes app.updated on the organization stream, only when it changes', async () => {
    const { org, admin } = await setup();
    const app = await createApp(admin.client, org.id);
    await admin.client.ok(UPDATE_APP, {
      input: { appId: app.id, permissionLevel: 'READ_WRITE', description: 'Now writes too' },
    });
    // The same values again: nothing changed, nothing published.
    await admin.client.ok(UPDATE_APP, { input: { appId: app.id, permissionLevel: 'READ_WRITE' } });
    // A refused change publishes nothing.
    const taken = await createApp(admin.client, org.id);
    await admin.client.fails(UPDATE_APP, {
      input: { appId: app.id, name: taken.name, permissionLevel: 'READ' },
    });
    expect(summary(await eventsFor(server, { subjectId: app.id, kind: 'app.updated' }))).toEqual([
      [`org:${org.id}`, 'app.updated', app.id, { changed: 'description,permissionLevel' }],
    ]);
  });

  it('changePlan publishes plan.changed on the organization stream', async () => {
    const { staff, org, admin } = await setup();
    const product = await createProduct(staff.client);
    const plans = await defaultPlans(server);
    const data = await admin.client.ok<{ changePlan: { planSubscription: { id: string } } }>(
      CHANGE_PLAN,
      { input: { organizationId: org.id, productId: product.id, planId: plans.Pro!.id } },
    );
    // Already on it: no change, no event.
    await admin.client.ok(CHANGE_PLAN, {
      input: { organizationId: org.id, productId: product.id, planId: plans.Pro!.id },
    });
    const subscriptionId = data.changePlan.planSubscription.id;
    expect(
      summary(await eventsFor(server, { kind: 'plan.changed', topic: `org:${org.id}` })),
    ).toEqual([
      [
        `org:${org.id}`,
        'plan.changed',
        subscriptionId,
        { productId: product.id, planId: plans.Pro!.id },
      ],
    ]);
  });

  it('creating, changing and deleting a dev environment publish environment.changed', async () => {
    const { staff, org, admin } = await setup();
    const product = await createProduct(staff.client);
    const app = await createApp(admin.client, org.id);
    const created = await admin.client.ok<{
      createDevEnvironment: { devEnvironment: { id: string } };
    }>(CREATE_ENV, { input: { organizationId: org.id, productId: product.id, label: 'staging' } });
    const id = created.createDevEnvironment.devEnvironment.id;
    await admin.client.ok(UPDATE_ENV, { input: { devEnvironmentId: id, appId: app.id } });
    await admin.client.ok(UPDATE_ENV, { input: { devEnvironmentId: id, label: 'staging' } });
    await admin.client.ok(DELETE_ENV, { input: { devEnvironmentId: id } });
    expect(summary(await eventsFor(server, { subjectId: id }))).toEqual([
      [
        `org:${org.id}`,
        'environment.changed',
        id,
        { change: 'environment.create', productId: product.id, appId: null },
      ],
      [
        `org:${org.id}`,
        'environment.changed',
        id,
        { change: 'environment.update', productId: product.id, appId: app.id },
      ],
      [
        `org:${org.id}`,
        'environment.changed',
        id,
        { change: 'environment.delete', productId: product.id, appId: app.id },
      ],
    ]);
  });
});

describe('events that make gateways reload the catalog', () => {
  it('products: create, update and archive publish catalog.changed on the gateway stream', async () => {
    const { staff } = await setup();
    const product = await createProduct(staff.client);
    await staff.client.ok(UPDATE_PRODUCT, {
      input: { productId: product.id, pathPrefixes: [`/${uniqueLabel()}`] },
    });
    await staff.client.ok(UPDATE_PRODUCT, { input: { productId: product.id, name: product.name } });
    await staff.client.ok(ARCHIVE_PRODUCT, { input: { productId: product.id } });
    expect(summary(await eventsFor(server, { subjectId: product.id }))).toEqual([
      ['gateway', 'catalog.changed', product.id, { change: 'product.create' }],
      ['gateway', 'catalog.changed', product.id, { change: 'product.update' }],
      ['gateway', 'catalog.changed', product.id, { change: 'product.archive' }],
    ]);
  });

  it("changePlan publishes plan.changed on the gateway stream too, beside the organization's", async () => {
    const { staff, org, admin } = await setup();
    const product = await createProduct(staff.client);
    const plans = await defaultPlans(server);
    const data = await admin.client.ok<{ changePlan: { planSubscription: { id: string } } }>(
      CHANGE_PLAN,
      { input: { organizationId: org.id, productId: product.id, planId: plans.Basic!.id } },
    );
    const subscriptionId = data.changePlan.planSubscription.id;
    const payload = { productId: product.id, planId: plans.Basic!.id };
    expect(summary(await eventsFor(server, { subjectId: subscriptionId }))).toEqual([
      [`org:${org.id}`, 'plan.changed', subscriptionId, payload],
      ['gateway', 'plan.changed', subscriptionId, payload],
    ]);
  });

  it('plans: create and update publish catalog.changed on the gateway stream', async () => {
    const { staff } = await setup();
    const created = await staff.client.ok<{ createPlan: { plan: { id: string } } }>(CREATE_PLAN, {
      input: {
        name: `Plan ${uniqueLabel()}`,
        rank: 50,
        monthlyRequestCap: 1000,
        monthlyUnitCap: null,
        rateLimitRequests: 10,
        rateLimitWindowSeconds: 1,
        maxApps: 2,
        maxDevEnvironments: 1,
      },
    });
    const planId = created.createPlan.plan.id;
    await staff.client.ok(UPDATE_PLAN, { input: { planId, rateLimitRequests: 20 } });
    await staff.client.ok(UPDATE_PLAN, { input: { planId, rateLimitRequests: 20 } });
    expect(summary(await eventsFor(server, { subjectId: planId }))).toEqual([
      ['gateway', 'catalog.changed', planId, { change: 'plan.create' }],
      ['gateway', 'catalog.changed', planId, { change: 'plan.update' }],
    ]);
  });
});
