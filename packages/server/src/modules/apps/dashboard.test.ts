import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { createProject, orgWithMembers } from '../../../test/app-builders.js';
import { User } from '../accounts/accounts.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { Project } from '../projects/projects.entity.js';
import { App } from './apps.entity.js';
import { Credential, CredentialKind } from '../credentials/credentials.entity.js';
import { ProductGrant } from '../grants/grants.entity.js';
import { ApiProduct } from '../products/products.entity.js';
import { randomBase62 } from '../../ids.js';
import { writeMinutes } from '../../../test/usage-builders.js';
import { minutesAgoThisMonth } from '../../../test/usage-times.js';

const server = useTestServer();

const APP = `id name status viewerCanManage owner { id name }
  credentials { id kind lastFour }
  grants { id status usageThisMonth { requests errors } }
  usageThisMonth { month requests units errors errorRate responseTimeAvg }`;

/**
 * The organization dashboard: every project with its apps (credentials, grants, this month's
 * usage), the standalone apps, the team.
 */
const DASHBOARD = `query Dashboard {
  viewer {
    id
    organizations {
      id
      name
      projects {
        id
        name
        apps { ${APP} project { id name } }
      }
      standaloneApps { ${APP} }
      members { id role user { id name } }
    }
  }
}`;

interface DashboardApp {
  owner: { id: string };
  credentials: { id: string }[];
  grants: { usageThisMonth: { requests: number } }[];
  usageThisMonth: { requests: number };
}

interface Dashboard {
  viewer: {
    organizations: {
      projects: { apps: (DashboardApp & { project: { id: string } })[] }[];
      standaloneApps: DashboardApp[];
      members: { user: { id: string } }[];
    }[];
  };
}

/**
 * An organization with an admin and two developers, three projects, and `count` apps spread
 * over the projects and standalone, owned in turn by each member, each with a credential, a
 * grant of one product and a few minutes of usage this month. Written through the ORM and SQL:
 * only the read is measured.
 */
async function dashboardWithApps(count: number, projectCount = 3) {
  const org = await orgWithMembers(server, { admins: 1, developers: 2 });
  const admin = org.admins[0]!;
  const owners = [admin, ...org.developers];
  const projects = [];
  for (let i = 0; i < projectCount; i++) {
    projects.push(await createProject(admin.client, org.id));
  }
  const em = server.orm.em.fork();
  const orgRef = em.getReference(Organization, org.id, { wrapped: true });
  const product = new ApiProduct(
    `Dashboard product ${randomBase62(6)}`,
    `dash-${randomBase62(12)}`,
  );
  em.persist(product);
  const apps: App[] = [];
  for (let i = 0; i < count; i++) {
    const slot = i % (projectCount + 1);
    const project = slot === projectCount ? null : projects[slot]!;
    const app = new App(
      orgRef,
      project ? em.getReference(Project, project.id, { wrapped: true }) : null,
      em.getReference(User, owners[i % owners.length]!.id, { wrapped: true }),
      `Dashboard app ${i}`,
    );
    apps.push(app);
    em.persist(app);
    const appRef = em.getReference(App, app.id, { wrapped: true });
    em.persist(
      new Credential({
        app: appRef,
        organization: orgRef,
        kind: CredentialKind.CONSUMER_KEY,
        publicId: null,
        secretHash: randomBase62(40),
        lastFour: 'abcd',
        createdBy: null,
      }),
    );
    em.persist(
      new ProductGrant(
        orgRef,
        appRef,
        em.getReference(ApiProduct, product.id, { wrapped: true }),
        null,
      ),
    );
  }
  await em.flush();
  const now = Date.now();
  await writeMinutes(
    server,
    apps.map((app, i) => ({
      bucket: minutesAgoThisMonth(i % 30, now),
      organizationId: org.id,
      appId: app.id,
      productId: product.id,
      requests: 3,
      responseTimes: [10],
    })),
  );
  return { admin, owners, org, projects, apps };
}

/** The web dashboard: a page of projects, each with the first page of its apps. */
const PAGED_DASHBOARD = `query PagedDashboard($id: ID!) {
  organization(id: $id) {
    projectsConnection(first: 100) {
      totalCount
      nodes {
        id
        appsConnection(first: 5) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { id name owner { id name } }
        }
      }
    }
    standaloneAppsConnection(first: 100) { totalCount nodes { id owner { id } } }
  }
}`;

