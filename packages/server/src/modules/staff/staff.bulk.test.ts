import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import {
  appInOrg,
  eventually,
  gatewayProduct,
  issueCredential,
  outcome,
  verify,
} from '../../../test/gateway-builders.js';
import { createProductRow, storedNotifications } from '../../../test/grant-builders.js';
import {
  finishedRun,
  planBulkRun,
  startBulkRun,
  bulkRun,
  PLAN_BULK_RUN,
  START_BULK_RUN,
} from '../../../test/staff-builders.js';
import { AuditEntry } from '../../audit/audit.entity.js';
import { App } from '../apps/apps.entity.js';
import { Credential } from '../credentials/credentials.entity.js';
import { ApprovalMode } from '../products/products.entity.js';
import { startStandaloneBulkRunWorker, type BulkRunWorker } from '../../jobs/bulk-runs.js';

const server = useTestServer();
let worker: BulkRunWorker;

beforeAll(async () => {
  worker = await startStandaloneBulkRunWorker(server.app.services, {
    pollingIntervalSeconds: 0.5,
  });
});
afterAll(async () => {
  await worker.stop();
});

async function statuses(appIds: string[]): Promise<Record<string, string>> {
  const apps = await server.orm.em.fork().find(App, { id: { $in: appIds } });
  return Object.fromEntries(apps.map((a) => [a.id, a.status]));
}

