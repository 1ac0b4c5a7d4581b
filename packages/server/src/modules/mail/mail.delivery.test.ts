import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { signUpUser, uniqueEmail } from '../../../test/builders.js';
import {
  createTestDatabase,
  MailCatcher,
  startSecondInstance,
  startTestServerOn,
  useTestServer,
  type TestServer,
} from '../../../test/harness.js';
import { MailMessage, MailStatus } from './mail.entity.js';
import { describeFailure, messageIdFor, retryDelayMs } from './mail.delivery.js';
import { enqueueMail } from './mail.service.js';

/** Three attempts at most, 100 ms before the first retry (200 ms before the second). */
const server = useTestServer({ env: { MAIL_MAX_ATTEMPTS: '3', MAIL_RETRY_DELAY_MS: '100' } });

const SERVER_DIR = fileURLToPath(new URL('../../../', import.meta.url));
const VERIFY_SUBJECT = /^Verify your email for Portico$/;

const OUTBOX = `query ($first: Int) {
  mailOutbox(first: $first) {
    nodes { id to subject text status attempts nextAttemptAt sentAt lastError }
  }
}`;

interface OutboxNode {
  id: string;
  to: string;
  subject: string;
  text: string;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: string | null;
  sentAt: string | null;
  lastError: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The outbox rows to `to`, read straight from the database. */
async function rowsTo(on: TestServer, to: string): Promise<MailMessage[]> {
  return on.orm.em.fork().find(MailMessage, { to }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

/** Polls the outbox rows to `to` until `done` holds (or 10 s pass) and returns them. */
async function rowsWhen(
  on: TestServer,
  to: string,
  done: (rows: MailMessage[]) => boolean,
): Promise<MailMessage[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await rowsTo(on, to);
    if (done(rows) || Date.now() > deadline) return rows;
    await sleep(50);
  }
}

function received(mail: MailCatcher, to: string): number {
  return mail.messages.filter((m) => m.to.includes(to.toLowerCase())).length;
}

/** Enqueues a mail in a transaction of its own on `on`, as a mutation would. */
async function enqueue(on: TestServer, to: string, subject = 'Hello'): Promise<MailMessage> {
  return on.orm.em
    .fork()
    .transactional((em) => enqueueMail(em, on.app.services, { to, subject, text: 'Hi.\n' }));
}

describe('mail delivery', () => {
  it('sends a mail once its transaction commits, with a Message-ID made from its row', async () => {
    const user = await signUpUser(server);
    // The operation that enqueued it sent it before answering.
    expect(received(server.mail, user.email)).toBe(1);
    const mail = await server.mail.waitFor(user.email, VERIFY_SUBJECT);
    const [row] = await rowsWhen(server, user.email, (rows) => rows[0]?.status === 'SENT');
    expect(row).toMatchObject({ status: MailStatus.SENT, attempts: 1, nextAttemptAt: null });
    expect(row?.sentAt).toBeInstanceOf(Date);
    expect(mail.raw).toMatch(new RegExp(`^Message-ID: <${row?.id}@portico\\.local>`, 'im'));
    // Delivered: the link it held is no longer kept.
    expect(row?.text).toBe('');
  });

  it('retries a refused mail and delivers it exactly once', async () => {
    server.mail.refuse(1, 451);
    const refusedBefore = server.mail.refused;
    const user = await signUpUser(server);
    await server.mail.waitFor(user.email, VERIFY_SUBJECT);
    expect(server.mail.refused).toBe(refusedBefore + 1);
    const [row] = await rowsWhen(server, user.email, (rows) => rows[0]?.status === 'SENT');
    expect(row).toMatchObject({
      status: MailStatus.SENT,
      attempts: 2,
      nextAttemptAt: null,
      lastError: 'Error EMESSAGE 451',
    });
    await sleep(300);
    expect(received(server.mail, user.email)).toBe(1);
  });

  it('gives up after the last attempt as FAILED, and staff see it in the outbox', async () => {
    const staff = await signUpUser(server, { staff: true });
    await server.mail.waitFor(staff.email, VERIFY_SUBJECT);
    server.mail.refuse(Number.POSITIVE_INFINITY, 550);
    try {
      const user = await signUpUser(server);
      const [row] = await rowsWhen(server, user.email, (rows) => rows[0]?.status === 'FAILED');
      expect(row).toMatchObject({
        status: MailStatus.FAILED,
        attempts: 3,
        nextAttemptAt: null,
        sentAt: null,
        lastError: 'Error EMESSAGE 550',
      });
      expect(received(server.mail, user.email)).toBe(0);

      const data = await staff.client.ok<{ mailOutbox: { nodes: OutboxNode[] } }>(OUTBOX, {
        first: 10,
      });
      const failed = data.mailOutbox.nodes.find((node) => node.to === user.email);
      expect(failed).toMatchObject({
        id: row?.id,
        subject: 'Verify your email for Portico',
        status: 'FAILED',
        attempts: 3,
        nextAttemptAt: null,
        sentAt: null,
        lastError: 'Error EMESSAGE 550',
      });
      // Not sent: staff can still read it (and pass the link on).
      expect(failed?.text).toMatch(/verify-email\?token=/);
      const sent = data.mailOutbox.nodes.find((node) => node.to === staff.email);
      expect(sent).toMatchObject({ status: 'SENT', attempts: 1, text: '', lastError: null });
      expect(sent?.sentAt).toEqual(expect.any(String));
    } finally {
      server.mail.refuse(0);
    }
  });

  it('sends nothing for a transaction that rolls back', async () => {
    const doomed = uniqueEmail('doomed');
    await expect(
      server.orm.em.fork().transactional(async (em) => {
        await enqueueMail(em, server.app.services, { to: doomed, subject: 'Never', text: 'x' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // A mail committed afterwards arrives; the rolled-back one never existed.
    const later = uniqueEmail('later');
    await enqueue(server, later);
    await server.mail.waitFor(later, /^Hello$/);
    await sleep(200);
    expect(await rowsTo(server, doomed)).toEqual([]);
    expect(received(server.mail, doomed)).toBe(0);
  });

  it('refuses to enqueue outside a transaction', async () => {
    await expect(
      enqueueMail(server.orm.em.fork(), server.app.services, {
        to: 'x@y.z',
        subject: 's',
        text: 't',
      }),
    ).rejects.toThrow(/inside the transaction/);
  });

  it('is woken after its listener reconnects, for mail committed while it was down', async () => {
    const events = server.app.services.events;
    const killed = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ pg_terminate_backend: boolean }[]>(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and application_name = 'portico-events'`,
      );
    expect(killed).toHaveLength(1);
    const deadline = Date.now() + 2_000;
    while (events.listening && Date.now() < deadline) await sleep(5);
    const to = uniqueEmail('meanwhile');
    await enqueue(server, to);
    await server.mail.waitFor(to, /^Hello$/);
    expect(events.listening).toBe(true);
  });

  it('never sends a mail twice when two instances deliver the same outbox', async () => {
    const second = await startSecondInstance(server, {
      env: { MAIL_MAX_ATTEMPTS: '3', MAIL_RETRY_DELAY_MS: '100' },
    });
    const sentBy = (on: TestServer) => on.app.mailDelivery.stats.sent;
    const before = sentBy(server) + sentBy(second);
    try {
      const recipients = Array.from({ length: 30 }, () => uniqueEmail('many'));
      // One transaction: its commit wakes both instances at once.
      await server.orm.em.fork().transactional(async (em) => {
        for (const to of recipients) {
          await enqueueMail(em, server.app.services, { to, subject: 'Many', text: 'Hi.\n' });
        }
      });
      for (const to of recipients) await server.mail.waitFor(to, /^Many$/);
      await sleep(300);
      for (const to of recipients) {
        expect(received(server.mail, to)).toBe(1);
        expect(await rowsTo(server, to)).toMatchObject([{ status: 'SENT', attempts: 1 }]);
      }
      expect(sentBy(server) + sentBy(second) - before).toBe(recipients.length);
    } finally {
      await second.close();
    }
  });
});

describe('a process killed after its commit', () => {
  it('leaves its mail PENDING, and a server started afterwards sends it once', async () => {
    const databaseUrl = await createTestDatabase();
    const mail = new MailCatcher();
    await mail.start();
    try {
      const email = uniqueEmail('crash');
      const child = spawn(
        process.execPath,
        [
          '--import',
          '@swc-node/register/esm-register',
          'test/mail-crash-child.ts',
          databaseUrl,
          mail.url,
          email,
        ],
        { cwd: SERVER_DIR, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      expect(exit, stderr).toEqual({ code: null, signal: 'SIGKILL' });

      // Nothing was sent before it died; the mail is committed and waiting.
      expect(mail.messages).toHaveLength(0);
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query(
          `select status, attempts from mail_message where "to" = $1`,
          [email],
        );
        expect(rows).toEqual([{ status: 'PENDING', attempts: 0 }]);
      } finally {
        await db.end();
      }
      const restarted = await startTestServerOn(databaseUrl, mail);
      try {
        // (Read through the new server's ORM; it sends at start-up, so the row may be SENT.)
        const sent = await mail.waitFor(email, VERIFY_SUBJECT);
        const [row] = await rowsWhen(restarted, email, (rows) => rows[0]?.status === 'SENT');
        expect(row).toMatchObject({ status: MailStatus.SENT, attempts: 1 });
        expect(sent.raw).toMatch(new RegExp(`^Message-ID: <${row?.id}@portico\\.local>`, 'im'));
        await sleep(300);
        expect(received(mail, email)).toBe(1);
      } finally {
        await restarted.close();
      }
    } finally {
      await mail.stop();
    }
  });
});

describe('retry schedule and failure records', () => {
  it('doubles the wait after each failed attempt, up to an hour', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(30_000, attempts))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(retryDelayMs(30_000, 20)).toBe(3_600_000);
  });

  it('records the name and codes of an error, never its message', () => {
    const error = Object.assign(new Error('550 rejected: http://x/reset?token=secret'), {
      code: 'EENVELOPE',
      responseCode: 550,
    });
    expect(describeFailure(error)).toBe('Error EENVELOPE 550');
    expect(describeFailure(new TypeError('token=secret'))).toBe('TypeError');
    expect(describeFailure('token=secret')).toBe('string');
  });

  it('makes the Message-ID from the row id and the sender domain', () => {
    expect(messageIdFor('mail_abc', 'Portico <no-reply@dev.example.com>')).toBe(
      '<mail_abc@dev.example.com>',
    );
    expect(messageIdFor('mail_abc', 'no-reply@portico.test')).toBe('<mail_abc@portico.test>');
  });
});
