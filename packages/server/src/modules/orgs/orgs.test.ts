import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import {
  createOrg,
  createOrgWithAdmin,
  inviteAndJoin,
  uniqueOrgName,
  auditActions,
} from '../../../test/org-builders.js';

const server = useTestServer();

const ORGANIZATION = `query ($id: ID!) {
  organization(id: $id) {
    id name slug kind verifiedAt createdAt viewerRole
    members { id role createdAt user { id email name } }
  }
}`;

const UPDATE = `mutation ($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { organization { id name slug } }
}`;

const CREATE = `mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id name slug kind viewerRole } }
}`;

async function orgRow(id: string) {
  const rows = await server.orm.em
    .fork()
    .getConnection()
    .execute<{ name: string; slug: string }[]>('select name, slug from organization where id = ?', [
      id,
    ]);
  return rows[0];
}

describe('createOrganization', () => {
  it('creates a team organization with the creator as admin, audited', async () => {
    const user = await signUpUser(server, { name: 'Founder' });
    const name = uniqueOrgName('Acme Ünïcorns, Inc.');
    const data = await user.client.ok<{
      createOrganization: { organization: { id: string; slug: string; kind: string } };
    }>(CREATE, { input: { name: `  ${name}  ` } });
    const org = data.createOrganization.organization;
    expect(org).toMatchObject({ name, kind: 'TEAM', viewerRole: 'ADMIN' });
    expect(org.slug).toMatch(/^acme-unicorns-inc-/);
    expect(org.id).toMatch(/^org_/);

    const read = await user.client.ok<{
      organization: { members: { role: string; user: { id: string } }[] };
    }>(ORGANIZATION, { id: org.id });
    expect(read.organization.members).toEqual([
      expect.objectContaining({ role: 'ADMIN', user: expect.objectContaining({ id: user.id }) }),
    ]);
    expect(await auditActions(server, org.id)).toEqual(['organization.create']);
  });

  it('makes slugs unique', async () => {
    const a = await signUpUser(server);
    const b = await signUpUser(server);
    const name = uniqueOrgName('Same Name');
    const first = await createOrg(a.client, name);
    const second = await createOrg(b.client, name);
    const third = await createOrg(a.client, name);
    expect(second.slug).toBe(`${first.slug}-2`);
    expect(third.slug).toBe(`${first.slug}-3`);
  });

  it('refuses an empty or overlong name and creates nothing', async () => {
    const user = await signUpUser(server);
    for (const name of ['   ', 'x'.repeat(101)]) {
      const error = await user.client.fails(CREATE, { input: { name } });
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    }
    const rows = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>('select count(*)::int as n from membership where user_id = ?', [
        user.id,
      ]);
    expect(rows[0]?.n).toBe(0);
  });

  it('needs a signed-in user', async () => {
    const error = await server.client().fails(CREATE, { input: { name: 'Nope' } });
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});

describe('viewer organizations and organization(id)', () => {
  it('lists the viewer’s organizations with their role', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const other = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, other.admin, other.org.id, 'DEVELOPER');
    const second = await createOrg(admin.client);

    const mine = await admin.client.ok<{
      viewer: { organizations: { id: string; viewerRole: string }[] };
    }>(`{ viewer { organizations { id viewerRole } } }`);
    expect(mine.viewer.organizations).toEqual([
      { id: org.id, viewerRole: 'ADMIN' },
      { id: second.id, viewerRole: 'ADMIN' },
    ]);

    const devs = await dev.client.ok<{
      viewer: { organizations: { id: string; viewerRole: string }[] };
    }>(`{ viewer { organizations { id viewerRole } } }`);
    expect(devs.viewer.organizations).toEqual([{ id: other.org.id, viewerRole: 'DEVELOPER' }]);
  });

  it('shows other users no organizations', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const data = await dev.client.ok<{
      organization: { members: { user: { id: string; organizations: unknown[] } }[] };
    }>(
      `query ($id: ID!) { organization(id: $id) { members { user { id organizations { id } } } } }`,
      {
        id: org.id,
      },
    );
    const byId = new Map(data.organization.members.map((m) => [m.user.id, m.user.organizations]));
    expect(byId.get(admin.id)).toEqual([]);
    expect(byId.get(dev.id)).toEqual([{ id: org.id }]);
  });

  it('lets members and staff read, and hides the organization from others', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const outsider = await createOrgWithAdmin(server);
    const staff = await signUpUser(server, { staff: true });

    const asDev = await dev.client.ok<{ organization: { viewerRole: string; members: unknown[] } }>(
      ORGANIZATION,
      { id: org.id },
    );
    expect(asDev.organization.viewerRole).toBe('DEVELOPER');
    expect(asDev.organization.members).toHaveLength(2);

    const asStaff = await staff.client.ok<{
      organization: { viewerRole: string | null; members: unknown[] };
    }>(ORGANIZATION, { id: org.id });
    expect(asStaff.organization.viewerRole).toBeNull();
    expect(asStaff.organization.members).toHaveLength(2);

    const hidden = await outsider.admin.client.fails(ORGANIZATION, { id: org.id });
    expect(hidden).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const unknown = await admin.client.fails(ORGANIZATION, { id: 'org_doesnotexist' });
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const signedOut = await server.client().fails(ORGANIZATION, { id: org.id });
    expect(signedOut.code).toBe('UNAUTHENTICATED');
  });

  it('answers node(id) for members and staff only', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const outsider = await signUpUser(server);
    const staff = await signUpUser(server, { staff: true });
    const NODE = `query ($id: ID!) { node(id: $id) { id __typename } }`;
    for (const id of [org.id, dev.membershipId]) {
      for (const reader of [admin, dev, staff]) {
        const data = await reader.client.ok<{ node: { id: string } | null }>(NODE, { id });
        expect(data.node?.id).toBe(id);
      }
      const hidden = await outsider.client.ok<{ node: null }>(NODE, { id });
      expect(hidden.node).toBeNull();
    }
  });

  it('loads members of many organizations in a fixed number of statements', async () => {
    const user = await signUpUser(server);
    const QUERY = `{ viewer { organizations { id name viewerRole
      members { id role user { id name } }
      invitations { id status invitedBy { id } organization { id } } } } }`;
    const counts: number[] = [];
    for (const total of [1, 4]) {
      while ((await countOrgs(user.id)) < total) {
        const org = await createOrg(user.client);
        await inviteAndJoin(server, user, org.id, 'DEVELOPER');
      }
      server.queries.length = 0;
      const data = await user.client.ok<{ viewer: { organizations: unknown[] } }>(QUERY);
      expect(data.viewer.organizations).toHaveLength(total);
      counts.push(server.queries.filter((sql) => /\bselect\b/i.test(sql)).length);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(6);
  });
});

