import { describe, expect, it } from 'vitest';
import { orgWithMembers, createApp, createProject } from '../../../test/app-builders.js';
import { uniqueEmail } from '../../../test/builders.js';
import { useTestServer } from '../../../test/harness.js';
import { createAppRow, inviteMember } from '../../../test/org-builders.js';
import { Invitation } from './orgs.entity.js';

const server = useTestServer();

interface Page<T> {
  totalCount: number;
  nodes: T[];
  edges: { cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PAGE = 'totalCount nodes { id } edges { cursor } pageInfo { hasNextPage endCursor }';

describe("an organization's growing lists, a page at a time", () => {
  it('pages members oldest first with their total, and the pages add up to the whole list', async () => {
    const org = await orgWithMembers(server, { admins: 2, developers: 3 });
    const admin = org.admins[0]!;
    const read = async (after: string | null) =>
      (
        await admin.client.ok<{ organization: { membersConnection: Page<{ id: string }> } }>(
          `query ($id: ID!, $after: String) {
            organization(id: $id) { membersConnection(first: 2, after: $after) { ${PAGE} } }
          }`,
          { id: org.id, after },
        )
      ).organization.membersConnection;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Page<{ id: string }> = await read(after);
      expect(page.totalCount).toBe(5);
      expect(page.nodes.length).toBeLessThanOrEqual(2);
      seen.push(...page.nodes.map((n) => n.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const whole = await admin.client.ok<{ organization: { members: { id: string }[] } }>(
      `query ($id: ID!) { organization(id: $id) { members { id } } }`,
      { id: org.id },
    );
    expect(seen).toEqual(whole.organization.members.map((m) => m.id));
  });

  it('pages invitations by status, counting an expired pending one as EXPIRED', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const first = await inviteMember(admin, org.id, uniqueEmail('a'));
    await inviteMember(admin, org.id, uniqueEmail('b'));
    const em = server.orm.em.fork();
    const stored = await em.findOneOrFail(Invitation, { id: first.id });
    stored.expiresAt = new Date(Date.now() - 60_000);
    await em.flush();

    const count = async (status: string | null) =>
      (
        await admin.client.ok<{ organization: { invitationsConnection: Page<{ id: string }> } }>(
          `query ($id: ID!, $status: InvitationStatus) {
            organization(id: $id) { invitationsConnection(status: $status) { ${PAGE} } }
          }`,
          { id: org.id, status },
        )
      ).organization.invitationsConnection;
    expect((await count(null)).totalCount).toBe(2);
    const expired = await count('EXPIRED');
    expect(expired.totalCount).toBe(1);
    expect(expired.nodes.map((n) => n.id)).toEqual([first.id]);
    expect((await count('PENDING')).totalCount).toBe(1);
    expect((await count('ACCEPTED')).totalCount).toBe(0);
  });

  it('pages projects, apps, standalone apps and a project’s apps, leaving deleted apps out', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const project = await createProject(admin.client, org.id);
    await createProject(admin.client, org.id);
    await createApp(admin.client, org.id, { projectId: project.id });
    await createApp(admin.client, org.id);
    await createAppRow(server, org.id, admin.id, { deleted: true });

    const data = await admin.client.ok<{
      organization: {
        projectsConnection: Page<{ id: string }>;
        appsConnection: Page<{ id: string; status: string }>;
        standaloneAppsConnection: Page<{ id: string }>;
        one: { totalCount: number };
        active: { totalCount: number };
        suspended: { totalCount: number };
      };
      project: { appsConnection: Page<{ id: string }> };
    }>(
      `query ($id: ID!, $project: ID!) {
        organization(id: $id) {
          projectsConnection(first: 1) { ${PAGE} }
          appsConnection { totalCount nodes { id status } pageInfo { hasNextPage } }
          standaloneAppsConnection { ${PAGE} }
          one: appsConnection(first: 1) { totalCount }
          active: appsConnection(status: ACTIVE) { totalCount }
          suspended: appsConnection(status: SUSPENDED) { totalCount }
        }
        project(id: $project) { appsConnection { ${PAGE} } }
      }`,
      { id: org.id, project: project.id },
    );
    const { organization } = data;
    expect(organization.projectsConnection.totalCount).toBe(2);
    expect(organization.projectsConnection.nodes.map((n) => n.id)).toEqual([project.id]);
    expect(organization.projectsConnection.pageInfo.hasNextPage).toBe(true);
    expect(organization.appsConnection.totalCount).toBe(2);
    expect(organization.one.totalCount).toBe(2);
    const statuses = organization.appsConnection.nodes.map((n) => n.status);
    expect(statuses).toContain('ACTIVE');
    expect(organization.active.totalCount).toBe(statuses.filter((s) => s === 'ACTIVE').length);
    expect(organization.suspended.totalCount).toBe(0);
    expect(organization.standaloneAppsConnection.totalCount).toBe(1);
    expect(data.project.appsConnection.totalCount).toBe(1);
  });

  it('refuses a page size out of bounds and a broken cursor, and outsiders', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const other = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const query = `query ($id: ID!, $first: Int, $after: String) {
      organization(id: $id) { membersConnection(first: $first, after: $after) { totalCount } }
    }`;
    expect(await admin.client.fails(query, { id: org.id, first: 101 })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    expect(await admin.client.fails(query, { id: org.id, after: 'nonsense' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    const outsider = other.admins[0]!;
    expect(await outsider.client.fails(query, { id: org.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
