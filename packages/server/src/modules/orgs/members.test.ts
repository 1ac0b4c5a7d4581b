import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import {
  createAppRow,
  createOrgWithAdmin,
  inviteAndJoin,
  membershipIdOf,
} from '../../../test/org-builders.js';

const server = useTestServer();

const CHANGE_ROLE = `mutation ($input: ChangeMemberRoleInput!) {
  changeMemberRole(input: $input) { membership { id role user { id } } }
}`;
const REMOVE = `mutation ($input: RemoveMemberInput!) {
  removeMember(input: $input) { removedMembershipId organization { id members { id } } }
}`;
const LEAVE = `mutation ($input: LeaveOrganizationInput!) {
  leaveOrganization(input: $input) { organizationId }
}`;
const MEMBERS = `query ($id: ID!) {
  organization(id: $id) { viewerRole members { id role createdAt user { id name email } } }
}`;

function sql<T>(query: string, params: unknown[]): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

async function roles(orgId: string): Promise<Record<string, string>> {
  const rows = await sql<{ user_id: string; role: string }>(
    'select user_id, role from membership where organization_id = ?',
    [orgId],
  );
  return Object.fromEntries(rows.map((row) => [row.user_id, row.role]));
}

async function ownerOf(appId: string): Promise<string | undefined> {
  return (await sql<{ owner_id: string }>('select owner_id from app where id = ?', [appId]))[0]
    ?.owner_id;
}

async function audit(orgId: string, action?: string) {
  return sql<{
    action: string;
    actor_id: string;
    target_id: string;
    data: Record<string, unknown>;
  }>(
    `select action, actor_id, target_id, data from audit_entry
     where organization_id = ? ${action ? 'and action = ?' : ''} order by created_at, id`,
    action ? [orgId, action] : [orgId],
  );
}

describe('changeMemberRole', () => {
  it('promotes and demotes, audited', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');

    const up = await admin.client.ok<{ changeMemberRole: { membership: { role: string } } }>(
      CHANGE_ROLE,
      { input: { membershipId: dev.membershipId, role: 'ADMIN' } },
    );
    expect(up.changeMemberRole.membership.role).toBe('ADMIN');
    const asDev = await dev.client.ok<{ organization: { viewerRole: string } }>(MEMBERS, {
      id: org.id,
    });
    expect(asDev.organization.viewerRole).toBe('ADMIN');

    // Now two admins: the first may demote themselves.
    const own = await membershipIdOf(server, org.id, admin.id);
    const down = await admin.client.ok<{
      changeMemberRole: { membership: { role: string } };
    }>(CHANGE_ROLE, { input: { membershipId: own, role: 'DEVELOPER' } });
    expect(down.changeMemberRole.membership.role).toBe('DEVELOPER');
    expect(await roles(org.id)).toEqual({ [admin.id]: 'DEVELOPER', [dev.id]: 'ADMIN' });
    expect((await audit(org.id, 'member.role_change')).map((row) => row.data)).toEqual([
      { userId: dev.id, from: 'DEVELOPER', to: 'ADMIN' },
      { userId: admin.id, from: 'ADMIN', to: 'DEVELOPER' },
    ]);
  });

  it('refuses to demote the last admin (CONFLICT role), changing nothing', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const own = await membershipIdOf(server, org.id, admin.id);
    const error = await admin.client.fails(CHANGE_ROLE, {
      input: { membershipId: own, role: 'DEVELOPER' },
    });
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'role' });
    expect(await roles(org.id)).toEqual({ [admin.id]: 'ADMIN', [dev.id]: 'DEVELOPER' });
    expect(await audit(org.id, 'member.role_change')).toEqual([]);
  });

  it('refuses developers (FORBIDDEN), outsiders and staff (NOT_FOUND), and bad roles', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const outsider = await createOrgWithAdmin(server);
    const staff = await signUpUser(server, { staff: true });
    const input = { membershipId: dev.membershipId, role: 'ADMIN' };
    expect((await dev.client.fails(CHANGE_ROLE, { input })).code).toBe('FORBIDDEN');
    for (const user of [outsider.admin, staff]) {
      expect(await user.client.fails(CHANGE_ROLE, { input })).toMatchObject({
        code: 'NOT_FOUND',
        field: 'membershipId',
      });
    }
    expect(
      await admin.client.fails(CHANGE_ROLE, { input: { membershipId: 'mem_nope', role: 'ADMIN' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'membershipId' });
    const bad = await admin.client.execute(CHANGE_ROLE, {
      input: { membershipId: dev.membershipId, role: 'OWNER' },
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await roles(org.id)).toEqual({ [admin.id]: 'ADMIN', [dev.id]: 'DEVELOPER' });
  });
});

