import { describe, expect, it } from 'vitest';
import { useTestServer, type TestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import {
  APP_FIELDS,
  auditEntriesFor,
  createApp,
  createProject,
  orgWithMembers,
  storedApp,
  storedApps,
  type AppFields,
} from '../../../test/app-builders.js';
import { User } from '../accounts/accounts.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { App } from './apps.entity.js';

const server = useTestServer();

const CREATE = `mutation ($input: CreateAppInput!) { createApp(input: $input) { app { ${APP_FIELDS} } } }`;
const UPDATE = `mutation ($input: UpdateAppInput!) { updateApp(input: $input) { app { ${APP_FIELDS} } } }`;
const DELETE = `mutation ($input: DeleteAppInput!) { deleteApp(input: $input) { deletedAppId } }`;
const APP = `query ($id: ID!) { app(id: $id) { ${APP_FIELDS} } }`;
/** The organization's lists, reached through one of its apps. */
const LISTS = `query ($id: ID!) {
  app(id: $id) {
    organization {
      apps { id }
      standaloneApps { id }
      projects { id apps { id } }
    }
  }
}`;

interface Lists {
  apps: string[];
  standaloneApps: string[];
  projects: Record<string, string[]>;
}

async function listsVia(
  client: TestServer['client'] extends () => infer C ? C : never,
  appId: string,
): Promise<Lists> {
  const data = await client.ok<{
    app: {
      organization: {
        apps: { id: string }[];
        standaloneApps: { id: string }[];
        projects: { id: string; apps: { id: string }[] }[];
      };
    };
  }>(LISTS, { id: appId });
  const org = data.app.organization;
  return {
    apps: org.apps.map((a) => a.id),
    standaloneApps: org.standaloneApps.map((a) => a.id),
    projects: Object.fromEntries(org.projects.map((p) => [p.id, p.apps.map((a) => a.id)])),
  };
}

const FULL_INPUT = {
  name: 'Weather Bot',
  description: 'Posts the weather',
  websiteUrl: 'https://weather.example.com',
  callbackUrls: [
    'https://weather.example.com/cb',
    'http://localhost:3000/cb',
    'http://127.0.0.1/cb',
  ],
  termsOfServiceUrl: 'https://weather.example.com/tos',
  privacyPolicyUrl: 'https://weather.example.com/privacy',
  organizationName: 'Weather Inc',
  organizationUrl: 'https://weather.example.com',
  useCase: 'Daily forecasts',
  iconUrl: 'https://weather.example.com/icon.png',
  permissionLevel: 'READ_WRITE',
  threeLeggedOAuth: true,
  requestEmail: true,
  attributes: [
    { key: 'team', value: 'forecast' },
    { key: 'cost.center-1_a', value: '' },
  ],
};

describe('createApp', () => {
  it('lets any member create an app they own, ACTIVE, audited', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const developer = org.developers[0]!;
    const project = await createProject(org.admins[0]!.client, org.id);
    const app = await createApp(developer.client, org.id, { ...FULL_INPUT, projectId: project.id });
    expect(app).toMatchObject({
      ...FULL_INPUT,
      status: 'ACTIVE',
      statusReason: null,
      viewerCanManage: true,
      owner: { id: developer.id },
      project: { id: project.id },
      organization: { id: org.id },
    });
    expect(app.id).toMatch(/^app_/);
    const audit = await auditEntriesFor(server, app.id);
    expect(audit.map((entry) => [entry.action, entry.actor?.id, entry.organization?.id])).toEqual([
      ['app.create', developer.id, org.id],
    ]);
    expect(audit[0]!.data).toEqual({ name: 'Weather Bot', projectId: project.id });
  });

  it('fills defaults for a minimal standalone app', async () => {
    const org = await orgWithMembers(server);
    const app = await createApp(org.admins[0]!.client, org.id, { name: 'Minimal' });
    expect(app).toMatchObject({
      name: 'Minimal',
      description: '',
      websiteUrl: null,
      callbackUrls: [],
      permissionLevel: 'READ',
      threeLeggedOAuth: false,
      requestEmail: false,
      attributes: [],
      project: null,
    });
    expect(await listsVia(org.admins[0]!.client, app.id)).toEqual({
      apps: [app.id],
      standaloneApps: [app.id],
      projects: {},
    });
  });

  it('refuses outsiders, staff and the signed out (NOT_FOUND / UNAUTHENTICATED), creating nothing', async () => {
    const org = await orgWithMembers(server);
    const other = await orgWithMembers(server);
    const staff = await signUpUser(server, { staff: true });
    const input = { organizationId: org.id, name: 'Sneaky' };
    expect(await other.admins[0]!.client.fails(CREATE, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'organizationId',
    });
    expect(await staff.client.fails(CREATE, { input })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await server.client().fails(CREATE, { input })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await storedApps(server, org.id)).toHaveLength(0);
  });

  it('refuses a project of another organization', async () => {
    const org = await orgWithMembers(server);
    const other = await orgWithMembers(server);
    const foreign = await createProject(other.admins[0]!.client, other.id);
    expect(
      await org.admins[0]!.client.fails(CREATE, {
        input: { organizationId: org.id, name: 'Cross', projectId: foreign.id },
      }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'projectId' });
    expect(await storedApps(server, org.id)).toHaveLength(0);
  });

  const tooManyAttributes = Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
  it.each<[string, Record<string, unknown>]>([
    ['name', { name: '' }],
    ['name', { name: '  ' }],
    ['name', { name: 'x'.repeat(51) }],
    ['description', { description: 'x'.repeat(2001) }],
    ['websiteUrl', { websiteUrl: 'ftp://example.com' }],
    ['websiteUrl', { websiteUrl: 'not a url' }],
    ['iconUrl', { iconUrl: 'javascript:alert(1)' }],
    ['organizationUrl', { organizationUrl: 'example.com' }],
    ['callbackUrls.0', { callbackUrls: ['http://example.com/cb'] }],
    [
      'callbackUrls.1',
      { callbackUrls: ['https://ok.example.com', 'http://localhost.evil.com/cb'] },
    ],
    ['callbackUrls.0', { callbackUrls: ['https://example.com/cb#frag'] }],
    ['callbackUrls.0', { callbackUrls: ['myapp://callback'] }],
    ['callbackUrls.1', { callbackUrls: ['https://a.example.com', 'https://a.example.com'] }],
    ['callbackUrls', { callbackUrls: Array.from({ length: 11 }, (_, i) => `https://e.com/${i}`) }],
    ['requestEmail', { requestEmail: true }],
    ['requestEmail', { requestEmail: true, termsOfServiceUrl: 'https://e.com/tos' }],
    ['requestEmail', { requestEmail: true, privacyPolicyUrl: 'https://e.com/privacy' }],
    ['attributes', { attributes: tooManyAttributes }],
    ['attributes.0.key', { attributes: [{ key: '', value: 'v' }] }],
    ['attributes.0.key', { attributes: [{ key: 'has space', value: 'v' }] }],
    ['attributes.0.key', { attributes: [{ key: 'k'.repeat(65), value: 'v' }] }],
    [
      'attributes.1.key',
      {
        attributes: [
          { key: 'dup', value: '1' },
          { key: 'dup', value: '2' },
        ],
      },
    ],
    ['attributes.0.value', { attributes: [{ key: 'big', value: 'v'.repeat(1025) }] }],
  ])('refuses bad input naming %s, creating nothing', async (field, fields) => {
    const org = await orgWithMembers(server);
    const error = await org.admins[0]!.client.fails(CREATE, {
      input: { organizationId: org.id, name: 'Valid name', ...fields },
    });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await storedApps(server, org.id)).toHaveLength(0);
  });

  it('keeps names unique among live apps, ignoring case; a deleted app frees its name', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const other = await orgWithMembers(server);
    const first = await createApp(org.admins[0]!.client, org.id, { name: 'Shared Name' });
    expect(
      await org.developers[0]!.client.fails(CREATE, {
        input: { organizationId: org.id, name: '  shared NAME ' },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'name' });
    // Another organization may use the name.
    await createApp(other.admins[0]!.client, other.id, { name: 'Shared Name' });

    await org.admins[0]!.client.ok(DELETE, { input: { appId: first.id, reason: 'Renaming' } });
    const again = await createApp(org.developers[0]!.client, org.id, { name: 'shared name' });
    expect(again.name).toBe('shared name');
    expect((await storedApps(server, org.id)).map((a) => a.name).sort()).toEqual([
      'Shared Name',
      'shared name',
    ]);
  });

  it('answers CONFLICT on name when two creates race', async () => {
    const org = await orgWithMembers(server);
    const client = org.admins[0]!.client;
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        client.execute(CREATE, { input: { organizationId: org.id, name: 'Racer' } }),
      ),
    );
    const errors = results.flatMap((r) => r.errors ?? []);
    expect(results.filter((r) => r.data?.createApp).length).toBe(1);
    expect(errors).toHaveLength(3);
    for (const error of errors) {
      expect(error.extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    }
  });
  it('maps the live-name unique index to CONFLICT on name when the check cannot see the clash', async () => {
    const org = await orgWithMembers(server);
    // Another transaction holds an uncommitted app with the name: the service's check
    // cannot see it, the insert waits on the unique index and fails once it commits.
    const em = server.orm.em.fork();
    await em.begin();
    em.persist(
      new App(
        em.getReference(Organization, org.id, { wrapped: true }),
        null,
        em.getReference(User, org.admins[0]!.id, { wrapped: true }),
        'Held Name',
      ),
    );
    await em.flush();
    const pending = org.admins[0]!.client.execute(CREATE, {
      input: { organizationId: org.id, name: 'held name' },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await em.commit();
    const result = await pending;
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    expect((await storedApps(server, org.id)).map((a) => a.name)).toEqual(['Held Name']);
  });
});

