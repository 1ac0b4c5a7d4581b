import { describe, expect, it } from 'vitest';
import { useTestServer, type TestClient } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import { issueCredential, sql } from '../../../test/gateway-builders.js';
import { createProductRow } from '../../../test/grant-builders.js';
import { setCreatedAt } from '../../../test/staff-builders.js';
import { ApprovalMode } from '../products/products.entity.js';

const server = useTestServer({ smtp: false });

async function download(
  client: TestClient | null,
  path: string,
): Promise<{ status: number; type: string | null; body: string }> {
  const headers: Record<string, string> = {};
  const cookie = client?.cookieHeader;
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${server.url}${path}`, { headers });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.text(),
  };
}

const query = (criteria: Record<string, unknown>) =>
  `?criteria=${encodeURIComponent(JSON.stringify(criteria))}`;

async function setup() {
  const org = await orgWithMembers(server, { admins: 1, developers: 1 });
  const [admin] = org.admins as [SignedInUser];
  const [dev] = org.developers as [SignedInUser];
  const staff = await signUpUser(server, { staff: true });
  const manual = await createProductRow(server, { approvalMode: ApprovalMode.MANUAL });
  const app = await createApp(dev.client, org.id, {
    name: 'Export, "quoted"',
    productIds: [manual.id],
  });
  const plain = await createApp(admin.client, org.id, { name: 'Plain' });
  const credential = await issueCredential(admin.client, plain.id);
  return { org, admin, dev, staff, manual, app, plain, credential };
}

describe('staff exports', () => {
  it('exports apps as CSV with owners, organizations, products and status, and no secret', async () => {
    const { org, dev, staff, manual, app, plain, credential } = await setup();
    const csv = await download(
      staff.client,
      `/api/staff/exports/apps.csv${query({ organizationId: org.id })}`,
    );
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe(
      'id,name,status,statusReason,organizationId,organizationName,organizationVerified,projectId,ownerId,ownerName,ownerEmail,products,createdAt,updatedAt,lastVerifiedAt,' +
        'usageMonth,requestsThisMonth,unitsThisMonth,errorsThisMonth,responsesThisMonth,errorRatePercentThisMonth,errorRatePercentLast30Days,percentOfCap,capProduct,capPlan,capMetric,suggestUpgrade',
    );
    expect(lines).toHaveLength(3);
    const row = lines.find((l) => l.startsWith(app.id))!;
    expect(row).toContain('"Export, ""quoted"""');
    expect(row).toContain(`,PENDING,`);
    expect(row).toContain(dev.email);
    expect(row).toContain(`${manual.name} (PENDING)`);
    expect(csv.body).toContain(plain.id);
    // Never a secret, a hash or a last four.
    const [stored] = await sql<{ secret_hash: string; last_four: string }>(
      server,
      `select secret_hash, last_four from credential where id = ?`,
      [credential.id],
    );
    for (const forbidden of [credential.secret, stored!.secret_hash, stored!.last_four]) {
      expect(csv.body).not.toContain(forbidden);
    }
  });

  it('exports apps and organizations as JSON, for a selection', async () => {
    const { org, staff, app, plain } = await setup();
    const json = await download(
      staff.client,
      `/api/staff/exports/apps.json${query({ ids: [app.id] })}`,
    );
    expect(json.type).toMatch(/^application\/json/);
    const rows = JSON.parse(json.body) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: app.id, organizationId: org.id, status: 'PENDING' });
    expect(Object.keys(rows[0]!)).not.toContain('secretHash');
    expect(rows.map((r) => r.id)).not.toContain(plain.id);

    const orgs = await download(
      staff.client,
      `/api/staff/exports/organizations.json${query({ ids: [org.id] })}`,
    );
    expect(JSON.parse(orgs.body)).toMatchObject([{ id: org.id, memberCount: 2, appCount: 2 }]);
    const orgsCsv = await download(
      staff.client,
      `/api/staff/exports/organizations.csv${query({ ids: [org.id] })}`,
    );
    expect(orgsCsv.body.split('\n')[1]).toContain(org.id);
    const empty = await download(
      staff.client,
      `/api/staff/exports/apps.json${query({ ids: ['app_none'] })}`,
    );
    expect(JSON.parse(empty.body)).toEqual([]);
  });

  it('exports the audit log and the reports, each export audited with its criteria', async () => {
    const { org, staff, app, plain } = await setup();
    await setCreatedAt(server, plain.id, new Date(Date.now() - 90 * 86_400_000));
    const audit = await download(
      staff.client,
      `/api/staff/exports/audit-log.csv${query({ organizationId: org.id })}`,
    );
    expect(audit.body.split('\n')[0]).toBe(
      'id,createdAt,action,actorId,organizationId,targetType,targetId,data,ip',
    );
    expect(audit.body).toContain('app.create');
    const inactive = await download(staff.client, `/api/staff/exports/inactive-apps.csv?days=30`);
    expect(inactive.body).toContain(plain.id);
    expect(inactive.body).not.toContain(app.id);
    const pending = await download(staff.client, `/api/staff/exports/pending-queue.csv`);
    expect(pending.body.split('\n')[0]).toContain('grantId,appId,appName');
    expect(pending.body).toContain(app.id);

    const exports = await sql<{
      target_id: string;
      data: Record<string, unknown>;
      actor_id: string;
    }>(
      server,
      `select target_id, data, actor_id from audit_entry where action = 'export.create' and actor_id = ? order by created_at`,
      [staff.id],
    );
    expect(exports.map((e) => e.target_id)).toEqual([
      'audit-log',
      'inactive-apps',
      'pending-queue',
    ]);
    expect(exports[0]?.data).toMatchObject({
      format: 'csv',
      criteria: { organizationId: org.id },
    });
  });

  it('refuses non-staff (401 signed out, 403 developers) and bad requests, exporting nothing', async () => {
    const { admin, staff } = await setup();
    expect((await download(null, '/api/staff/exports/apps.csv')).status).toBe(401);
    const denied = await download(admin.client, '/api/staff/exports/apps.csv');
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await download(staff.client, '/api/staff/exports/secrets.csv')).status).toBe(404);
    const bad = await download(staff.client, `/api/staff/exports/apps.csv?criteria=nope`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({
      error: { code: 'BAD_USER_INPUT', field: 'criteria' },
    });
    const [row] = await sql<{ n: number }>(
      server,
      `select count(*)::int as n from audit_entry where action = 'export.create' and actor_id = ?`,
      [admin.id],
    );
    expect(row?.n).toBe(0);
  });
});

const REPORTS = `query {
  staffInventorySummary { apps organizations verifiedOrganizations inactiveApps30d appsByStatus { status count } grantsByProduct { productId pending approved } }
  staffPendingQueue { pendingCount oldestRequestedAt medianAgeHours decidedCount medianHoursToDecision p90HoursToDecision requests { grantId appId ageHours } }
}`;

describe('staff reports', () => {
  it('reports the inventory and the pending queue with ages', async () => {
    const { staff, manual, app } = await setup();
    const data = await staff.client.ok<{
      staffInventorySummary: {
        apps: number;
        appsByStatus: { status: string; count: number }[];
        grantsByProduct: { productId: string; pending: number }[];
      };
      staffPendingQueue: { pendingCount: number; requests: { appId: string; ageHours: number }[] };
    }>(REPORTS);
    expect(data.staffInventorySummary.apps).toBeGreaterThanOrEqual(2);
    expect(
      data.staffInventorySummary.grantsByProduct.find((p) => p.productId === manual.id),
    ).toMatchObject({
      pending: 1,
    });
    expect(data.staffPendingQueue.pendingCount).toBeGreaterThanOrEqual(1);
    expect(data.staffPendingQueue.requests.map((r) => r.appId)).toContain(app.id);
  });
});
