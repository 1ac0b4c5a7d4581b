import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import {
  auditEntriesFor,
  createApp,
  createProject,
  orgWithMembers,
  PROJECT_FIELDS,
  storedApp,
} from '../../../test/app-builders.js';
import { Project } from './projects.entity.js';

const server = useTestServer();

const CREATE = `mutation ($input: CreateProjectInput!) {
  createProject(input: $input) { project { ${PROJECT_FIELDS} organization { id } apps { id } } }
}`;
const UPDATE = `mutation ($input: UpdateProjectInput!) {
  updateProject(input: $input) { project { ${PROJECT_FIELDS} } }
}`;
const DELETE = `mutation ($input: DeleteProjectInput!) {
  deleteProject(input: $input) { deletedProjectId }
}`;
const PROJECT = `query ($id: ID!) {
  project(id: $id) { ${PROJECT_FIELDS} organization { id projects { id name } } apps { id } }
}`;

async function projectsIn(organizationId: string): Promise<Project[]> {
  return server.orm.em.fork().find(Project, { organization: organizationId });
}

describe('createProject', () => {
  it('lets an admin create a project, audited', async () => {
    const org = await orgWithMembers(server, { admins: 1 });
    const admin = org.admins[0]!;
    const data = await admin.client.ok<{
      createProject: { project: { id: string; organization: { id: string }; apps: unknown[] } };
    }>(CREATE, {
      input: {
        organizationId: org.id,
        name: '  Analytics  ',
        description: 'Dashboards',
        useCase: 'Read metrics',
      },
    });
    const project = data.createProject.project;
    expect(project).toMatchObject({
      name: 'Analytics',
      description: 'Dashboards',
      useCase: 'Read metrics',
      organization: { id: org.id },
      apps: [],
    });
    expect(project.id).toMatch(/^prj_/);
    const audit = await auditEntriesFor(server, project.id);
    expect(audit.map((entry) => [entry.action, entry.actor?.id])).toEqual([
      ['project.create', admin.id],
    ]);
    expect(audit[0]!.organization?.id).toBe(org.id);
  });

  it('defaults description and use case to empty', async () => {
    const org = await orgWithMembers(server);
    const project = await createProject(org.admins[0]!.client, org.id, {
      description: null,
      useCase: null,
    });
    expect(project).toMatchObject({ description: '', useCase: '' });
  });

  it('refuses developers (FORBIDDEN), outsiders and staff (NOT_FOUND), creating nothing', async () => {
    const org = await orgWithMembers(server, { admins: 1, developers: 1 });
    const other = await orgWithMembers(server);
    const staff = await signUpUser(server, { staff: true });
    const input = { organizationId: org.id, name: 'Nope' };
    expect(await org.developers[0]!.client.fails(CREATE, { input })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await other.admins[0]!.client.fails(CREATE, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'organizationId',
    });
    expect(await staff.client.fails(CREATE, { input })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await server.client().fails(CREATE, { input })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await projectsIn(org.id)).toHaveLength(0);
  });

  it.each([
    ['name', { name: '' }],
    ['name', { name: '   ' }],
    ['name', { name: 'x'.repeat(51) }],
    ['description', { name: 'Ok', description: 'x'.repeat(2001) }],
    ['useCase', { name: 'Ok', useCase: 'x'.repeat(2001) }],
  ])('refuses bad input naming the field %s, creating nothing', async (field, fields) => {
    const org = await orgWithMembers(server);
    const error = await org.admins[0]!.client.fails(CREATE, {
      input: { organizationId: org.id, ...fields },
    });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await projectsIn(org.id)).toHaveLength(0);
  });
});

describe('project(id)', () => {
  it('shows a project to every member and staff; hides it from outsiders', async () => {
    const org = await orgWithMembers(server, { admins: 1, developers: 1 });
    const other = await orgWithMembers(server);
    const staff = await signUpUser(server, { staff: true });
    const first = await createProject(org.admins[0]!.client, org.id, { name: 'First' });
    const second = await createProject(org.admins[0]!.client, org.id, { name: 'Second' });

    for (const viewer of [org.admins[0]!, org.developers[0]!, staff]) {
      const data = await viewer.client.ok<{
        project: { id: string; organization: { id: string; projects: { name: string }[] } };
      }>(PROJECT, { id: first.id });
      expect(data.project.id).toBe(first.id);
      expect(data.project.organization.id).toBe(org.id);
      expect(data.project.organization.projects.map((p) => p.name)).toEqual(['First', 'Second']);
    }
    const outsider = other.admins[0]!.client;
    expect(await outsider.fails(PROJECT, { id: second.id })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'id',
    });
    expect(await outsider.fails(PROJECT, { id: 'prj_doesnotexist' })).toMatchObject({
      code: 'NOT_FOUND',
    });

    const NODE = `query ($id: ID!) { node(id: $id) { id ... on Project { name } } }`;
    expect(
      (await org.developers[0]!.client.ok<{ node: unknown }>(NODE, { id: first.id })).node,
    ).toEqual({ id: first.id, name: 'First' });
    expect((await outsider.ok<{ node: unknown }>(NODE, { id: first.id })).node).toBeNull();
  });
});