describe('removeMember', () => {
  it('removes a member and moves their live apps to the acting admin, audited', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const other = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const appA = await createAppRow(server, org.id, dev.id);
    const appB = await createAppRow(server, org.id, dev.id);
    const deleted = await createAppRow(server, org.id, dev.id, { deleted: true });
    const othersApp = await createAppRow(server, org.id, other.id);
    // An app the removed member owns in another organization stays theirs.
    const elsewhere = await createOrgWithAdmin(server);
    const foreignDev = await inviteAndJoin(server, elsewhere.admin, elsewhere.org.id, 'DEVELOPER');
    const foreignApp = await createAppRow(server, elsewhere.org.id, foreignDev.id);

    const data = await admin.client.ok<{
      removeMember: { removedMembershipId: string; organization: { members: { id: string }[] } };
    }>(REMOVE, { input: { membershipId: dev.membershipId } });
    expect(data.removeMember.removedMembershipId).toBe(dev.membershipId);
    expect(data.removeMember.organization.members.map((m) => m.id)).not.toContain(dev.membershipId);
    expect(data.removeMember.organization.members).toHaveLength(2);

    expect(await ownerOf(appA.id)).toBe(admin.id);
    expect(await ownerOf(appB.id)).toBe(admin.id);
    expect(await ownerOf(deleted.id)).toBe(dev.id);
    expect(await ownerOf(othersApp.id)).toBe(other.id);
    expect(await ownerOf(foreignApp.id)).toBe(foreignDev.id);

    const transfers = await audit(org.id, 'app.transfer_ownership');
    expect(transfers.map((row) => row.target_id).sort()).toEqual([appA.id, appB.id].sort());
    for (const row of transfers) {
      expect(row.actor_id).toBe(admin.id);
      expect(row.data).toMatchObject({ from: dev.id, to: admin.id, reason: 'member.remove' });
    }
    const [removal] = await audit(org.id, 'member.remove');
    expect(removal).toMatchObject({
      actor_id: admin.id,
      target_id: dev.membershipId,
      data: { userId: dev.id, role: 'DEVELOPER' },
    });

    // The removed member no longer sees the organization.
    expect((await dev.client.fails(MEMBERS, { id: org.id })).code).toBe('NOT_FOUND');
  });

  it('refuses developers, outsiders, staff and removing yourself, changing nothing', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const app = await createAppRow(server, org.id, dev.id);
    const outsider = await createOrgWithAdmin(server);
    const staff = await signUpUser(server, { staff: true });
    const ownId = await membershipIdOf(server, org.id, admin.id);

    expect((await dev.client.fails(REMOVE, { input: { membershipId: ownId } })).code).toBe(
      'FORBIDDEN',
    );
    for (const user of [outsider.admin, staff]) {
      expect(
        await user.client.fails(REMOVE, { input: { membershipId: dev.membershipId } }),
      ).toMatchObject({ code: 'NOT_FOUND', field: 'membershipId' });
    }
    expect(await admin.client.fails(REMOVE, { input: { membershipId: ownId } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'membershipId',
    });
    expect(await roles(org.id)).toEqual({ [admin.id]: 'ADMIN', [dev.id]: 'DEVELOPER' });
    expect(await ownerOf(app.id)).toBe(dev.id);
    expect(await audit(org.id, 'member.remove')).toEqual([]);
  });

  it('lets an admin remove another admin while one admin remains', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const second = await inviteAndJoin(server, admin, org.id, 'ADMIN');
    await second.client.ok(REMOVE, {
      input: { membershipId: await membershipIdOf(server, org.id, admin.id) },
    });
    expect(await roles(org.id)).toEqual({ [second.id]: 'ADMIN' });
  });
});

