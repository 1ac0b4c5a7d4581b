import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser } from '../../../test/builders.js';
import { linkIn, startTestServer, type TestServer } from '../../../test/harness.js';
import { DomainEvent } from '../../events/events.entity.js';
import { ApplicationMessage, DeveloperApplication } from './applications.entity.js';
import {
  ANSWER,
  APPLY,
  ASK,
  DECIDE,
  USE_CASE,
  VIEWER,
  answer,
  apply,
  ask,
  auditOf,
  decide,
  eventsAbout,
  newApplicant,
  newStaff,
  notificationsOf,
  storedApplicationsOf,
  type ApplicationFields,
} from '../../../test/application-builders.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface ViewerData {
  viewer: {
    id: string;
    canCreateApps: boolean | null;
    developerApplication: ApplicationFields | null;
  };
}

async function stateOf(server: TestServer, id: string) {
  const row = await server.orm.em.fork().findOneOrFail(DeveloperApplication, { id });
  const messages = await server.orm.em.fork().count(ApplicationMessage, { application: id });
  return { status: row.status, reason: row.reason, questionAskedAt: row.questionAskedAt, messages };
}

async function eventCount(): Promise<number> {
  return server.orm.em.fork().count(DomainEvent, {});
}

describe('applyForDeveloperAccount', () => {
  it('opens a PENDING application, audited, on the queue and the applicant stream', async () => {
    const applicant = await newApplicant(server, 'Ann Applicant');
    const before = await signUpUser(server, { approved: false });
    expect((await before.client.ok<ViewerData>(VIEWER)).viewer).toMatchObject({
      canCreateApps: false,
      developerApplication: null,
    });

    const application = await apply(applicant, {
      useCase: `  ${USE_CASE}  `,
      companyName: ' Parcel Pals ',
    });
    expect(application).toMatchObject({
      status: 'PENDING',
      useCase: USE_CASE,
      companyName: 'Parcel Pals',
      reason: null,
      decidedAt: null,
      questionAskedAt: null,
      autoCloseAt: null,
      user: { id: applicant.id },
      decidedBy: null,
      messages: [],
    });
    expect(application.id).toMatch(/^dap_/);

    const viewer = (await applicant.client.ok<ViewerData>(VIEWER)).viewer;
    expect(viewer.canCreateApps).toBe(false);
    expect(viewer.developerApplication?.id).toBe(application.id);

    expect(await auditOf(server, application.id)).toEqual([
      [
        'application.submit',
        applicant.id,
        { companyName: 'Parcel Pals', previousApplicationId: null },
      ],
    ]);
    expect(await eventsAbout(server, application.id)).toEqual([
      ['review_queue', 'application.submitted', { status: 'PENDING', applicantId: applicant.id }],
      [
        `user:${applicant.id}`,
        'application.submitted',
        { status: 'PENDING', applicantId: applicant.id },
      ],
    ]);
  });

  it('tells every staff member by email and in the app', async () => {
    const staff = await newStaff(server, 'Sam Staff');
    const otherStaff = await newStaff(server, 'Sue Staff');
    const applicant = await newApplicant(server, 'Bea Builder');
    const application = await apply(applicant);

    for (const member of [staff, otherStaff]) {
      const mail = await server.mail.waitFor(
        member.email,
        /^New developer account application from Bea Builder$/,
      );
      expect(mail.text).toContain(applicant.email);
      expect(linkIn(mail, '/staff/applications/').pathname).toBe(
        `/staff/applications/${application.id}`,
      );
      const notifications = await notificationsOf(server, member.id);
      expect(notifications.map((n) => [n.kind, n.title, n.link])).toContainEqual([
        'application.submitted',
        'New developer account application from Bea Builder',
        `/staff/applications/${application.id}`,
      ]);
      const created = notifications.find((n) => n.kind === 'application.submitted')!;
      expect(await eventsAbout(server, created.id)).toEqual([
        [`user:${member.id}`, 'notification.created', { kind: 'application.submitted' }],
      ]);
    }
    // The applicant is not told about their own submission.
    expect(await notificationsOf(server, applicant.id)).toEqual([]);
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const applicant = await newApplicant(server);
    const events = await eventCount();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ useCase: 'Too short to say anything.' }, 'useCase', /at least 50 characters/],
      [{ useCase: `${'x'.repeat(60)}` }, 'useCase', /at least 8 words/],
      [{ useCase: `${'word '.repeat(1001)}` }, 'useCase', /at most 5000 characters/],
      [{ useCase: `  ${'a '.repeat(20)}  ` }, 'useCase', /at least 50 characters/],
      [{ useCase: USE_CASE, companyName: 'c'.repeat(201) }, 'companyName', /at most 200/],
    ];
    for (const [input, field, message] of cases) {
      const error = await applicant.client.fails(APPLY, { input });
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(error.message).toMatch(message);
    }
    expect(await storedApplicationsOf(server, applicant.id)).toEqual([]);
    expect(await eventCount()).toBe(events);
  });

  it('allows one open application at a time; a new one after a rejection or closure', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server);
    const first = await apply(applicant);

    const open = await applicant.client.fails(APPLY, { input: { useCase: USE_CASE } });
    expect(open.code).toBe('CONFLICT');
    expect(open.message).toMatch(/already have an open developer account application/);
    await ask(staff, first.id);
    expect((await applicant.client.fails(APPLY, { input: { useCase: USE_CASE } })).code).toBe(
      'CONFLICT',
    );

    await decide(staff, first.id, 'REJECT', 'Tell us more about the texts.');
    const second = await apply(applicant, { companyName: null });
    expect(second).toMatchObject({ status: 'PENDING', companyName: null });
    expect((await auditOf(server, second.id))[0]?.[2]).toEqual({
      companyName: null,
      previousApplicationId: first.id,
    });
    const viewer = (await applicant.client.ok<ViewerData>(VIEWER)).viewer;
    expect(viewer.developerApplication?.id).toBe(second.id);

    await decide(staff, second.id, 'APPROVE');
    const approved = await applicant.client.fails(APPLY, { input: { useCase: USE_CASE } });
    expect(approved.code).toBe('CONFLICT');
    expect(approved.message).toMatch(/already approved/);
    expect((await storedApplicationsOf(server, applicant.id)).map((a) => a.status)).toEqual([
      'REJECTED',
      'APPROVED',
    ]);
  });

  it('settles concurrent applications: exactly one opens', async () => {
    const applicant = await newApplicant(server);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        applicant.client.execute(APPLY, { input: { useCase: USE_CASE } }),
      ),
    );
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
    expect(await storedApplicationsOf(server, applicant.id)).toHaveLength(1);
  });

  it('refuses staff (who need no application) and signed-out callers', async () => {
    const staff = await newStaff(server);
    expect(await staff.client.fails(APPLY, { input: { useCase: USE_CASE } })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await staff.client.ok<ViewerData>(VIEWER)).viewer.canCreateApps).toBe(true);
    expect(await server.client().fails(APPLY, { input: { useCase: USE_CASE } })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('askApplicationQuestion', () => {
  it('puts the application in QUESTION and mails the applicant the question', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server, 'Cy Coder');
    const application = await apply(applicant);
    const asked = await ask(staff, application.id, 'How many texts a day will you send?');
    expect(asked.status).toBe('QUESTION');
    expect(asked.questionAskedAt).not.toBeNull();
    const askedAt = new Date(asked.questionAskedAt!).getTime();
    expect(Math.abs(askedAt - Date.now())).toBeLessThan(60_000);
    expect(new Date(asked.autoCloseAt!).getTime()).toBe(askedAt + 14 * 86_400_000);
    expect(asked.messages).toMatchObject([
      { fromStaff: true, body: 'How many texts a day will you send?', author: { id: staff.id } },
    ]);

    // The applicant sees the thread but not which staff member wrote.
    const mine = (await applicant.client.ok<ViewerData>(VIEWER)).viewer.developerApplication!;
    expect(mine.messages).toMatchObject([{ fromStaff: true, author: null }]);

    const mail = await server.mail.waitFor(
      applicant.email,
      /^A question about your Portico developer account application$/,
    );
    expect(mail.text).toContain('Hi Cy Coder,');
    expect(mail.text).toContain('How many texts a day will you send?');
    expect(mail.text).toContain('14 days');
    expect(linkIn(mail, '/developer-application').href).toBe(
      'http://portico.test/developer-application',
    );
    const notifications = await notificationsOf(server, applicant.id);
    expect(notifications.map((n) => n.kind)).toEqual(['application.question']);

    const messageId = asked.messages[0]!.id;
    expect(messageId).toMatch(/^dam_/);
    expect(await auditOf(server, application.id)).toContainEqual([
      'application.question',
      staff.id,
      { messageId, applicantId: applicant.id },
    ]);
    const events = (await eventsAbout(server, application.id)).slice(2);
    expect(events).toEqual([
      ['review_queue', 'application.updated', { status: 'QUESTION', messageId }],
      [`user:${applicant.id}`, 'application.updated', { status: 'QUESTION', messageId }],
    ]);
  });

  it('is for staff only, on open applications, with a message', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server);
    const developer = await signUpUser(server);
    const application = await apply(applicant);
    const input = { applicationId: application.id, body: 'Why?' };

    expect(await developer.client.fails(ASK, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await applicant.client.fails(ASK, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await staff.client.fails(ASK, { input: { applicationId: 'dap_unknown', body: 'Why?' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'applicationId' });
    for (const body of ['', '   ', 'x'.repeat(5001)]) {
      expect(
        await staff.client.fails(ASK, { input: { applicationId: application.id, body } }),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'body' });
    }
    expect(await stateOf(server, application.id)).toMatchObject({
      status: 'PENDING',
      questionAskedAt: null,
      messages: 0,
    });

    await decide(staff, application.id, 'APPROVE');
    expect(await staff.client.fails(ASK, { input })).toMatchObject({
      code: 'CONFLICT',
      field: 'applicationId',
    });
  });
});

describe('answerApplicationQuestion', () => {
  it('puts the application back to PENDING and tells the staff member who asked', async () => {
    const staff = await newStaff(server, 'Quinn Questioner');
    const applicant = await newApplicant(server, 'Dee Dev');
    const application = await apply(applicant);
    await ask(staff, application.id);
    const answered = await answer(applicant, application.id, 'Only opted-in customers.');
    expect(answered).toMatchObject({ status: 'PENDING', questionAskedAt: null, autoCloseAt: null });
    expect(answered.messages.map((m) => [m.fromStaff, m.body, m.author?.id ?? null])).toEqual([
      [true, 'Which customers will you text, and how do they opt in?', null],
      [false, 'Only opted-in customers.', applicant.id],
    ]);

    const mail = await server.mail.waitFor(staff.email, /^Dee Dev answered your question$/);
    expect(linkIn(mail, '/staff/applications/').pathname).toBe(
      `/staff/applications/${application.id}`,
    );
    const messageId = answered.messages[1]!.id;
    expect(await auditOf(server, application.id)).toContainEqual([
      'application.answer',
      applicant.id,
      { messageId },
    ]);
    expect((await eventsAbout(server, application.id)).slice(-2)).toEqual([
      ['review_queue', 'application.updated', { status: 'PENDING', messageId }],
      [`user:${applicant.id}`, 'application.updated', { status: 'PENDING', messageId }],
    ]);

    // Staff may ask again, and the applicant answers again.
    await ask(staff, application.id, 'And how often?');
    expect((await answer(applicant, application.id, 'Once a day.')).messages).toHaveLength(4);
  });

  it('is for the applicant only, while a question is open', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server);
    const stranger = await signUpUser(server);
    const application = await apply(applicant);
    const input = { applicationId: application.id, body: 'An answer.' };

    expect(await applicant.client.fails(ANSWER, { input })).toMatchObject({
      code: 'CONFLICT',
      field: 'applicationId',
    });
    await ask(staff, application.id);
    expect(await stranger.client.fails(ANSWER, { input })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'applicationId',
    });
    expect(await staff.client.fails(ANSWER, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await applicant.client.fails(ANSWER, { input: { ...input, body: ' ' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'body',
    });
    expect(await stateOf(server, application.id)).toMatchObject({
      status: 'QUESTION',
      messages: 1,
    });
  });
});

describe('decideApplication', () => {
  it('approves: the applicant may create apps and is told by email', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server, 'Eve Engineer');
    const application = await apply(applicant);
    await ask(staff, application.id);
    const approved = await decide(staff, application.id, 'APPROVE', 'Welcome aboard.');
    expect(approved).toMatchObject({
      status: 'APPROVED',
      reason: 'Welcome aboard.',
      questionAskedAt: null,
      decidedBy: { id: staff.id },
    });
    expect(approved.decidedAt).not.toBeNull();

    const viewer = (await applicant.client.ok<ViewerData>(VIEWER)).viewer;
    expect(viewer.canCreateApps).toBe(true);
    // The applicant sees the decision but not who made it.
    expect(viewer.developerApplication).toMatchObject({ status: 'APPROVED', decidedBy: null });

    const mail = await server.mail.waitFor(
      applicant.email,
      /^Your Portico developer account is approved$/,
    );
    expect(mail.text).toContain('you can now create apps');
    expect(mail.text).toContain('Welcome aboard.');
    expect(await auditOf(server, application.id)).toContainEqual([
      'application.approve',
      staff.id,
      { applicantId: applicant.id, reason: 'Welcome aboard.' },
    ]);
    expect((await eventsAbout(server, application.id)).slice(-2)).toEqual([
      ['review_queue', 'application.decided', { status: 'APPROVED', decidedById: staff.id }],
      [
        `user:${applicant.id}`,
        'application.decided',
        { status: 'APPROVED', decidedById: staff.id },
      ],
    ]);
  });

  it('rejects with a reason, which the applicant is mailed', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server);
    const application = await apply(applicant);

    for (const reason of [null, '   ']) {
      expect(
        await staff.client.fails(DECIDE, {
          input: { applicationId: application.id, decision: 'REJECT', reason },
        }),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    }
    expect(
      await staff.client.fails(DECIDE, {
        input: { applicationId: application.id, decision: 'APPROVE', reason: 'r'.repeat(2001) },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await stateOf(server, application.id)).toMatchObject({
      status: 'PENDING',
      reason: null,
    });

    const rejected = await decide(staff, application.id, 'REJECT', 'Texting is not offered.');
    expect(rejected).toMatchObject({ status: 'REJECTED', reason: 'Texting is not offered.' });
    const mail = await server.mail.waitFor(
      applicant.email,
      /^Your Portico developer account application was not approved$/,
    );
    expect(mail.text).toContain('Texting is not offered.');
    expect(mail.text).toContain('apply again');
    expect((await applicant.client.ok<ViewerData>(VIEWER)).viewer.canCreateApps).toBe(false);
    expect(await auditOf(server, application.id)).toContainEqual([
      'application.reject',
      staff.id,
      { applicantId: applicant.id, reason: 'Texting is not offered.' },
    ]);
  });

  it('is for staff only, once', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server);
    const application = await apply(applicant);
    const input = { applicationId: application.id, decision: 'APPROVE' };

    expect(await applicant.client.fails(DECIDE, { input })).toMatchObject({ code: 'FORBIDDEN' });
    const developer = await signUpUser(server);
    expect(await developer.client.fails(DECIDE, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await staff.client.fails(DECIDE, { input: { ...input, applicationId: 'dap_nope' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'applicationId' });
    expect(
      await staff.client.fails(DECIDE, { input: { ...input, decision: 'MAYBE' } }),
    ).toMatchObject({ code: 'BAD_USER_INPUT' });

    await decide(staff, application.id, 'REJECT', 'No.');
    const again = await staff.client.fails(DECIDE, { input });
    expect(again).toMatchObject({ code: 'CONFLICT', field: 'applicationId' });
    expect(again.message).toMatch(/already rejected/);
    expect(await stateOf(server, application.id)).toMatchObject({ status: 'REJECTED' });
  });
});

describe('node(id:)', () => {
  const NODE = `query ($id: ID!) {
    node(id: $id) {
      __typename id
      ... on DeveloperApplication { status }
      ... on ApplicationMessage { body fromStaff }
    }
  }`;

  it('finds applications and messages for the applicant and staff only', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server);
    const stranger = await signUpUser(server);
    const application = await apply(applicant);
    const messageId = (await ask(staff, application.id, 'Hello?')).messages[0]!.id;

    for (const viewer of [applicant, staff]) {
      expect(
        (await viewer.client.ok<{ node: unknown }>(NODE, { id: application.id })).node,
      ).toEqual({ __typename: 'DeveloperApplication', id: application.id, status: 'QUESTION' });
      expect((await viewer.client.ok<{ node: unknown }>(NODE, { id: messageId })).node).toEqual({
        __typename: 'ApplicationMessage',
        id: messageId,
        body: 'Hello?',
        fromStaff: true,
      });
    }
    for (const id of [application.id, messageId]) {
      expect((await stranger.client.ok<{ node: unknown }>(NODE, { id })).node).toBeNull();
    }
  });
});
