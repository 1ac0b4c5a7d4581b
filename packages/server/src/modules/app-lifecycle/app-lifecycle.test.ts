import { describe, expect, it } from 'vitest';
import { useTestServer, type TestClient } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { auditEntriesFor, orgWithMembers, storedApp } from '../../../test/app-builders.js';
import {
  createProductRow,
  decideGrants,
  requestProducts,
  storedAppStatus,
  storedGrants,
} from '../../../test/grant-builders.js';
import { deleteApp, withdrawGrantRequest } from '../../../test/gateway-builders.js';
import { ApprovalMode } from '../products/products.entity.js';

const server = useTestServer();

const CREATE = `mutation ($input: CreateAppInput!) { createApp(input: $input) { app { id status } } }`;
const SUSPEND = `mutation ($input: SuspendAppInput!) { suspendApp(input: $input) { app { id status } } }`;
const UNSUSPEND = `mutation ($input: UnsuspendAppInput!) { unsuspendApp(input: $input) { app { id status } } }`;

let counter = 0;

async function create(client: TestClient, organizationId: string, productIds: string[] = []) {
  const data = await client.ok<{ createApp: { app: { id: string; status: string } } }>(CREATE, {
    input: { organizationId, name: `Lifecycle ${process.pid}-${++counter}`, productIds },
  });
  return data.createApp.app;
}

/** The ids of an app's grants for one product, oldest first. */
async function grantIds(appId: string, productId: string): Promise<string[]> {
  return (await storedGrants(server, appId))
    .filter((grant) => grant.product.id === productId)
    .map((grant) => grant.id);
}

/** The `app.status_change` entries of an app, as `from>to:cause`. */
async function statusChanges(appId: string): Promise<string[]> {
  const entries = await auditEntriesFor(server, appId);
  return entries
    .filter((entry) => entry.action === 'app.status_change')
    .map((e) => `${String(e.data.from)}>${String(e.data.to)}:${String(e.data.cause)}`);
}

async function setUp() {
  const staff = await signUpUser(server, { staff: true });
  const org = await orgWithMembers(server);
  return {
    staff,
    org,
    owner: org.admins[0]!,
    manual: await createProductRow(server),
    manual2: await createProductRow(server),
    auto: await createProductRow(server, { approvalMode: ApprovalMode.AUTO }),
  };
}

async function suspend(staff: SignedInUser, appId: string): Promise<string> {
  const data = await staff.client.ok<{ suspendApp: { app: { status: string } } }>(SUSPEND, {
    input: { appId, reason: 'Lifecycle test' },
  });
  return data.suspendApp.app.status;
}

async function unsuspend(staff: SignedInUser, appId: string): Promise<string> {
  const data = await staff.client.ok<{ unsuspendApp: { app: { status: string } } }>(UNSUSPEND, {
    input: { appId },
  });
  return data.unsuspendApp.app.status;
}

