import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser, uniqueEmail } from '../../../test/builders.js';
import { createOrgWithAdmin, inviteAndJoin, inviteMember } from '../../../test/org-builders.js';

const server = useTestServer();

const AUDIT_LOG = `query ($organizationId: ID!, $first: Int, $after: String, $action: String) {
  auditLog(organizationId: $organizationId, first: $first, after: $after, action: $action) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id action targetType targetId data createdAt ip userAgent actor { id name } }
  }
}`;

interface AuditLog {
  auditLog: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: {
      id: string;
      action: string;
      targetType: string;
      targetId: string;
      data: Record<string, unknown>;
      actor: { id: string; name: string } | null;
    }[];
  };
}

describe('auditLog', () => {
  it('shows admins the log newest first, with actor and target, and filters by action', async () => {
    const { admin, org } = await createOrgWithAdmin(server, { adminName: 'Auditor' });
    const email = uniqueEmail();
    const invitation = await inviteMember(admin, org.id, email, 'ADMIN');

    const data = await admin.client.ok<AuditLog>(AUDIT_LOG, { organizationId: org.id });
    expect(data.auditLog.totalCount).toBe(2);
    expect(data.auditLog.nodes.map((n) => n.action)).toEqual([
      'invitation.create',
      'organization.create',
    ]);
    expect(data.auditLog.nodes[0]).toMatchObject({
      targetType: 'Invitation',
      targetId: invitation.id,
      data: { email, role: 'ADMIN' },
      actor: { id: admin.id, name: 'Auditor' },
    });
    // Never a secret: the invitation token is nowhere in the entry.
    expect(JSON.stringify(data.auditLog.nodes)).not.toMatch(/pti_/);

    const filtered = await admin.client.ok<AuditLog>(AUDIT_LOG, {
      organizationId: org.id,
      action: 'organization.create',
    });
    expect(filtered.auditLog.nodes.map((n) => n.action)).toEqual(['organization.create']);
    expect(filtered.auditLog.totalCount).toBe(1);
  });

  it('pages with first/after and refuses a bad page size', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    for (let i = 0; i < 4; i++) await inviteMember(admin, org.id, uniqueEmail());
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: AuditLog = await admin.client.ok<AuditLog>(AUDIT_LOG, {
        organizationId: org.id,
        first: 2,
        after,
      });
      seen.push(...page.auditLog.nodes.map((n) => n.id));
      if (!page.auditLog.pageInfo.hasNextPage) break;
      after = page.auditLog.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    for (const first of [0, 101]) {
      expect(await admin.client.fails(AUDIT_LOG, { organizationId: org.id, first })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
    }
    expect(
      await admin.client.fails(AUDIT_LOG, { organizationId: org.id, after: 'not-a-cursor' }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('refuses developers (FORBIDDEN) and outsiders (NOT_FOUND); staff may read', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const outsider = await createOrgWithAdmin(server);
    const staff = await signUpUser(server, { staff: true });

    expect((await dev.client.fails(AUDIT_LOG, { organizationId: org.id })).code).toBe('FORBIDDEN');
    expect(await outsider.admin.client.fails(AUDIT_LOG, { organizationId: org.id })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'organizationId',
    });
    expect((await server.client().fails(AUDIT_LOG, { organizationId: org.id })).code).toBe(
      'UNAUTHENTICATED',
    );
    const asStaff = await staff.client.ok<AuditLog>(AUDIT_LOG, { organizationId: org.id });
    expect(asStaff.auditLog.nodes.map((n) => n.action)).toEqual([
      'invitation.accept',
      'invitation.create',
      'organization.create',
    ]);
    // The developer's own acceptance is recorded with them as the actor.
    expect(asStaff.auditLog.nodes[0]?.actor?.id).toBe(dev.id);
  });

  it('answers node(id) for entries to org admins and staff only', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const outsider = await signUpUser(server);
    const staff = await signUpUser(server, { staff: true });
    const log = await admin.client.ok<AuditLog>(AUDIT_LOG, { organizationId: org.id });
    const id = log.auditLog.nodes[0]!.id;
    const NODE = `query ($id: ID!) { node(id: $id) { id ... on AuditEntry { action } } }`;
    for (const reader of [admin, staff]) {
      expect((await reader.client.ok<{ node: { id: string } }>(NODE, { id })).node.id).toBe(id);
    }
    for (const reader of [dev, outsider]) {
      expect((await reader.client.ok<{ node: null }>(NODE, { id })).node).toBeNull();
    }
  });
});
