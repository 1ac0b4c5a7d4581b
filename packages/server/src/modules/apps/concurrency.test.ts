import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { createApp, createProject, orgWithMembers } from '../../../test/app-builders.js';

const server = useTestServer();

const UPDATE_APP = `mutation ($input: UpdateAppInput!) { updateApp(input: $input) { app { id name } } }`;
const UPDATE_PROJECT = `mutation ($input: UpdateProjectInput!) {
  updateProject(input: $input) { project { id name } }
}`;

/** More concurrent mutations than the connection pool has connections (10). */
const CONCURRENT = 24;

describe('mutations that lock a row, run concurrently', () => {
  it('all finish when more run at once than the pool has connections (same app)', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const app = await createApp(admin.client, org.id, { name: 'Contended' });
    const results = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        admin.client.ok<{ updateApp: { app: { name: string } } }>(UPDATE_APP, {
          input: { appId: app.id, name: `Contended ${i}` },
        }),
      ),
    );
    const names = results.map((r) => r.updateApp.app.name);
    expect(new Set(names).size).toBe(CONCURRENT);
  });

  it('all finish when more run at once than the pool has connections (many projects)', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const projects = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        createProject(admin.client, org.id, { name: `Project ${i}` }),
      ),
    );
    const results = await Promise.all(
      projects.map((project, i) =>
        admin.client.ok<{ updateProject: { project: { id: string; name: string } } }>(
          UPDATE_PROJECT,
          { input: { projectId: project.id, name: `Renamed ${i}` } },
        ),
      ),
    );
    expect(results.map((r) => r.updateProject.project.name)).toEqual(
      projects.map((_, i) => `Renamed ${i}`),
    );
  });
});