interface PagedDashboard {
  organization: {
    projectsConnection: {
      totalCount: number;
      nodes: {
        id: string;
        appsConnection: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          nodes: { id: string; name: string; owner: { id: string } }[];
        };
      }[];
    };
  };
}

describe('dashboard query', () => {
  it(
    'runs the same number of SQL statements for 1, 10 and 1,000 apps, at most 8',
    { timeout: 180_000 },
    async () => {
      const counts: Record<number, number> = {};
      const statementsBySize: Record<number, string[]> = {};
      for (const size of [1, 10, 1000]) {
        const { admin } = await dashboardWithApps(size);
        server.queries.length = 0;
        const data = await admin.client.ok<Dashboard>(DASHBOARD);
        counts[size] = server.queries.length;
        statementsBySize[size] = [...server.queries];

        const [org] = data.viewer.organizations;
        const inProjects = org!.projects.flatMap((p) => p.apps);
        expect(inProjects.length + org!.standaloneApps.length).toBe(size);
        expect(org!.members).toHaveLength(3);
        const all = [...inProjects, ...org!.standaloneApps];
        expect(all.every((a) => a.credentials.length === 1 && a.grants.length === 1)).toBe(true);
        expect(all.every((a) => a.usageThisMonth.requests === 3)).toBe(true);
        expect(all.every((a) => a.grants[0]!.usageThisMonth.requests === 3)).toBe(true);
        if (size === 1000) {
          expect(new Set(inProjects.map((a) => a.owner.id)).size).toBe(3);
          expect(new Set(inProjects.map((a) => a.project.id)).size).toBe(3);
          expect(new Set(org!.standaloneApps.map((a) => a.owner.id)).size).toBe(3);
        }
      }
      console.log(
        `dashboard SQL statements: 1 app ${counts[1]}, 10 apps ${counts[10]}, 1,000 apps ${counts[1000]}`,
      );
      const listing = Object.entries(statementsBySize)
        .map(([size, statements]) => `${size} apps:\n  ${statements.join('\n  ')}`)
        .join('\n');
      expect(counts[10], listing).toBe(counts[1]);
      expect(counts[1000], listing).toBe(counts[1]);
      expect(counts[1], listing).toBeLessThanOrEqual(8);
    },
  );
});

describe('paged dashboard query', () => {
  it(
    "reads every project's first page of apps at once, however many projects",
    { timeout: 180_000 },
    async () => {
      const counts: number[] = [];
      const listings: string[] = [];
      for (const [size, projectCount] of [
        [2, 1],
        [40, 3],
        [300, 20],
      ] as const) {
        const { admin, org, projects, apps } = await dashboardWithApps(size, projectCount);
        server.queries.length = 0;
        const data = await admin.client.ok<PagedDashboard>(PAGED_DASHBOARD, { id: org.id });
        counts.push(server.queries.length);
        listings.push(`${projectCount} projects:\n  ${server.queries.join('\n  ')}`);

        const byProject = new Map(data.organization.projectsConnection.nodes.map((p) => [p.id, p]));
        expect(byProject.size).toBe(projectCount);
        for (const project of projects) {
          // The project's apps, oldest first (apps made in the same millisecond by id).
          const expected = apps
            .filter((app) => app.project?.id === project.id)
            .sort(
              (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1),
            );
          const page = byProject.get(project.id)!.appsConnection;
          expect(page.totalCount).toBe(expected.length);
          expect(page.nodes.map((app) => app.id)).toEqual(
            expected.slice(0, 5).map((app) => app.id),
          );
          expect(page.nodes.every((app) => app.owner.id.length > 0)).toBe(true);
          expect(page.pageInfo.hasNextPage).toBe(expected.length > 5);
          if (expected.length > 5) {
            // The next page, through the cursor, follows on where the first one stopped.
            const next = await admin.client.ok<{
              node: { appsConnection: { nodes: { id: string }[] } };
            }>(
              `query Next($id: ID!, $after: String) { node(id: $id) { ... on Project {
                appsConnection(first: 5, after: $after) { nodes { id } } } } }`,
              { id: project.id, after: page.pageInfo.endCursor },
            );
            expect(next.node.appsConnection.nodes.map((app) => app.id)).toEqual(
              expected.slice(5, 10).map((app) => app.id),
            );
          }
        }
      }
      const listing = listings.join('\n');
      expect(counts[1], listing).toBe(counts[0]);
      expect(counts[2], listing).toBe(counts[0]);
    },
  );
});
