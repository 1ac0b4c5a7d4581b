import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, orgWithMembers, storedApps } from '../../../test/app-builders.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { MemberRole } from '../orgs/orgs.entity.js';
import {
  answer,
  apply,
  ask,
  decide,
  newApplicant,
  newStaff,
} from '../../../test/application-builders.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const CREATE_APP = `mutation ($input: CreateAppInput!) {
  createApp(input: $input) { app { id name owner { id } } }
}`;

describe('creating apps before the developer account is approved', () => {
  it('refuses with FORBIDDEN and says why at each step, until approval', async () => {
    const org = await orgWithMembers(server);
    const staff = await newStaff(server);
    const user = await newApplicant(server);
    await addMember(server, org.id, user, MemberRole.DEVELOPER);
    const attempt = () =>
      user.client.fails(CREATE_APP, { input: { organizationId: org.id, name: 'Too Early' } });

    const never = await attempt();
    expect(never.code).toBe('FORBIDDEN');
    expect(never.message).toMatch(/^Apply for a developer account first/);

    const application = await apply(user);
    expect((await attempt()).message).toMatch(/application is under review/);
    await ask(staff, application.id);
    expect((await attempt()).message).toMatch(/asked a question .* answer it/);
    await answer(user, application.id);
    await decide(staff, application.id, 'REJECT', 'Not yet.');
    const rejected = await attempt();
    expect(rejected.code).toBe('FORBIDDEN');
    expect(rejected.message).toMatch(/was not approved: apply again/);
    expect(await storedApps(server, org.id)).toEqual([]);

    const second = await apply(user);
    await decide(staff, second.id, 'APPROVE');
    const created = await user.client.ok<{ createApp: { app: { owner: { id: string } } } }>(
      CREATE_APP,
      { input: { organizationId: org.id, name: 'On Time' } },
    );
    expect(created.createApp.app.owner.id).toBe(user.id);
  });

  it('exempts staff, who never apply', async () => {
    const org = await orgWithMembers(server);
    const staff = await newStaff(server);
    await addMember(server, org.id, staff, MemberRole.DEVELOPER);
    const created = await staff.client.ok<{ createApp: { app: { name: string } } }>(CREATE_APP, {
      input: { organizationId: org.id, name: 'Staff App' },
    });
    expect(created.createApp.app.name).toBe('Staff App');
  });

  it('lets the default test users (approved by the builder) create apps', async () => {
    const org = await orgWithMembers(server, { developers: 1 });
    const created = await org.developers[0]!.client.ok<{ createApp: { app: { id: string } } }>(
      CREATE_APP,
      { input: { organizationId: org.id, name: 'Approved App' } },
    );
    expect(created.createApp.app.id).toMatch(/^app_/);
  });
});