async function auditActions(targetIds: string[]): Promise<string[]> {
  const rows = await server.orm.em
    .fork()
    .find(
      AuditEntry,
      { targetId: { $in: targetIds } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  return rows.map((r) => `${r.targetId} ${r.action}`);
}

/** An organization with `count` active apps owned by its developer, and a staff member. */
async function tenant(count: number) {
  const org = await orgWithMembers(server, { admins: 1, developers: 1 });
  const [owner] = org.developers as [SignedInUser];
  const staff = await signUpUser(server, { staff: true });
  const apps: string[] = [];
  for (let i = 0; i < count; i++) apps.push((await createApp(owner.client, org.id)).id);
  return { org, owner, staff, apps };
}

describe('bulk suspension', () => {
  it('dry run lists changes and skips and changes nothing; the real run applies exactly that plan', async () => {
    const { org, owner, staff, apps } = await tenant(4);
    const [already] = apps as [string];
    await staff.client.ok(
      `mutation ($input: SuspendAppInput!) { suspendApp(input: $input) { app { id } } }`,
      { input: { appId: already, reason: 'Earlier abuse report.' } },
    );
    const before = await statuses(apps);

    const plan = await planBulkRun(staff.client, {
      action: 'SUSPEND',
      criteria: { organizationId: org.id },
      reason: 'Terms of use breach across the organization.',
    });
    expect(plan).toMatchObject({ status: 'PLANNED', changeCount: 3, skipCount: 1, total: 4 });
    const skip = plan.items.nodes.find((i) => i.plan === 'SKIP');
    expect(skip).toMatchObject({
      appId: already,
      skipReason: 'Already suspended.',
      state: 'SKIPPED',
    });
    const planned = plan.items.nodes.filter((i) => i.plan === 'CHANGE').map((i) => i.appId);
    expect(planned.sort()).toEqual(apps.slice(1).sort());
    // A dry run changes nothing.
    expect(await statuses(apps)).toEqual(before);
    expect((await auditActions(apps)).filter((a) => a.endsWith('app.suspend'))).toHaveLength(1);

    const live = await subscribe<{
      staffEvents: {
        kind: string;
        subjectId: string;
        bulkRun: { status: string; appliedCount: number } | null;
      };
    }>(
      server,
      staff.client,
      `subscription { staffEvents { kind subjectId bulkRun { status appliedCount } } }`,
    );
    const started = await startBulkRun(staff.client, plan.id);
    expect(started.status).toBe('QUEUED');
    const done = await finishedRun(staff.client, plan.id);
    expect(done).toMatchObject({
      status: 'FINISHED',
      appliedCount: 3,
      failedCount: 0,
      skipCount: 1,
    });
    const applied = done.items.nodes.filter((i) => i.state === 'APPLIED').map((i) => i.appId);
    expect(applied.sort()).toEqual(planned.sort());
    expect(Object.values(await statuses(apps))).toEqual([
      'SUSPENDED',
      'SUSPENDED',
      'SUSPENDED',
      'SUSPENDED',
    ]);

    // Progress reached the staff page live, ending with the summary.
    await eventually(async () => {
      expect(live.received.map((e) => e.staffEvents.bulkRun?.status).at(-1)).toBe('FINISHED');
    }, 5000);
    expect(live.received.every((e) => e.staffEvents.subjectId === plan.id)).toBe(true);
    await live.close();

    // Each owner got the suspension notice once per app, in-app and by email.
    const notices = (await storedNotifications(server, owner.id)).filter(
      (n) => n.kind === 'app.suspended',
    );
    expect(notices).toHaveLength(4);
    expect(notices[0]?.title).toBe('Application suspension notice');
    await server.mail.waitFor(owner.email, /Application suspension notice/);

    // Audited: the plan, the start, each change with the run's id and reason, the summary.
    const runAudit = await auditActions([plan.id]);
    expect(runAudit).toEqual([
      `${plan.id} bulk_run.plan`,
      `${plan.id} bulk_run.start`,
      `${plan.id} bulk_run.finish`,
    ]);
    const changes = await server.orm.em
      .fork()
      .find(AuditEntry, { action: 'app.suspend', targetId: { $in: planned } });
    expect(changes).toHaveLength(3);
    for (const entry of changes) {
      expect(entry.data).toMatchObject({
        bulkRunId: plan.id,
        reason: 'Terms of use breach across the organization.',
      });
      expect(entry.actor?.id).toBe(staff.id);
    }
    // A finished run cannot start again.
    expect(await staff.client.fails(START_BULK_RUN, { input: { runId: plan.id } })).toMatchObject({
      code: 'CONFLICT',
      field: 'runId',
    });
  });

  it('refuses the real run when the data changed after the dry run, applying nothing', async () => {
    const { org, staff, apps } = await tenant(3);
    const plan = await planBulkRun(staff.client, {
      action: 'SUSPEND',
      criteria: { organizationId: org.id },
      reason: 'Suspicious traffic.',
    });
    expect(plan.changeCount).toBe(3);
    // One app changes meanwhile (another staff member suspends it).
    await staff.client.ok(
      `mutation ($input: SuspendAppInput!) { suspendApp(input: $input) { app { id } } }`,
      { input: { appId: apps[0], reason: 'Handled separately.' } },
    );
    expect(await staff.client.fails(START_BULK_RUN, { input: { runId: plan.id } })).toMatchObject({
      code: 'CONFLICT',
      field: 'runId',
      message: expect.stringContaining('1 app changed'),
    });
    const refused = await bulkRun(staff.client, plan.id);
    expect(refused).toMatchObject({ status: 'REFUSED', appliedCount: 0 });
    expect(refused.items.nodes.every((i) => i.state !== 'APPLIED')).toBe(true);
    expect(await statuses(apps)).toEqual({
      [apps[0]!]: 'SUSPENDED',
      [apps[1]!]: 'ACTIVE',
      [apps[2]!]: 'ACTIVE',
    });
    expect(await auditActions([plan.id])).toEqual([
      `${plan.id} bulk_run.plan`,
      `${plan.id} bulk_run.refuse`,
    ]);
    // An app edited after the dry run refuses the run too.
    const second = await planBulkRun(staff.client, {
      action: 'SUSPEND',
      criteria: { organizationId: org.id },
      reason: 'Suspicious traffic.',
    });
    await server.orm.em
      .fork()
      .nativeUpdate(
        App,
        { id: apps[1] },
        { description: 'Changed after the dry run.', updatedAt: new Date() },
      );
    expect((await staff.client.fails(START_BULK_RUN, { input: { runId: second.id } })).code).toBe(
      'CONFLICT',
    );
  });

  it('checks its input: a reason, criteria that narrow, a grace period only for rotations', async () => {
    const { org, staff } = await tenant(1);
    const cases: [Record<string, unknown>, string][] = [
      [{ action: 'SUSPEND', criteria: { organizationId: org.id }, reason: '' }, 'reason'],
      [{ action: 'SUSPEND', criteria: {}, reason: 'Everything.' }, 'criteria'],
      [
        { action: 'ROTATE_CREDENTIALS', criteria: { organizationId: org.id }, reason: 'Leak.' },
        'graceDays',
      ],
      [
        {
          action: 'ROTATE_CREDENTIALS',
          criteria: { organizationId: org.id },
          reason: 'Leak.',
          graceDays: 31,
        },
        'graceDays',
      ],
      [
        { action: 'SUSPEND', criteria: { organizationId: org.id }, reason: 'Leak.', graceDays: 3 },
        'graceDays',
      ],
    ];
    for (const [input, field] of cases) {
      expect(await staff.client.fails(PLAN_BULK_RUN, { input }), field).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
  });
});

describe('bulk runs and the gateway', () => {
  it('suspended apps are refused by /v1/verify within a second; unsuspended ones work again', async () => {
    const product = await gatewayProduct(server);
    const { org, owner, staff } = await tenant(0);
    const first = await appInOrg(owner.client, org.id, [product]);
    const second = await appInOrg(owner.client, org.id, [product]);
    const call = (token: string) => ({ token, uri: `${product.prefix}/items` });
    for (const app of [first, second]) {
      expect(outcome(await verify(server.url, call(app.credential.secret)))).toBe('200 allowed');
    }
    const suspend = await planBulkRun(staff.client, {
      action: 'SUSPEND',
      criteria: { ids: [first.appId, second.appId] },
      reason: 'Credential leak reported.',
    });
    await startBulkRun(staff.client, suspend.id);
    await finishedRun(staff.client, suspend.id);
    for (const app of [first, second]) {
      const { elapsedMs } = await eventually(async () => {
        expect(outcome(await verify(server.url, call(app.credential.secret)))).toBe(
          '403 app_suspended',
        );
      });
      expect(elapsedMs).toBeLessThan(1000);
    }

    const unsuspend = await planBulkRun(staff.client, {
      action: 'UNSUSPEND',
      criteria: { organizationId: org.id, statuses: ['SUSPENDED'] },
      reason: 'Leak contained.',
    });
    expect(unsuspend.changeCount).toBe(2);
    await startBulkRun(staff.client, unsuspend.id);
    const done = await finishedRun(staff.client, unsuspend.id);
    expect(done.appliedCount).toBe(2);
    for (const app of [first, second]) {
      const { elapsedMs } = await eventually(async () => {
        expect(outcome(await verify(server.url, call(app.credential.secret)))).toBe('200 allowed');
      });
      expect(elapsedMs).toBeLessThan(1000);
    }
  });

  it('rotates credentials in bulk: old keys work through their grace, then stop; owners are told', async () => {
    const product = await gatewayProduct(server);
    const { org, owner, staff } = await tenant(0);
    const app = await appInOrg(owner.client, org.id, [product]);
    const spare = await issueCredential(owner.client, app.appId);
    const idle = await createApp(owner.client, org.id);
    const call = (token: string) => ({ token, uri: `${product.prefix}/items` });

    const plan = await planBulkRun(staff.client, {
      action: 'ROTATE_CREDENTIALS',
      criteria: { organizationId: org.id },
      reason: 'Routine rotation after an incident.',
      graceDays: 7,
    });
    expect(plan.items.nodes.find((i) => i.appId === idle.id)).toMatchObject({
      plan: 'SKIP',
      skipReason: 'No active credential.',
    });
    expect(plan.items.nodes.find((i) => i.appId === app.appId)?.detail).toEqual({
      credentialIds: [app.credential.id, spare.id],
    });
    await startBulkRun(staff.client, plan.id);
    const done = await finishedRun(staff.client, plan.id);
    expect(done).toMatchObject({ appliedCount: 1, skipCount: 1 });

    const rotated = await server.orm.em
      .fork()
      .find(Credential, { id: { $in: [app.credential.id, spare.id] } });
    for (const credential of rotated) {
      expect(credential.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    }
    // In its grace period the old key still works.
    expect(outcome(await verify(server.url, call(app.credential.secret)))).toBe('200 allowed');
    // The owner is told which keys rotate and until when.
    const [notice] = (await storedNotifications(server, owner.id)).filter(
      (n) => n.kind === 'credential.rotated_by_staff',
    );
    expect(notice?.body).toContain(app.credential.id);
    expect(notice?.body).toContain(spare.id);
    expect(notice?.body).toContain(rotated[0]!.expiresAt!.toISOString().slice(0, 10));
    expect(notice?.body).not.toContain(app.credential.secret);

    // Once the grace period is over, it stops (the clock moved on: the end is now past, and the
    // gateway reads the credential again).
    await server.orm.em
      .fork()
      .nativeUpdate(
        Credential,
        { id: app.credential.id },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    server.app.gateway.cache.evictOrganization(org.id);
    await eventually(async () => {
      expect(outcome(await verify(server.url, call(app.credential.secret)))).toBe(
        '401 expired_credential',
      );
    }, 3000);
  });

  it('approves and rejects the pending requests of the apps selected', async () => {
    const manual = await createProductRow(server, { approvalMode: ApprovalMode.MANUAL });
    const { owner, staff, org } = await tenant(0);
    const waiting = [];
    for (let i = 0; i < 3; i++) {
      waiting.push(await createApp(owner.client, org.id, { productIds: [manual.id] }));
    }
    const approve = await planBulkRun(staff.client, {
      action: 'APPROVE',
      criteria: { ids: waiting.slice(0, 2).map((a) => a.id) },
      reason: 'Reviewed together: same use case.',
    });
    const reject = await planBulkRun(staff.client, {
      action: 'REJECT',
      criteria: { ids: [waiting[2]!.id] },
      reason: 'The use case is not described.',
    });
    await startBulkRun(staff.client, approve.id);
    await startBulkRun(staff.client, reject.id);
    await finishedRun(staff.client, approve.id);
    await finishedRun(staff.client, reject.id);
    expect(await statuses(waiting.map((a) => a.id))).toEqual({
      [waiting[0]!.id]: 'ACTIVE',
      [waiting[1]!.id]: 'ACTIVE',
      [waiting[2]!.id]: 'REJECTED',
    });
    const decided = await server.orm.em.fork().find(AuditEntry, {
      action: { $in: ['grant.approve', 'grant.reject'] },
      data: { appId: { $in: waiting.map((a) => a.id) } },
    });
    expect(decided.map((e) => e.data.reason).sort()).toEqual([
      'Reviewed together: same use case.',
      'Reviewed together: same use case.',
      'The use case is not described.',
    ]);
  });
});
