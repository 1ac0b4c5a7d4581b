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
async function dashboardWithApps(count: number) {
  const org = await orgWithMembers(server, { admins: 1, developers: 2 });
  const admin = org.admins[0]!;
  const owners = [admin, ...org.developers];
  const projects = [];
  for (let i = 0; i < 3; i++) projects.push(await createProject(admin.client, org.id));
  const em = server.orm.em.fork();
  const orgRef = em.getReference(Organization, org.id, { wrapped: true });
  const product = new ApiProduct(
    `Dashboard product ${randomBase62(6)}`,
    `dash-${randomBase62(12)}`,
  );
  em.persist(product);
  const apps: App[] = [];
  for (let i = 0; i < count; i++) {
    const project = i % 4 === 3 ? null : projects[i % 4]!;
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
      bucket: new Date(now - (now % 60_000) - (i % 30) * 60_000),
      organizationId: org.id,
      appId: app.id,
      productId: product.id,
      requests: 3,
      responseTimes: [10],
    })),
  );
  return { admin, owners };
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
