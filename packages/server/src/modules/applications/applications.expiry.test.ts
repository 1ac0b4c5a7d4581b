import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, startTestServer, type TestServer } from '../../../test/harness.js';
import { DeveloperApplication } from './applications.entity.js';
import { CLOSED_REASON, closeStaleApplications } from './applications.expiry.js';
import {
  ANSWER,
  answer,
  apply,
  ask,
  auditOf,
  decide,
  eventsAbout,
  newApplicant,
  newStaff,
  notificationsOf,
} from '../../../test/application-builders.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const DAY = 86_400_000;
const daysAhead = (days: number) => new Date(Date.now() + days * DAY);

function closeAsOf(now: Date): Promise<string[]> {
  return closeStaleApplications(server.orm.em.fork(), now, server.app.services);
}

async function stored(id: string): Promise<DeveloperApplication> {
  return server.orm.em.fork().findOneOrFail(DeveloperApplication, { id });
}

describe('closeStaleApplications', () => {
  it('closes an application whose question is unanswered for 14 days, as the system', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server, 'Stan Still');
    const application = await apply(applicant);
    await ask(staff, application.id);

    expect(await closeAsOf(daysAhead(13))).not.toContain(application.id);
    expect((await stored(application.id)).status).toBe('QUESTION');

    const now = daysAhead(15);
    expect(await closeAsOf(now)).toContain(application.id);
    const closed = await stored(application.id);
    expect(closed).toMatchObject({ status: 'CLOSED', reason: CLOSED_REASON, decidedBy: null });
    expect(closed.decidedAt?.getTime()).toBe(now.getTime());

    const audit = await auditOf(server, application.id);
    expect(audit.at(-1)).toEqual([
      'application.close',
      null,
      {
        applicantId: applicant.id,
        questionAskedAt: closed.questionAskedAt?.toISOString(),
        reason: CLOSED_REASON,
      },
    ]);
    expect((await eventsAbout(server, application.id)).slice(-2)).toEqual([
      ['review_queue', 'application.decided', { status: 'CLOSED', decidedById: null }],
      [`user:${applicant.id}`, 'application.decided', { status: 'CLOSED', decidedById: null }],
    ]);
    const mail = await server.mail.waitFor(
      applicant.email,
      /^Your Portico developer account application was closed$/,
    );
    expect(mail.text).toContain('unanswered for 14 days');
    expect(linkIn(mail, '/developer-application').pathname).toBe('/developer-application');
    expect((await notificationsOf(server, applicant.id)).map((n) => n.kind)).toContain(
      'application.closed',
    );

    // Closed for good: the question can no longer be answered, a new application can be made.
    expect(
      await applicant.client.fails(ANSWER, {
        input: { applicationId: application.id, body: 'Sorry, I was away.' },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'applicationId' });
    expect((await apply(applicant)).status).toBe('PENDING');

    // Running again changes nothing more.
    expect(await closeAsOf(daysAhead(16))).not.toContain(application.id);
    expect((await auditOf(server, application.id)).length).toBe(audit.length);
  });

  it('leaves pending, answered and decided applications alone', async () => {
    const staff = await newStaff(server);
    const pending = await apply(await newApplicant(server));
    const answeredBy = await newApplicant(server);
    const answered = await apply(answeredBy);
    await ask(staff, answered.id);
    await answer(answeredBy, answered.id);
    const rejected = await apply(await newApplicant(server));
    await ask(staff, rejected.id);
    await decide(staff, rejected.id, 'REJECT', 'No.');

    const closed = await closeAsOf(daysAhead(30));
    for (const application of [pending, answered, rejected]) {
      expect(closed).not.toContain(application.id);
    }
    expect((await stored(pending.id)).status).toBe('PENDING');
    expect((await stored(answered.id)).status).toBe('PENDING');
    expect((await stored(rejected.id)).status).toBe('REJECTED');
  });
});
