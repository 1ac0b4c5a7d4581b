import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import { storedNotifications } from '../../../test/grant-builders.js';
import { bulkRun, finishedRun, planBulkRun, startBulkRun } from '../../../test/staff-builders.js';
import { AuditEntry } from '../../audit/audit.entity.js';
import { startStandaloneBulkRunWorker } from '../../jobs/bulk-runs.js';
import { BulkRunItem, BulkItemState } from './staff.entity.js';

const server = useTestServer({ smtp: false });

describe('a bulk run stopped midway', () => {
  it('resumes on another worker and finishes, applying nothing twice', async () => {
    const org = await orgWithMembers(server, { admins: 1, developers: 1 });
    const [owner] = org.developers as [SignedInUser];
    const staff = await signUpUser(server, { staff: true });
    const apps: string[] = [];
    for (let i = 0; i < 10; i++) apps.push((await createApp(owner.client, org.id)).id);
    const plan = await planBulkRun(staff.client, {
      action: 'SUSPEND',
      criteria: { organizationId: org.id },
      reason: 'Abuse wave.',
    });
    expect(plan.changeCount).toBe(10);

    // The first worker applies items slowly; it is stopped after a few.
    const first = await startStandaloneBulkRunWorker(server.app.services, {
      pollingIntervalSeconds: 0.5,
      itemDelayMs: 250,
    });
    await startBulkRun(staff.client, plan.id);
    const deadline = Date.now() + 20_000;
    while ((await bulkRun(staff.client, plan.id)).appliedCount < 3) {
      if (Date.now() > deadline) throw new Error('the first worker applied nothing');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await first.stop();
    const stopped = await bulkRun(staff.client, plan.id);
    expect(stopped.status).toBe('RUNNING');
    expect(stopped.appliedCount).toBeGreaterThanOrEqual(3);
    expect(stopped.appliedCount).toBeLessThan(10);

    // Another worker (another instance, after a restart) takes the job again and finishes.
    const second = await startStandaloneBulkRunWorker(server.app.services, {
      pollingIntervalSeconds: 0.5,
    });
    try {
      const done = await finishedRun(staff.client, plan.id, 30_000);
      expect(done).toMatchObject({ status: 'FINISHED', appliedCount: 10, failedCount: 0 });
    } finally {
      await second.stop();
    }

    // Each app was suspended exactly once: one audit entry, one notice each.
    const suspensions = await server.orm.em
      .fork()
      .find(AuditEntry, { action: 'app.suspend', targetId: { $in: apps } });
    expect(suspensions.map((e) => e.targetId).sort()).toEqual([...apps].sort());
    const notices = (await storedNotifications(server, owner.id)).filter(
      (n) => n.kind === 'app.suspended',
    );
    expect(notices).toHaveLength(10);
    const items = await server.orm.em.fork().find(BulkRunItem, { run: plan.id });
    expect(items.every((i) => i.state === BulkItemState.APPLIED)).toBe(true);
    const finishes = await server.orm.em
      .fork()
      .find(AuditEntry, { action: 'bulk_run.finish', targetId: plan.id });
    expect(finishes).toHaveLength(1);
    expect(finishes[0]?.data).toMatchObject({ applied: 10, skipped: 0, failed: 0 });
  });
});