describe('every transition of the app lifecycle, through the API', () => {
  it('creation: ACTIVE when nothing waits for staff, PENDING while a request waits', async () => {
    const { org, owner, manual, auto } = await setUp();
    expect((await create(owner.client, org.id)).status).toBe('ACTIVE');
    expect((await create(owner.client, org.id, [auto.id])).status).toBe('ACTIVE');
    expect((await create(owner.client, org.id, [auto.id, manual.id])).status).toBe('PENDING');
  });

  it('decisions: approve, reject, ask again, withdraw, each recorded with its cause', async () => {
    const { staff, org, owner, manual, manual2, auto } = await setUp();
    // PENDING -approve-> ACTIVE
    const a = await create(owner.client, org.id, [manual.id]);
    await decideGrants(staff, await grantIds(a.id, manual.id), 'APPROVE');
    expect(await storedAppStatus(server, a.id)).toBe('ACTIVE');
    expect(await statusChanges(a.id)).toEqual(['PENDING>ACTIVE:grant.approve']);

    // PENDING -reject-> REJECTED -request-> PENDING -withdraw-> REJECTED -request-> ACTIVE
    const b = await create(owner.client, org.id, [manual.id]);
    await decideGrants(staff, await grantIds(b.id, manual.id), 'REJECT');
    expect(await storedAppStatus(server, b.id)).toBe('REJECTED');
    expect((await requestProducts(owner.client, b.id, [manual2.id])).app.status).toBe('PENDING');
    await withdrawGrantRequest(owner.client, (await grantIds(b.id, manual2.id))[0]!);
    expect(await storedAppStatus(server, b.id)).toBe('REJECTED');
    expect((await requestProducts(owner.client, b.id, [auto.id])).app.status).toBe('ACTIVE');
    expect(await statusChanges(b.id)).toEqual([
      'PENDING>REJECTED:grant.reject',
      'REJECTED>PENDING:grant.request',
      'PENDING>REJECTED:grant.withdraw',
      'REJECTED>ACTIVE:grant.request',
    ]);
    expect((await storedApp(server, b.id))?.statusReason).toBeNull();

    // PENDING -reject-> ACTIVE (something else was approved) and PENDING -withdraw-> ACTIVE
    const c = await create(owner.client, org.id, [auto.id, manual.id]);
    await decideGrants(staff, await grantIds(c.id, manual.id), 'REJECT');
    const d = await create(owner.client, org.id, [manual.id]);
    await withdrawGrantRequest(owner.client, (await grantIds(d.id, manual.id))[0]!);
    expect(await statusChanges(c.id)).toEqual(['PENDING>ACTIVE:grant.reject']);
    expect(await statusChanges(d.id)).toEqual(['PENDING>ACTIVE:grant.withdraw']);

    // An ACTIVE app stays ACTIVE whatever is decided about a new request.
    await requestProducts(owner.client, a.id, [manual2.id]);
    await decideGrants(staff, await grantIds(a.id, manual2.id), 'REJECT');
    expect(await storedAppStatus(server, a.id)).toBe('ACTIVE');
  });

  it('suspension from each live status, lifted back to what the grants say; deletion from each', async () => {
    const { staff, org, owner, manual } = await setUp();
    const active = await create(owner.client, org.id);
    const pending = await create(owner.client, org.id, [manual.id]);
    const rejected = await create(owner.client, org.id, [manual.id]);
    await decideGrants(staff, await grantIds(rejected.id, manual.id), 'REJECT');
    for (const [app, status] of [
      [active, 'ACTIVE'],
      [pending, 'PENDING'],
      [rejected, 'REJECTED'],
    ] as const) {
      expect(await suspend(staff, app.id)).toBe('SUSPENDED');
      // Grant changes leave a suspended app suspended.
      if (app === pending) {
        await decideGrants(staff, await grantIds(app.id, manual.id), 'REJECT');
        expect(await storedAppStatus(server, app.id)).toBe('SUSPENDED');
      }
      const lifted = await unsuspend(staff, app.id);
      expect(lifted).toBe(app === pending ? 'REJECTED' : status);
    }
    await suspend(staff, active.id);
    for (const app of [active, pending, rejected]) await deleteApp(owner.client, app.id);
    const pendingToo = await create(owner.client, org.id, [manual.id]);
    await deleteApp(owner.client, pendingToo.id);
    for (const app of [active, pending, rejected, pendingToo]) {
      expect((await storedApp(server, app.id))?.deletedAt).toBeInstanceOf(Date);
    }
  });

  it('refuses illegal transitions with a typed error and changes nothing', async () => {
    const { staff, org, owner } = await setUp();
    const app = await create(owner.client, org.id);
    const refused = await staff.client.execute(UNSUSPEND, { input: { appId: app.id } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'appId',
      reason: 'ILLEGAL_TRANSITION',
      from: 'ACTIVE',
      trigger: 'unsuspend',
    });
    await suspend(staff, app.id);
    const twice = await staff.client.execute(SUSPEND, {
      input: { appId: app.id, reason: 'Again, please' },
    });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', from: 'SUSPENDED' });
    expect(await storedAppStatus(server, app.id)).toBe('SUSPENDED');
    const audit = (await auditEntriesFor(server, app.id)).map((entry) => entry.action);
    expect(audit).toEqual(['app.create', 'app.suspend']);
    // A deleted app is gone for every trigger.
    await deleteApp(owner.client, app.id);
    const gone = await staff.client.execute(UNSUSPEND, { input: { appId: app.id } });
    expect(gone.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'appId' });
  });
});
