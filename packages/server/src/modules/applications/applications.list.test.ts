import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutboxSent, signUpUser } from '../../../test/builders.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import {
  APPLICATION_FIELDS,
  apply,
  ask,
  newApplicant,
  newStaff,
  type ApplicationFields,
} from '../../../test/application-builders.js';

// Its own file (and database): every application mails every staff member, so the fewer
// staff the faster; and the statement counts are not disturbed by other tests.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('developerApplications', () => {
  const LIST = `query ($status: ApplicationStatus, $first: Int, $after: String) {
    developerApplications(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${APPLICATION_FIELDS} user { id name developerApplication { id } canCreateApps } }
    }
  }`;

  interface ListData {
    developerApplications: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: (ApplicationFields & {
        user: { id: string; name: string; developerApplication: null; canCreateApps: null };
      })[];
    };
  }

  it('lists applications for staff, newest first, filtered by status, in fixed statements', async () => {
    const staff = await newStaff(server);
    const applicants = await Promise.all(
      Array.from({ length: 6 }, (_, i) => newApplicant(server, `Lister ${i}`)),
    );
    const applications: ApplicationFields[] = [];
    for (const applicant of applicants) applications.push(await apply(applicant));
    for (const application of applications.slice(0, 3)) await ask(staff, application.id);

    const questions = await staff.client.ok<ListData>(LIST, { status: 'QUESTION', first: 100 });
    const ids = questions.developerApplications.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(applications.slice(0, 3).map((a) => a.id)));
    expect(ids).not.toContain(applications[3]!.id);
    expect(questions.developerApplications.nodes.every((n) => n.status === 'QUESTION')).toBe(true);

    const page = await staff.client.ok<ListData>(LIST, { first: 2 });
    expect(page.developerApplications.nodes.map((n) => n.id)).toEqual([
      applications[5]!.id,
      applications[4]!.id,
    ]);
    expect(page.developerApplications.nodes[0]!.user).toEqual({
      id: applicants[5]!.id,
      name: 'Lister 5',
      developerApplication: null,
      canCreateApps: null,
    });
    const next = await staff.client.ok<ListData>(LIST, {
      first: 2,
      after: page.developerApplications.pageInfo.endCursor,
    });
    expect(next.developerApplications.nodes.map((n) => n.id)).toEqual([
      applications[3]!.id,
      applications[2]!.id,
    ]);

    // Users, messages and their authors are batched: the same statements for 1 and 6 rows
    // (counted once the mail to staff and applicants is out, so its delivery is not counted).
    await mailOutboxSent(server);
    const counts: number[] = [];
    for (const first of [1, 6]) {
      server.queries.length = 0;
      await staff.client.ok<ListData>(LIST, { first });
      counts.push(server.queries.length);
    }
    expect(counts[0]).toBe(counts[1]);
  });

  it('is for staff only', async () => {
    const developer = await signUpUser(server);
    expect(await developer.client.fails(LIST, {})).toMatchObject({ code: 'FORBIDDEN' });
  });
});