describe('updateProject', () => {
  it('lets an admin change fields left in, audited with the changes', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const project = await createProject(admin.client, org.id, {
      name: 'Old',
      description: 'Keep me',
      useCase: 'Old use',
    });
    const data = await admin.client.ok<{ updateProject: { project: unknown } }>(UPDATE, {
      input: { projectId: project.id, name: 'New', useCase: null },
    });
    expect(data.updateProject.project).toMatchObject({
      name: 'New',
      description: 'Keep me',
      useCase: '',
    });
    // Nothing changes: no audit entry.
    await admin.client.ok(UPDATE, { input: { projectId: project.id, name: 'New' } });
    const audit = await auditEntriesFor(server, project.id);
    expect(audit.map((entry) => entry.action)).toEqual(['project.create', 'project.update']);
    expect(audit[1]!.data).toEqual({
      changes: { name: { from: 'Old', to: 'New' }, useCase: { from: 'Old use', to: '' } },
    });
    expect(audit[1]!.actor?.id).toBe(admin.id);
  });

  it('refuses developers, outsiders, staff and bad input, changing nothing', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const other = await orgWithMembers(server);
    const staff = await signUpUser(server, { staff: true });
    const project = await createProject(org.admins[0]!.client, org.id, { name: 'Stable' });
    const input = { projectId: project.id, name: 'Changed' };
    expect(await org.developers[0]!.client.fails(UPDATE, { input })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await other.admins[0]!.client.fails(UPDATE, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'projectId',
    });
    expect(await staff.client.fails(UPDATE, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'projectId',
    });
    expect(
      await org.admins[0]!.client.fails(UPDATE, { input: { projectId: project.id, name: '' } }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(
      await org.admins[0]!.client.fails(UPDATE, {
        input: { projectId: project.id, name: null },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const [stored] = await projectsIn(org.id);
    expect(stored?.name).toBe('Stable');
    expect((await auditEntriesFor(server, project.id)).map((e) => e.action)).toEqual([
      'project.create',
    ]);
  });
});

describe('deleteProject', () => {
  it('is refused while the project holds live apps, and allowed once they are deleted', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const admin = org.admins[0]!;
    const project = await createProject(admin.client, org.id);
    const app = await createApp(org.developers[0]!.client, org.id, { projectId: project.id });

    expect(await admin.client.fails(DELETE, { input: { projectId: project.id } })).toMatchObject({
      code: 'CONFLICT',
      field: 'projectId',
    });
    expect(await projectsIn(org.id)).toHaveLength(1);

    await admin.client.ok(
      `mutation ($input: DeleteAppInput!) { deleteApp(input: $input) { deletedAppId } }`,
      { input: { appId: app.id, reason: 'Retired' } },
    );
    const data = await admin.client.ok<{ deleteProject: { deletedProjectId: string } }>(DELETE, {
      input: { projectId: project.id },
    });
    expect(data.deleteProject.deletedProjectId).toBe(project.id);
    expect(await projectsIn(org.id)).toHaveLength(0);
    // The tombstone stays, now outside any project.
    const tombstone = await storedApp(server, app.id);
    expect(tombstone?.deletedAt).toBeInstanceOf(Date);
    expect(tombstone?.project).toBeNull();

    const audit = await auditEntriesFor(server, project.id);
    expect(audit.map((entry) => [entry.action, entry.actor?.id])).toEqual([
      ['project.create', admin.id],
      ['project.delete', admin.id],
    ]);
    expect(audit[1]!.data).toMatchObject({ name: project.name, detachedDeletedApps: 1 });
    expect(await admin.client.fails(PROJECT, { id: project.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses developers, outsiders and staff, deleting nothing', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const other = await orgWithMembers(server);
    const staff = await signUpUser(server, { staff: true });
    const project = await createProject(org.admins[0]!.client, org.id);
    const input = { projectId: project.id };
    expect(await org.developers[0]!.client.fails(DELETE, { input })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await other.admins[0]!.client.fails(DELETE, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'projectId',
    });
    expect(await staff.client.fails(DELETE, { input })).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await org.admins[0]!.client.fails(DELETE, { input: { projectId: 'prj_missing' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'projectId' });
    expect(await projectsIn(org.id)).toHaveLength(1);
  });
});
