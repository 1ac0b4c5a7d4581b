import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { DeveloperApplication } from '../modules/applications/applications.entity.js';
import { apply, ask, auditOf, newApplicant, newStaff } from '../../test/application-builders.js';
import { signUpUser, uniqueEmail } from '../../test/builders.js';
import { fineGrainedToken } from '../../test/token-builders.js';
import { MailMessage, MailStatus } from '../modules/mail/mail.entity.js';
import { createOrgWithAdmin } from '../../test/org-builders.js';
import { createEndpoint, WebhookReceiver } from '../../test/webhook-builders.js';
import { WebhookDelivery, WebhookEndpoint } from '../modules/webhooks/webhooks.entity.js';
import { JOB_QUEUES, startJobs, stopJobs, type JobRunner } from './jobs.js';

let server: TestServer;
let jobs: JobRunner;
beforeAll(async () => {
  server = await startTestServer();
  jobs = await startJobs(
    server.app.services,
    server.app.mailDelivery,
    { pollingIntervalSeconds: 0.5 },
    server.app.webhookDeliveries,
  );
});
afterAll(async () => {
  await stopJobs();
  await server.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('jobs (pg-boss)', () => {
  it('schedules closing stale applications in its own schema', async () => {
    const schedules = await jobs.boss.getSchedules();
    expect(schedules).toContainEqual(
      expect.objectContaining({ name: JOB_QUEUES.closeStaleApplications, cron: '0 * * * *' }),
    );
    expect(schedules).toContainEqual(
      expect.objectContaining({ name: JOB_QUEUES.credentialExpiryReminders, cron: '0 * * * *' }),
    );
    const [row] = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ present: boolean }[]>(
        `select exists (select 1 from information_schema.schemata where schema_name = 'pgboss') as present`,
      );
    expect(row?.present).toBe(true);
  });

  it('runs a close-stale-applications job through its worker', async () => {
    const staff = await newStaff(server);
    const applicant = await newApplicant(server);
    const application = await apply(applicant);
    await ask(staff, application.id);
    // The question was asked 15 days ago.
    await server.orm.em
      .fork()
      .nativeUpdate(
        DeveloperApplication,
        { id: application.id },
        { questionAskedAt: new Date(Date.now() - 15 * 86_400_000) },
      );

    const queue = JOB_QUEUES.closeStaleApplications;
    const jobId = await jobs.boss.send(queue, {});
    expect(jobId).toEqual(expect.any(String));
    const job = await until(
      () => jobs.boss.getJobById<object>(queue, jobId!),
      (found) => found?.state === 'completed',
    );
    expect(job).toMatchObject({ state: 'completed', output: { closed: 1 } });

    const stored = await server.orm.em
      .fork()
      .findOneOrFail(DeveloperApplication, { id: application.id });
    expect(stored.status).toBe('CLOSED');
    expect((await auditOf(server, application.id)).at(-1)?.slice(0, 2)).toEqual([
      'application.close',
      null,
    ]);
    await server.mail.waitFor(
      applicant.email,
      /^Your Portico developer account application was closed$/,
    );
  });

  it('runs a credential-expiry-reminders job through its worker', async () => {
    const user = await signUpUser(server);
    const tokenId = (
      await fineGrainedToken(user, {
        name: 'nightly',
        permissions: { ACCOUNT: 'READ' },
        expiresInDays: 1,
      })
    ).id;
    await server.orm.em
      .fork()
      .getConnection()
      .execute(
        `update personal_access_token set expires_at = now() + interval '3 hours' where id = ?`,
        [tokenId],
      );

    const queue = JOB_QUEUES.credentialExpiryReminders;
    const jobId = await jobs.boss.send(queue, {});
    expect(jobId).toEqual(expect.any(String));
    const job = await until(
      () => jobs.boss.getJobById<object>(queue, jobId!),
      (found) => found?.state === 'completed',
    );
    expect(job).toMatchObject({ state: 'completed', output: { personalAccessTokens: 1 } });
    await server.mail.waitFor(user.email, /^Your personal access token nightly stops working/);
  });

  it('runs a deliver-mail job every minute, which sends the mail that is due', async () => {
    const schedules = await jobs.boss.getSchedules();
    expect(schedules).toContainEqual(
      expect.objectContaining({ name: JOB_QUEUES.deliverMail, cron: '* * * * *' }),
    );
    // A due mail nobody was woken for (written without enqueueMail's NOTIFY).
    const to = uniqueEmail('swept');
    await server.orm.em
      .fork()
      .persist(new MailMessage(to, 'Swept up', 'Hi.\n', MailStatus.PENDING))
      .flush();

    const queue = JOB_QUEUES.deliverMail;
    const jobId = await jobs.boss.send(queue, {});
    const job = await until(
      () => jobs.boss.getJobById<object>(queue, jobId!),
      (found) => found?.state === 'completed',
    );
    expect(job).toMatchObject({ state: 'completed', output: { retrying: 0, failed: 0 } });
    await server.mail.waitFor(to, /^Swept up$/);
    const [row] = await server.orm.em.fork().find(MailMessage, { to });
    expect(row).toMatchObject({ status: MailStatus.SENT, attempts: 1 });
  });

  it('runs a deliver-webhooks job every minute, which sends the deliveries that are due', async () => {
    const schedules = await jobs.boss.getSchedules();
    expect(schedules).toContainEqual(
      expect.objectContaining({ name: JOB_QUEUES.deliverWebhooks, cron: '* * * * *' }),
    );
    const receiver = new WebhookReceiver();
    await receiver.start();
    try {
      const { admin, org } = await createOrgWithAdmin(server);
      const { endpoint } = await createEndpoint(admin, org.id, receiver.url('/swept'));
      // A due delivery nobody was woken for (written without the NOTIFY).
      const em = server.orm.em.fork();
      const delivery = new WebhookDelivery(
        em.getReference(WebhookEndpoint, endpoint.id, { wrapped: true }),
        'msg_sweptsweptsweptswept0',
        'webhook.test',
        '{"type":"webhook.test","timestamp":"2026-12-01T00:00:00.000Z","data":{}}',
      );
      await em.persist(delivery).flush();

      const queue = JOB_QUEUES.deliverWebhooks;
      const jobId = await jobs.boss.send(queue, {});
      const job = await until(
        () => jobs.boss.getJobById<object>(queue, jobId!),
        (found) => found?.state === 'completed',
      );
      expect(job).toMatchObject({ state: 'completed', output: { succeeded: 1, failed: 0 } });
      const request = await receiver.waitFor(1);
      expect(request.headers['webhook-id']).toBe('msg_sweptsweptsweptswept0');
    } finally {
      await receiver.stop();
    }
  });
});
