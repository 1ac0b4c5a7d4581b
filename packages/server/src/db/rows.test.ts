import { wrap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { createProject, orgWithMembers } from '../../test/app-builders.js';
import { useTestServer } from '../../test/harness.js';
import { randomBase62 } from '../ids.js';
import { User } from '../modules/accounts/accounts.entity.js';
import { App } from '../modules/apps/apps.entity.js';
import { Organization, OrganizationKind } from '../modules/orgs/orgs.entity.js';
import { Project } from '../modules/projects/projects.entity.js';
import {
  entitiesOf,
  entityOf,
  markReadOnly,
  readRows,
  referencedId,
  selectColumns,
} from './rows.js';

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
    where "p"."organization_id" = any($1) order by "p"."created_at", "p"."id"`;

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

/** A new app of `ownerId` in the project, written; `prepare` sets more of it first. */
async function writeApp(
  ids: { orgId: string; projectId: string | null; ownerId: string },
  name: string,
  prepare: (app: App) => void = () => undefined,
): Promise<string> {
  const em = server.orm.em.fork();
  const app = new App(
    em.getReference(Organization, ids.orgId, { wrapped: true }),
    ids.projectId ? em.getReference(Project, ids.projectId, { wrapped: true }) : null,
    em.getReference(User, ids.ownerId, { wrapped: true }),
    name,
  );
  prepare(app);
  await em.persist(app).flush();
  return app.id;
}

/** An app in a project, with callback URLs (text[]) and attributes (jsonb). */
async function appInProject() {
  const org = await orgWithMembers(server, { admins: 1 });
  const owner = org.admins[0]!;
  const project = await createProject(owner.client, org.id);
  const appId = await writeApp(
    { orgId: org.id, projectId: project.id, ownerId: owner.id },
    'Rows app',
    (app) => {
      app.callbackUrls = ['https://rows.example/callback', 'https://rows.example/other'];
      app.attributes = [{ key: 'tier', value: 'gold' }];
    },
  );
  return { org, owner, project, appId };
}

/** The app with its owner joined, as the dashboard's lists read it. */
async function readApp(em: EntityManager, appId: string): Promise<App> {
  const rows = await readRows(
    em,
    App,
    `select ${selectColumns(em, App, 'a')}, ${selectColumns(em, User, 'o')}
      from "app" as "a" join "users" as "o" on "o"."id" = "a"."owner_id"
      where "a"."id" = $1`,
    [appId],
  );
  const [app] = entitiesOf(em, App, 'a', rows, [[User, 'o']]);
  if (!app) throw new Error('no app');
  return app;
}

/** The project, read alone. */
async function readProject(em: EntityManager, projectId: string): Promise<Project> {
  const rows = await readRows(
    em,
    Project,
    `select ${selectColumns(em, Project, 'p')} from "project" as "p" where "p"."id" = $1`,
    [projectId],
  );
  const [project] = entitiesOf(em, Project, 'p', rows);
  if (!project) throw new Error('no project');
  return project;
}

describe('entitiesOf in an operation that changes nothing', () => {
  it('makes views holding the values a managed entity holds, in no identity map', async () => {
    const { owner, project, appId } = await appInProject();
    const managedEm = server.orm.em.fork();
    const managed = await readApp(managedEm, appId);
    const viewEm = server.orm.em.fork();
    markReadOnly(viewEm);
    const view = await readApp(viewEm, appId);

    expect(view).toBeInstanceOf(App);
    expect(view).not.toBe(managed);
    expect(managedEm.getUnitOfWork().getById(App.name, appId)).toBe(managed);
    expect(viewEm.getUnitOfWork().getById(App.name, appId)).toBeUndefined();

    const scalarsOf = (entity: string) =>
      server.orm
        .getMetadata()
        .get(entity)
        .props.filter((prop) => prop.kind === 'scalar' && !prop.lazy && prop.persist !== false);
    expect(scalarsOf(App.name).length).toBeGreaterThan(10);
    for (const prop of scalarsOf(App.name)) {
      const key = prop.name as keyof App;
      expect(view[key], prop.name).toEqual(managed[key]);
    }
    // The joined owner too: dates set and unset, as em.find gives them.
    const viewOwner = view.owner.unwrap();
    const managedOwner = managed.owner.unwrap();
    expect(managedOwner.activatedAt).toBeInstanceOf(Date);
    expect(managedOwner.emailVerifiedAt).toBeNull();
    for (const prop of scalarsOf(User.name)) {
      const key = prop.name as keyof User;
      expect(viewOwner[key], `owner.${prop.name}`).toEqual(managedOwner[key]);
    }
    expect(view.createdAt).toBeInstanceOf(Date);
    // A date is parsed on its first read, once.
    expect(view.createdAt).toBe(view.createdAt);
    expect(view.callbackUrls).toEqual([
      'https://rows.example/callback',
      'https://rows.example/other',
    ]);
    expect(view.attributes).toEqual([{ key: 'tier', value: 'gold' }]);

    // The joined owner is loaded; the project, not joined, loads through the request.
    expect(view.owner.id).toBe(owner.id);
    expect(view.owner.isInitialized()).toBe(true);
    expect(view.owner.unwrap()).toBeInstanceOf(User);
    expect(view.owner.unwrap().name).toBe(managed.owner.unwrap().name);
    expect(view.project?.id).toBe(project.id);
    expect(view.project?.isInitialized()).toBe(false);
    expect((await view.project!.load())?.name).toBe(project.name);
  });

  it('makes one view of a row however often the operation reads it, and references reach it', async () => {
    const { project, appId } = await appInProject();
    const em = server.orm.em.fork();
    markReadOnly(em);
    const projectView = await readProject(em, project.id);
    const app = await readApp(em, appId);
    expect(await readApp(em, appId)).toBe(app);
    expect(app.project?.isInitialized()).toBe(true);
    expect(app.project?.unwrap()).toBe(projectView);
  });

  it('gives the views of one operation one reference to a row it has no view of', async () => {
    const { org, owner, project, appId } = await appInProject();
    const siblingId = await writeApp(
      { orgId: org.id, projectId: project.id, ownerId: owner.id },
      'Sibling app',
    );

    const em = server.orm.em.fork();
    markReadOnly(em);
    const [app, other] = [await readApp(em, appId), await readApp(em, siblingId)];
    expect(app!.project).toBe(other!.project);
    expect(app!.project).toBe(em.getReference(Project, project.id, { wrapped: true }));
    expect(app!.project?.isInitialized()).toBe(false);
  });

  it('makes a reference when it is first read, to the view the operation has made by then', async () => {
    const { org, project, appId } = await appInProject();
    const em = server.orm.em.fork();
    markReadOnly(em);
    const app = await readApp(em, appId);
    // The ids are there before any reference is made: none is in the request yet.
    expect(referencedId(app, 'project')).toBe(project.id);
    expect(referencedId(app, 'organization')).toBe(org.id);
    expect(em.getUnitOfWork().getById(Project.name, project.id)).toBeUndefined();
    expect(em.getUnitOfWork().getById(Organization.name, org.id)).toBeUndefined();

    // The project read after the app: its reference, made on first read, reaches that view.
    const projectView = await readProject(em, project.id);
    expect(app.project?.isInitialized()).toBe(true);
    expect(app.project?.unwrap()).toBe(projectView);
    expect(app.project).toBe(app.project);
    // The organization, of which there is no view, is the request's managed reference.
    expect(app.organization).toBe(em.getReference(Organization, org.id, { wrapped: true }));
    expect(em.getUnitOfWork().getById(Organization.name, org.id)).toBeDefined();
    expect(referencedId(app, 'organization')).toBe(org.id);
  });

  it('gives the referenced id of managed entities, and null for no reference', async () => {
    const { org, owner, appId } = await appInProject();
    const standaloneId = await writeApp(
      { orgId: org.id, projectId: null, ownerId: owner.id },
      'Standalone app',
    );
    const managed = await server.orm.em.fork().findOneOrFail(App, appId);
    expect(referencedId(managed, 'owner')).toBe(owner.id);
    const em = server.orm.em.fork();
    markReadOnly(em);
    const standalone = await readApp(em, standaloneId);
    expect(referencedId(standalone, 'project')).toBeNull();
    expect(standalone.project).toBeNull();
    expect(referencedId(standalone, 'owner')).toBe(owner.id);
  });

  it('makes managed entities inside a transaction the operation opens', async () => {
    const { appId } = await appInProject();
    const em = server.orm.em.fork({ useContext: true });
    markReadOnly(em);
    await em.transactional(async (tx) => {
      const app = await readApp(em, appId);
      expect(tx.getUnitOfWork().getById(App.name, appId)).toBe(app);
    });
  });
});