describe('app(id) and the organization lists', () => {
  it('shows every app to every member and staff, and nothing to outsiders', async () => {
    const org = await orgWithMembers(server, { developers: 2 });
    const other = await orgWithMembers(server);
    const staff = await signUpUser(server, { staff: true });
    const [admin, dev1, dev2] = [org.admins[0]!, org.developers[0]!, org.developers[1]!];
    const project = await createProject(admin.client, org.id);
    const adminApp = await createApp(admin.client, org.id, { projectId: project.id });
    const devApp = await createApp(dev1.client, org.id);

    const canManage = async (viewer: typeof admin, id: string) =>
      (await viewer.client.ok<{ app: AppFields }>(APP, { id })).app.viewerCanManage;
    expect(await canManage(admin, devApp.id)).toBe(true);
    expect(await canManage(dev1, devApp.id)).toBe(true);
    expect(await canManage(dev1, adminApp.id)).toBe(false);
    expect(await canManage(dev2, devApp.id)).toBe(false);
    expect(await canManage(staff, devApp.id)).toBe(false);

    const expected = {
      apps: [adminApp.id, devApp.id],
      standaloneApps: [devApp.id],
      projects: { [project.id]: [adminApp.id] },
    };
    for (const viewer of [admin, dev1, dev2, staff]) {
      expect(await listsVia(viewer.client, devApp.id)).toEqual(expected);
    }

    const outsider = other.admins[0]!.client;
    expect(await outsider.fails(APP, { id: devApp.id })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'id',
    });
    expect(await outsider.fails(APP, { id: 'app_unknown' })).toMatchObject({ code: 'NOT_FOUND' });
    const NODE = `query ($id: ID!) { node(id: $id) { id ... on App { name } } }`;
    expect((await outsider.ok<{ node: unknown }>(NODE, { id: devApp.id })).node).toBeNull();
    expect((await dev2.client.ok<{ node: unknown }>(NODE, { id: devApp.id })).node).toEqual({
      id: devApp.id,
      name: devApp.name,
    });
  });
});

