import { wrap } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { randomBase62 } from '../ids.js';
import { Organization, OrganizationKind } from '../modules/orgs/orgs.entity.js';
import { Project } from '../modules/projects/projects.entity.js';
import { entityOf, readRows, selectColumns } from './rows.js';

const server = useTestServer();

/** An organization with two projects, written and forgotten: reads start from nothing. */
async function organizationWithProjects(): Promise<string> {
  const em = server.orm.em.fork();
  const org = new Organization(
    'Rows',
    `rows-${randomBase62(10).toLowerCase()}`,
    OrganizationKind.TEAM,
  );
  em.persist(org);
  const ref = em.getReference(Organization, org.id, { wrapped: true });
  em.persist([new Project(ref, 'First'), new Project(ref, 'Second')]);
  await em.flush();
  return org.id;
}

const PROJECTS_WITH_ORG = (em: Parameters<typeof selectColumns>[0]) =>
  `select ${selectColumns(em, Project, 'p')}, ${selectColumns(em, Organization, 'o')}
     from "project" as "p" join "organization" as "o" on "o"."id" = "p"."organization_id"
    where "p"."organization_id" in (?) order by "p"."created_at", "p"."id"`;

describe('entities read by hand-written statements', () => {
  it('are the managed entities em.find makes, references resolved to their neighbours', async () => {
    const orgId = await organizationWithProjects();
    const em = server.orm.em.fork();
    const rows = await readRows(em, Project, PROJECTS_WITH_ORG(em), [[orgId]]);
    const projects = rows.map((row) => {
      entityOf(em, Organization, row, 'o');
      return entityOf(em, Project, row, 'p');
    });
    expect(projects.map((p) => p.name).sort()).toEqual(['First', 'Second']);
    expect(projects[0]!.createdAt).toBeInstanceOf(Date);
    expect(projects[0]!.organization.isInitialized()).toBe(true);
    expect(projects[0]!.organization.getEntity().name).toBe('Rows');

    // em.find answers the very same objects.
    const found = await em.find(Project, { organization: orgId });
    expect(found).toHaveLength(2);
    expect(found.every((project) => projects.includes(project))).toBe(true);
    expect(wrap(projects[0]!).isManaged()).toBe(true);

    // Managed: a change to one is flushed like any other.
    projects[1]!.name = 'Renamed';
    await em.flush();
    const again = await server.orm.em.fork().findOneOrFail(Project, projects[1]!.id);
    expect(again.name).toBe('Renamed');
  });

  it('see the changes waiting to be flushed, which are flushed first as em.find does', async () => {
    const orgId = await organizationWithProjects();
    const em = server.orm.em.fork();
    em.persist(new Project(em.getReference(Organization, orgId, { wrapped: true }), 'Third'));
    const rows = await readRows(em, Project, PROJECTS_WITH_ORG(em), [[orgId]]);
    expect(rows.map((row) => row.p__name).sort()).toEqual(['First', 'Second', 'Third']);
  });

  it('run in the open transaction of the request', async () => {
    const orgId = await organizationWithProjects();
    const em = server.orm.em.fork({ useContext: true });
    const names = await em.transactional(async () => {
      await em.execute(`update "project" set "name" = 'Inside' where "organization_id" = ?`, [
        orgId,
      ]);
      const rows = await readRows(em, Project, PROJECTS_WITH_ORG(em), [[orgId]]);
      return rows.map((row) => entityOf(em, Project, row, 'p').name);
    });
    expect(names).toEqual(['Inside', 'Inside']);
  });
});
