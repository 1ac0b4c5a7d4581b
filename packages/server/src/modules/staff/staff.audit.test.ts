import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import { issueCredential } from '../../../test/gateway-builders.js';
import { sql } from '../../../test/gateway-builders.js';

const server = useTestServer({ smtp: false });

const SEARCH = `query ($filter: StaffAuditFilter, $first: Int, $after: String) {
  staffAuditLog(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id action targetType targetId data createdAt actor { id } }
  }
}`;

interface SearchPage {
  staffAuditLog: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: {
      id: string;
      action: string;
      targetType: string;
      targetId: string;
      data: Record<string, unknown>;
      createdAt: string;
      actor: { id: string } | null;
    }[];
  };
}

/** Every audit entry as stored, each with a digest of all its columns. */
async function auditSnapshot(): Promise<Map<string, string>> {
  const rows = await sql<Record<string, unknown>>(
    server,
    `select id, created_at, organization_id, actor_id, action, target_type, target_id, data, ip, user_agent from audit_entry`,
  );
  return new Map(
    rows.map((row) => [
      String(row.id),
      createHash('sha256').update(JSON.stringify(row)).digest('hex'),
    ]),
  );
}

async function setup() {
  const org = await orgWithMembers(server, { admins: 1, developers: 1 });
  const [admin] = org.admins as [SignedInUser];
  const [dev] = org.developers as [SignedInUser];
  const staff = await signUpUser(server, { staff: true });
  const app = await createApp(dev.client, org.id);
  const credential = await issueCredential(dev.client, app.id);
  return { org, admin, dev, staff, app, credential };
}

describe('the audit log is append-only in the database', () => {
  it('refuses a direct UPDATE, DELETE or TRUNCATE of an entry, whoever runs it', async () => {
    const { app } = await setup();
    const [entry] = await sql<{ id: string }>(
      server,
      `select id from audit_entry where target_id = ? limit 1`,
      [app.id],
    );
    for (const statement of [
      `update audit_entry set action = 'tampered' where id = '${entry!.id}'`,
      `update audit_entry set data = '{}'::jsonb`,
      `delete from audit_entry where id = '${entry!.id}'`,
      `truncate audit_entry`,
    ]) {
      await expect(sql(server, statement), statement).rejects.toThrow(/append-only/);
    }
    const [still] = await sql<{ action: string }>(
      server,
      `select action from audit_entry where id = ?`,
      [entry!.id],
    );
    expect(still?.action).toBe('app.create');
  });

  it('no mutation changes or deletes an entry (suspension, deletion, removal, bulk runs …)', async () => {
    const { org, admin, dev, staff, app, credential } = await setup();
    const before = await auditSnapshot();
    const other = await createApp(dev.client, org.id);
    await staff.client.ok(
      `mutation ($input: SuspendAppInput!) { suspendApp(input: $input) { app { id } } }`,
      { input: { appId: app.id, reason: 'Checking the audit log.' } },
    );
    await dev.client.ok(
      `mutation ($input: RevokeCredentialInput!) { revokeCredential(input: $input) { credential { id } } }`,
      { input: { credentialId: credential.id } },
    );
    await admin.client.ok(
      `mutation ($input: DeleteAppInput!) { deleteApp(input: $input) { deletedAppId } }`,
      { input: { appId: other.id, reason: 'Not needed any more.' } },
    );
    const [membership] = await sql<{ id: string }>(
      server,
      `select id from membership where organization_id = ? and user_id = ?`,
      [org.id, dev.id],
    );
    await admin.client.ok(
      `mutation ($input: RemoveMemberInput!) { removeMember(input: $input) { removedMembershipId } }`,
      { input: { membershipId: membership!.id } },
    );
    await staff.client.ok(
      `mutation ($input: SetOrganizationVerifiedInput!) { setOrganizationVerified(input: $input) { organization { id } } }`,
      { input: { organizationId: org.id, verified: true, reason: 'Audit test.' } },
    );
    await staff.client.ok(
      `mutation ($input: PlanBulkRunInput!) { planBulkRun(input: $input) { run { id } } }`,
      { input: { action: 'UNSUSPEND', criteria: { organizationId: org.id }, reason: 'Dry run.' } },
    );
    const after = await auditSnapshot();
    for (const [id, digest] of before) expect(after.get(id), id).toBe(digest);
    expect(after.size).toBeGreaterThan(before.size);
  });
});

describe('staff audit log search', () => {
  it('finds entries by actor, organization, app (its credentials included), action and time', async () => {
    const { org, dev, staff, app, credential } = await setup();
    const search = async (filter: Record<string, unknown>, first = 50) =>
      (await staff.client.ok<SearchPage>(SEARCH, { filter, first })).staffAuditLog;

    const byApp = await search({ appId: app.id });
    expect(byApp.nodes.map((n) => [n.action, n.targetId])).toEqual([
      ['credential.create', credential.id],
      ['app.create', app.id],
    ]);
    const byOrgAndActor = await search({ organizationId: org.id, actorId: dev.id });
    expect(byOrgAndActor.nodes.map((n) => n.action)).toEqual(['credential.create', 'app.create']);
    const byPrefix = await search({ organizationId: org.id, action: 'credential.' });
    expect(byPrefix.nodes.map((n) => n.action)).toEqual(['credential.create']);
    const exact = await search({ organizationId: org.id, action: 'app.create' });
    expect(exact.totalCount).toBe(1);
    const future = await search({
      organizationId: org.id,
      from: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(future.totalCount).toBe(0);
    const past = await search({
      organizationId: org.id,
      to: new Date(Date.now() + 60_000).toISOString(),
      from: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.totalCount).toBe(byOrgAndActor.totalCount);

    // Cursor paging, newest first.
    const first = await staff.client.ok<SearchPage>(SEARCH, {
      filter: { appId: app.id },
      first: 1,
    });
    const second = await staff.client.ok<SearchPage>(SEARCH, {
      filter: { appId: app.id },
      first: 1,
      after: first.staffAuditLog.pageInfo.endCursor,
    });
    expect(
      [...first.staffAuditLog.nodes, ...second.staffAuditLog.nodes].map((n) => n.action),
    ).toEqual(['credential.create', 'app.create']);
    expect(second.staffAuditLog.pageInfo.hasNextPage).toBe(false);
    // Never a secret.
    expect(JSON.stringify(byApp)).not.toContain(credential.secret);
    expect((await dev.client.fails(SEARCH, {})).code).toBe('FORBIDDEN');
  });
});