describe('updateApp', () => {
  it('lets the owner change the fields left in, audited with the changes', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const owner = org.developers[0]!;
    const app = await createApp(owner.client, org.id, { ...FULL_INPUT, name: 'Before' });
    const data = await owner.client.ok<{ updateApp: { app: AppFields } }>(UPDATE, {
      input: {
        appId: app.id,
        name: 'After',
        websiteUrl: null,
        callbackUrls: ['https://new.example.com/cb'],
        permissionLevel: 'READ_WRITE_DM',
        attributes: [{ key: 'only', value: 'one' }],
      },
    });
    expect(data.updateApp.app).toMatchObject({
      ...FULL_INPUT,
      name: 'After',
      websiteUrl: null,
      callbackUrls: ['https://new.example.com/cb'],
      permissionLevel: 'READ_WRITE_DM',
      attributes: [{ key: 'only', value: 'one' }],
      owner: { id: owner.id },
    });
    const audit = await auditEntriesFor(server, app.id);
    expect(audit.map((entry) => [entry.action, entry.actor?.id])).toEqual([
      ['app.create', owner.id],
      ['app.update', owner.id],
    ]);
    expect(audit[1]!.data).toEqual({
      name: 'After',
      changes: {
        name: { from: 'Before', to: 'After' },
        websiteUrl: { from: FULL_INPUT.websiteUrl, to: null },
        callbackUrls: { from: FULL_INPUT.callbackUrls, to: ['https://new.example.com/cb'] },
        permissionLevel: { from: 'READ_WRITE', to: 'READ_WRITE_DM' },
        attributes: true,
      },
    });
    // A change of case only is allowed; an update changing nothing is not audited.
    await owner.client.ok(UPDATE, { input: { appId: app.id, name: 'AFTER' } });
    await owner.client.ok(UPDATE, { input: { appId: app.id, name: 'AFTER' } });
    expect((await auditEntriesFor(server, app.id)).map((e) => e.action)).toEqual([
      'app.create',
      'app.update',
      'app.update',
    ]);
  });

  it('lets an admin manage any app; refuses other developers, outsiders and staff', async () => {
    const org = await orgWithMembers(server, { developers: 2 });
    const other = await orgWithMembers(server);
    const staff = await signUpUser(server, { staff: true });
    const app = await createApp(org.developers[0]!.client, org.id, { name: 'Owned' });

    const byAdmin = await org.admins[0]!.client.ok<{ updateApp: { app: AppFields } }>(UPDATE, {
      input: { appId: app.id, description: 'Edited by admin' },
    });
    expect(byAdmin.updateApp.app).toMatchObject({
      description: 'Edited by admin',
      owner: { id: org.developers[0]!.id },
    });

    const input = { appId: app.id, name: 'Hijacked' };
    expect(await org.developers[1]!.client.fails(UPDATE, { input })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await staff.client.fails(UPDATE, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await other.admins[0]!.client.fails(UPDATE, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'appId',
    });
    expect((await storedApp(server, app.id))?.name).toBe('Owned');
  });

  it('moves an app between projects and out of them', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const other = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const [alpha, beta] = [
      await createProject(admin.client, org.id, { name: 'Alpha' }),
      await createProject(admin.client, org.id, { name: 'Beta' }),
    ];
    const foreign = await createProject(other.admins[0]!.client, other.id);
    const owner = org.developers[0]!;
    const app = await createApp(owner.client, org.id, { projectId: alpha.id });
    const move = (projectId: string | null) =>
      owner.client.ok<{ updateApp: { app: AppFields } }>(UPDATE, {
        input: { appId: app.id, projectId },
      });

    expect((await move(beta.id)).updateApp.app.project).toEqual({ id: beta.id });
    expect(await listsVia(owner.client, app.id)).toMatchObject({
      standaloneApps: [],
      projects: { [alpha.id]: [], [beta.id]: [app.id] },
    });
    // Leaving projectId out keeps the project.
    await owner.client.ok(UPDATE, { input: { appId: app.id, description: 'x' } });
    expect((await storedApp(server, app.id))?.project?.id).toBe(beta.id);

    expect((await move(null)).updateApp.app.project).toBeNull();
    expect(await listsVia(owner.client, app.id)).toMatchObject({
      standaloneApps: [app.id],
      projects: { [alpha.id]: [], [beta.id]: [] },
    });

    expect(
      await owner.client.fails(UPDATE, { input: { appId: app.id, projectId: foreign.id } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'projectId' });
    expect((await storedApp(server, app.id))?.project).toBeNull();

    const moves = (await auditEntriesFor(server, app.id))
      .filter(
        (entry) => entry.action === 'app.update' && 'projectId' in (entry.data.changes as object),
      )
      .map((entry) => (entry.data.changes as { projectId: unknown }).projectId);
    expect(moves).toEqual([
      { from: alpha.id, to: beta.id },
      { from: beta.id, to: null },
    ]);
  });

  it('refuses a result that would request email without ToS and privacy URLs', async () => {
    const org = await orgWithMembers(server);
    const client = org.admins[0]!.client;
    const app = await createApp(client, org.id, FULL_INPUT);
    for (const input of [{ privacyPolicyUrl: null }, { termsOfServiceUrl: '' }]) {
      expect(await client.fails(UPDATE, { input: { appId: app.id, ...input } })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'requestEmail',
      });
    }
    const stored = await storedApp(server, app.id);
    expect(stored).toMatchObject({
      requestEmail: true,
      termsOfServiceUrl: FULL_INPUT.termsOfServiceUrl,
      privacyPolicyUrl: FULL_INPUT.privacyPolicyUrl,
    });
    // Turning the request off and clearing the URL together is fine.
    const data = await client.ok<{ updateApp: { app: AppFields } }>(UPDATE, {
      input: { appId: app.id, requestEmail: false, privacyPolicyUrl: null },
    });
    expect(data.updateApp.app).toMatchObject({ requestEmail: false, privacyPolicyUrl: null });

    const plain = await createApp(client, org.id);
    expect(
      await client.fails(UPDATE, { input: { appId: plain.id, requestEmail: true } }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'requestEmail' });
  });

  it('refuses bad input and a taken name, changing nothing', async () => {
    const org = await orgWithMembers(server);
    const client = org.admins[0]!.client;
    await createApp(client, org.id, { name: 'Taken' });
    const app = await createApp(client, org.id, { name: 'Mine', callbackUrls: ['https://a.com'] });
    const cases: [string, string, Record<string, unknown>][] = [
      ['CONFLICT', 'name', { name: 'TAKEN' }],
      ['BAD_USER_INPUT', 'name', { name: '' }],
      ['BAD_USER_INPUT', 'name', { name: null }],
      ['BAD_USER_INPUT', 'permissionLevel', { permissionLevel: null }],
      ['BAD_USER_INPUT', 'threeLeggedOAuth', { threeLeggedOAuth: null }],
      ['BAD_USER_INPUT', 'callbackUrls.0', { callbackUrls: ['http://example.org'] }],
      ['BAD_USER_INPUT', 'attributes.0.key', { attributes: [{ key: 'a b', value: '' }] }],
      // A valid change alongside a bad one is not applied either.
      ['BAD_USER_INPUT', 'websiteUrl', { description: 'changed', websiteUrl: 'nope' }],
    ];
    for (const [code, field, input] of cases) {
      expect(await client.fails(UPDATE, { input: { appId: app.id, ...input } })).toMatchObject({
        code,
        field,
      });
    }
    expect(await storedApp(server, app.id)).toMatchObject({
      name: 'Mine',
      description: '',
      callbackUrls: ['https://a.com'],
      permissionLevel: 'READ',
      websiteUrl: null,
    });
    expect((await auditEntriesFor(server, app.id)).map((e) => e.action)).toEqual(['app.create']);
  });
});

