/**
 * An external PostgreSQL (DATABASE_URL) is killed under load and started again by the test, as
 * an operator or a failover would: Portico is not restarted, only reconnects.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUpUser, type SignedInUser } from '../../test/builders.js';
import {
  connectedLiveClient,
  firstSubscriptionAnswer,
  graphqlOutcome,
  liveClient,
  startDedicatedPostgres,
  until,
  type DedicatedPostgres,
} from '../../test/faults.js';
import { MailCatcher, startTestServerOn, type TestServer } from '../../test/harness.js';
import { expectRecoveryUnderLoad } from '../../test/postgres-outage.js';
import { startJobs, stopJobs, type JobRunner } from '../jobs/jobs.js';

let postgres: DedicatedPostgres;
let mail: MailCatcher;
let server: TestServer;
let jobs: JobRunner;
let user: SignedInUser;

beforeAll(async () => {
  postgres = await startDedicatedPostgres();
  mail = new MailCatcher();
  await mail.start();
  server = await startTestServerOn(postgres.url, mail);
  jobs = await startJobs(server.app.services, server.app.mailDelivery, {
    pollingIntervalSeconds: 0.5,
  });
  user = await signUpUser(server);
});

afterAll(async () => {
  await stopJobs();
  await server?.close();
  await mail?.stop();
  await postgres?.close();
});

it('recovers by itself from a restart of its PostgreSQL under load, losing nothing committed', async () => {
  await expectRecoveryUnderLoad({
    server,
    jobs,
    fault: async () => {
      // A socket signed in before PostgreSQL goes away, to subscribe on while it is away.
      const before = await connectedLiveClient(server.url, user.client);
      await postgres.kill();
      // While it is down, /readyz says so and signed-in requests that read the database fail
      // with a typed 503 (the viewer alone comes from the session cache).
      await until('/readyz to report not ready', async () => {
        const response = await fetch(`${server.url}/readyz`);
        const body = (await response.json()) as { reason?: string };
        return response.status === 503 && body.reason === 'database';
      });
      const viewer = await graphqlOutcome(
        server.url,
        user.client,
        '{ viewer { id organizations { id } } }',
        {},
        'viewer',
      );
      expect(viewer.kind).toBe('unavailable');
      // A subscription fails alone, typed, on a socket that stays open; so does one on a new
      // socket, signed in from the session cache.
      const query = 'subscription { viewerEvents { id } }';
      expect(await firstSubscriptionAnswer(before, query)).toBe('errors SERVICE_UNAVAILABLE');
      const after = liveClient(server.url, user.client);
      expect(await firstSubscriptionAnswer(after, query)).toBe('errors SERVICE_UNAVAILABLE');
      await Promise.all([before.dispose(), after.dispose()]);
      await postgres.start();
    },
  });
}, 120_000);