describe('leaveOrganization', () => {
  it('lets a developer leave; their apps go to the longest-standing admin, audited', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const laterAdmin = await inviteAndJoin(server, admin, org.id, 'ADMIN');
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const app = await createAppRow(server, org.id, dev.id);

    const data = await dev.client.ok<{ leaveOrganization: { organizationId: string } }>(LEAVE, {
      input: { organizationId: org.id },
    });
    expect(data.leaveOrganization.organizationId).toBe(org.id);
    expect(await roles(org.id)).toEqual({ [admin.id]: 'ADMIN', [laterAdmin.id]: 'ADMIN' });
    expect(await ownerOf(app.id)).toBe(admin.id);

    const [transfer] = await audit(org.id, 'app.transfer_ownership');
    expect(transfer).toMatchObject({
      actor_id: dev.id,
      target_id: app.id,
      data: { from: dev.id, to: admin.id, reason: 'member.leave' },
    });
    expect(await audit(org.id, 'member.leave')).toEqual([
      expect.objectContaining({ actor_id: dev.id, data: { userId: dev.id, role: 'DEVELOPER' } }),
    ]);
    const mine = await dev.client.ok<{ viewer: { organizations: unknown[] } }>(
      `{ viewer { organizations { id } } }`,
    );
    expect(mine.viewer.organizations).toEqual([]);
  });

  it('lets an admin leave when another admin remains, handing apps to them', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const second = await inviteAndJoin(server, admin, org.id, 'ADMIN');
    const app = await createAppRow(server, org.id, admin.id);
    await admin.client.ok(LEAVE, { input: { organizationId: org.id } });
    expect(await roles(org.id)).toEqual({ [second.id]: 'ADMIN' });
    expect(await ownerOf(app.id)).toBe(second.id);
  });

  it('refuses the last admin (CONFLICT), changing nothing', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const app = await createAppRow(server, org.id, admin.id);
    expect(await admin.client.fails(LEAVE, { input: { organizationId: org.id } })).toMatchObject({
      code: 'CONFLICT',
      field: 'organizationId',
    });
    expect(await roles(org.id)).toEqual({ [admin.id]: 'ADMIN', [dev.id]: 'DEVELOPER' });
    expect(await ownerOf(app.id)).toBe(admin.id);
    expect(await audit(org.id, 'member.leave')).toEqual([]);
  });

  it('refuses outsiders and staff (NOT_FOUND)', async () => {
    const { org } = await createOrgWithAdmin(server);
    const outsider = await signUpUser(server);
    const staff = await signUpUser(server, { staff: true });
    for (const user of [outsider, staff]) {
      expect(await user.client.fails(LEAVE, { input: { organizationId: org.id } })).toMatchObject({
        code: 'NOT_FOUND',
        field: 'organizationId',
      });
    }
  });

  it('keeps the last admin when two admins race to leave', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const second = await inviteAndJoin(server, admin, org.id, 'ADMIN');
    const results = await Promise.all(
      [admin, second].map((user) =>
        user.client.execute(LEAVE, { input: { organizationId: org.id } }),
      ),
    );
    expect(results.filter((result) => !result.errors).length).toBe(1);
    expect(Object.values(await roles(org.id))).toEqual(['ADMIN']);
  });
});

describe('members list', () => {
  it('shows members with role and date added to every member, oldest first', async () => {
    const { admin, org } = await createOrgWithAdmin(server, { adminName: 'First' });
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER', { name: 'Second' });
    const data = await dev.client.ok<{
      organization: { members: { role: string; createdAt: string; user: { name: string } }[] };
    }>(MEMBERS, { id: org.id });
    expect(data.organization.members.map((m) => [m.user.name, m.role])).toEqual([
      ['First', 'ADMIN'],
      ['Second', 'DEVELOPER'],
    ]);
    expect(data.organization.members[0]?.createdAt).toEqual(expect.any(String));
  });
});