async function countOrgs(userId: string): Promise<number> {
  const rows = await server.orm.em
    .fork()
    .getConnection()
    .execute<{ n: number }[]>('select count(*)::int as n from membership where user_id = ?', [
      userId,
    ]);
  return rows[0]?.n ?? 0;
}

describe('updateOrganization', () => {
  it('lets an admin rename and change the slug, audited', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const slug = `renamed-${Date.now().toString(36)}`;
    const data = await admin.client.ok<{ updateOrganization: { organization: unknown } }>(UPDATE, {
      input: { organizationId: org.id, name: 'Renamed', slug },
    });
    expect(data.updateOrganization.organization).toEqual({ id: org.id, name: 'Renamed', slug });
    expect(await orgRow(org.id)).toEqual({ name: 'Renamed', slug });
    expect(await auditActions(server, org.id)).toEqual([
      'organization.create',
      'organization.update',
    ]);
  });

  it('refuses a taken slug, a bad slug and a bad name, changing nothing', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const other = await createOrgWithAdmin(server);
    const before = await orgRow(org.id);
    const taken = await admin.client.fails(UPDATE, {
      input: { organizationId: org.id, name: 'X', slug: other.org.slug },
    });
    expect(taken).toMatchObject({ code: 'CONFLICT', field: 'slug' });
    for (const slug of ['-bad', 'Has Spaces', 'x'.repeat(41)]) {
      const bad = await admin.client.fails(UPDATE, {
        input: { organizationId: org.id, name: 'X', slug },
      });
      expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slug' });
    }
    const badName = await admin.client.fails(UPDATE, {
      input: { organizationId: org.id, name: '' },
    });
    expect(badName).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(await orgRow(org.id)).toEqual(before);
    expect(await auditActions(server, org.id)).toEqual(['organization.create']);
  });

  it('refuses developers (FORBIDDEN), outsiders and staff (NOT_FOUND)', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const outsider = await signUpUser(server);
    const staff = await signUpUser(server, { staff: true });
    const input = { organizationId: org.id, name: 'Hijacked' };
    expect((await dev.client.fails(UPDATE, { input })).code).toBe('FORBIDDEN');
    expect(await outsider.client.fails(UPDATE, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'organizationId',
    });
    expect((await staff.client.fails(UPDATE, { input })).code).toBe('NOT_FOUND');
    expect((await orgRow(org.id))?.name).toBe(org.name);
  });
});
