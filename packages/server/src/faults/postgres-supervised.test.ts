/**
 * The embedded PostgreSQL, supervised as main.ts supervises it, is killed under load: Portico
 * starts it again on the same data directory and port, and every pool reconnects.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDedicatedPostgres, type DedicatedPostgres } from '../../test/faults.js';
import { MailCatcher, startTestServerOn, type TestServer } from '../../test/harness.js';
import { expectRecoveryUnderLoad } from '../../test/postgres-outage.js';
import { startJobs, stopJobs, type JobRunner } from '../jobs/jobs.js';

let postgres: DedicatedPostgres;
let mail: MailCatcher;
let server: TestServer;
let jobs: JobRunner;
const gaveUp: Error[] = [];

beforeAll(async () => {
  postgres = await startDedicatedPostgres({
    log: pino({ level: 'silent' }),
    onGiveUp: (error) => gaveUp.push(error),
  });
  mail = new MailCatcher();
  await mail.start();
  server = await startTestServerOn(postgres.url, mail);
  jobs = await startJobs(server.app.services, server.app.mailDelivery, {
    pollingIntervalSeconds: 0.5,
  });
});

afterAll(async () => {
  await stopJobs();
  await server?.close();
  await mail?.stop();
  await postgres?.close();
});

it('restarts its embedded PostgreSQL when it is killed under load, losing nothing committed', async () => {
  const database = postgres.database;
  let killed = 0;
  await expectRecoveryUnderLoad({
    server,
    jobs,
    fault: async () => {
      killed = await postgres.kill();
    },
  });
  // The same server object runs a new postmaster: the supervisor started it, once.
  expect(postgres.database).toBe(database);
  expect(database.restarts).toBe(1);
  expect(database.pid).not.toBeNull();
  expect(database.pid).not.toBe(killed);
  expect(gaveUp).toEqual([]);
}, 50_000);
