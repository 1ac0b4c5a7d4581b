import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { createProject, orgWithMembers } from '../../../test/app-builders.js';
import { User } from '../accounts/accounts.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { Project } from '../projects/projects.entity.js';
import { App } from './apps.entity.js';

const server = useTestServer();

/** The organization dashboard: every project with its apps, the standalone apps, the team. */
const DASHBOARD = `query Dashboard {
  viewer {
    id
    organizations {
      id
      name
      projects {
        id
        name
        apps { id name status viewerCanManage owner { id name } project { id name } }
      }
      standaloneApps { id name status viewerCanManage owner { id name } }
      members { id role user { id name } }
    }
  }
}`;

interface Dashboard {
  viewer: {
    organizations: {
      projects: { apps: { owner: { id: string }; project: { id: string } }[] }[];
      standaloneApps: { owner: { id: string } }[];
      members: { user: { id: string } }[];
    }[];
  };
}

/**
 * An organization with an admin and two developers, three projects, and `count` apps spread
 * over the projects and standalone, owned in turn by each member. Apps are written through
 * the ORM: only the read is measured.
 */
async function dashboardWithApps(count: number) {
  const org = await orgWithMembers(server, { admins: 1, developers: 2 });
  const admin = org.admins[0]!;
  const owners = [admin, ...org.developers];
  const projects = [];
  for (let i = 0; i < 3; i++) projects.push(await createProject(admin.client, org.id));
  const em = server.orm.em.fork();
  for (let i = 0; i < count; i++) {
    const project = i % 4 === 3 ? null : projects[i % 4]!;
    em.persist(
      new App(
        em.getReference(Organization, org.id, { wrapped: true }),
        project ? em.getReference(Project, project.id, { wrapped: true }) : null,
        em.getReference(User, owners[i % owners.length]!.id, { wrapped: true }),
        `Dashboard app ${i}`,
      ),
    );
  }
  await em.flush();
  return { admin, owners };
}

describe('dashboard query', () => {
  it('runs the same number of SQL statements for 1, 10 and 100 apps', async () => {
    const counts: Record<number, number> = {};
    const statementsBySize: Record<number, string[]> = {};
    for (const size of [1, 10, 100]) {
      const { admin } = await dashboardWithApps(size);
      server.queries.length = 0;
      const data = await admin.client.ok<Dashboard>(DASHBOARD);
      counts[size] = server.queries.length;
      statementsBySize[size] = [...server.queries];

      const [org] = data.viewer.organizations;
      const inProjects = org!.projects.flatMap((p) => p.apps);
      expect(inProjects.length + org!.standaloneApps.length).toBe(size);
      expect(org!.members).toHaveLength(3);
      if (size === 100) {
        expect(new Set(inProjects.map((a) => a.owner.id)).size).toBe(3);
        expect(new Set(inProjects.map((a) => a.project.id)).size).toBe(3);
        expect(new Set(org!.standaloneApps.map((a) => a.owner.id)).size).toBe(3);
      }
    }
    console.log(
      `dashboard SQL statements: 1 app ${counts[1]}, 10 apps ${counts[10]}, 100 apps ${counts[100]}`,
    );
    const listing = Object.entries(statementsBySize)
      .map(([size, statements]) => `${size} apps:\n  ${statements.join('\n  ')}`)
      .join('\n');
    expect(counts[10], listing).toBe(counts[1]);
    expect(counts[100], listing).toBe(counts[1]);
    expect(counts[1], listing).toBeLessThanOrEqual(10);
  });
});