describe('deleteApp', () => {
  it('keeps a tombstone with who and why, hidden everywhere, audited', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const owner = org.developers[0]!;
    const project = await createProject(org.admins[0]!.client, org.id);
    const keep = await createApp(owner.client, org.id);
    const app = await createApp(owner.client, org.id, { projectId: project.id });

    const data = await owner.client.ok<{ deleteApp: { deletedAppId: string } }>(DELETE, {
      input: { appId: app.id, reason: '  No longer needed  ' },
    });
    expect(data.deleteApp.deletedAppId).toBe(app.id);

    const stored = await storedApp(server, app.id);
    expect(stored?.deletedAt).toBeInstanceOf(Date);
    expect(stored?.deletedBy?.id).toBe(owner.id);
    expect(stored?.deleteReason).toBe('No longer needed');

    expect(await owner.client.fails(APP, { id: app.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await listsVia(owner.client, keep.id)).toEqual({
      apps: [keep.id],
      standaloneApps: [keep.id],
      projects: { [project.id]: [] },
    });
    const NODE = `query ($id: ID!) { node(id: $id) { id } }`;
    expect((await owner.client.ok<{ node: unknown }>(NODE, { id: app.id })).node).toBeNull();

    const audit = await auditEntriesFor(server, app.id);
    expect(audit.map((entry) => [entry.action, entry.actor?.id])).toEqual([
      ['app.create', owner.id],
      ['app.delete', owner.id],
    ]);
    expect(audit[1]!.data).toEqual({
      name: app.name,
      reason: 'No longer needed',
      ownerId: owner.id,
      projectId: project.id,
    });

    // A tombstone can be neither changed nor deleted again.
    expect(
      await owner.client.fails(UPDATE, { input: { appId: app.id, name: 'Zombie' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'appId' });
    expect(
      await owner.client.fails(DELETE, { input: { appId: app.id, reason: 'again' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'appId' });
  });

  it('lets an admin delete any app; refuses others; a reason is required', async () => {
    const org = await orgWithMembers(server, { developers: 2 });
    const other = await orgWithMembers(server);
    const staff = await signUpUser(server, { staff: true });
    const app = await createApp(org.developers[0]!.client, org.id);
    const input = { appId: app.id, reason: 'Because' };

    expect(await org.developers[1]!.client.fails(DELETE, { input })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await staff.client.fails(DELETE, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await other.admins[0]!.client.fails(DELETE, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'appId',
    });
    expect(
      await org.admins[0]!.client.fails(DELETE, { input: { appId: app.id, reason: '   ' } }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await storedApp(server, app.id))?.deletedAt).toBeNull();

    await org.admins[0]!.client.ok(DELETE, { input });
    const audit = await auditEntriesFor(server, app.id);
    expect(audit.at(-1)).toMatchObject({ action: 'app.delete', data: { reason: 'Because' } });
    expect(audit.at(-1)?.actor?.id).toBe(org.admins[0]!.id);
  });
});
