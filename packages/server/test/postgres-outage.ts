/**
 * The scenario of the PostgreSQL fault tests: PostgreSQL goes away under a steady stream of
 * GraphQL mutations and `/v1/verify` calls, and comes back. Shared by the supervised embedded
 * PostgreSQL (Portico restarts it) and an "external" one (the test restarts it).
 */
import { expect } from 'vitest';
import { JOB_QUEUES, type JobRunner } from '../src/jobs/jobs.js';
import { signUpUser, uniqueEmail } from './builders.js';
import {
  expectEveryEvent,
  expectNothingLost,
  prepareLoad,
  underLoad,
  updateStream,
  verifyStream,
} from './fault-load.js';
import { ReconnectingSubscriber, until, verifyOutcome } from './faults.js';
import { flushAll, sql } from './gateway-builders.js';
import type { TestServer } from './harness.js';

/** How many successes each mutation stream must have before the fault, and after recovery. */
const SUCCESSES = 5;

async function ready(server: TestServer): Promise<boolean> {
  try {
    const response = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

export interface OutageScenario {
  server: TestServer;
  /** pg-boss, started on the server: it must run jobs again after the fault. */
  jobs: JobRunner;
  /**
   * The fault: kills PostgreSQL (SIGKILL), and brings it back or lets Portico do it. Runs
   * while the load goes on.
   */
  fault: () => Promise<void>;
}

/**
 * Runs the load, the fault and the recovery, then checks that:
 * - no request failed other than cleanly (503 with a typed code), none hung or was reset;
 * - verifications of a cached credential were answered throughout;
 * - Portico recovered by itself (/readyz, mutations, jobs, mail, the events listener);
 * - every mutation that answered success is still in the database;
 * - a subscriber that stayed, and one that left during the fault and came back with the last
 *   event id it saw, each received every event of the organization exactly once, in order.
 */
export async function expectRecoveryUnderLoad({
  server,
  jobs,
  fault,
}: OutageScenario): Promise<void> {
  const fixture = await prepareLoad(server);
  const url = () => server.url;
  const { admin, organizationId, baseline } = fixture;
  expect(
    (await verifyOutcome(server.url, fixture.cached.credential.secret, fixture.uri)).kind,
  ).toBe('ok');
  const reconnects = server.app.services.events.stats.reconnects;

  const staying = new ReconnectingSubscriber(url, admin.client, organizationId, baseline);
  const leaving = new ReconnectingSubscriber(url, admin.client, organizationId, baseline);
  const mutations = fixture.apps.map((_, worker) => updateStream(fixture, worker, url));
  const cachedVerifies = verifyStream(
    'verify (cached credential)',
    fixture,
    fixture.cached.credential,
    url,
  );
  const lookedUpVerifies = verifyStream(
    'verify (credential looked up again)',
    fixture,
    fixture.evicted,
    url,
  );
  const streams = [...mutations, cachedVerifies, lookedUpVerifies];
  const allSucceeded = (since: number) => () =>
    mutations.every((stream) => stream.count('ok', since) >= SUCCESSES) &&
    lookedUpVerifies.count('ok', since) > 0;

  await underLoad(streams, async () => {
    await until('load before the fault', allSucceeded(0));
    await leaving.goAway();
    await fault();
    await until('/readyz to report ready again', () => ready(server), 20_000);
    const recovered = Date.now();
    await until('mutations and lookups to succeed again', allSucceeded(recovered), 20_000);
    leaving.comeBack();
    const back = Date.now();
    await until('load after the subscriber came back', allSucceeded(back), 20_000);
  });

  // Every request ended cleanly; the hot path never needed PostgreSQL.
  expect(streams.flatMap((stream) => stream.bad)).toEqual([]);
  expect(cachedVerifies.count('unavailable')).toBe(0);

  await expectNothingLost(server, fixture, mutations);
  await expectEveryEvent(server, fixture, mutations, [staying, leaving]);
  // The one that left subscribed again, after the last id it saw.
  expect(leaving.subscriptions).toBeGreaterThan(1);
  await Promise.all([staying.close(), leaving.close()]);

  // The events listener reconnected by itself (and caught up: the subscribers got everything).
  expect(server.app.services.events.stats.reconnects).toBeGreaterThan(reconnects);

  // Usage counted while PostgreSQL was away was written once it came back.
  const verified = cachedVerifies.count('ok');
  await flushAll(server);
  const [usage] = await sql<{ requests: string | null }>(
    server,
    'select sum(requests)::text as requests from usage_minute where credential_id = ?',
    [fixture.cached.credential.id],
  );
  expect(Number(usage?.requests ?? 0)).toBeGreaterThanOrEqual(verified);

  // pg-boss works its queues again.
  const jobId = await jobs.boss.send(JOB_QUEUES.deliverMail, {});
  if (!jobId) throw new Error('pg-boss refused the job');
  await until('pg-boss to run a job', async () => {
    const job = await jobs.boss.getJobById(JOB_QUEUES.deliverMail, jobId);
    return job?.state === 'completed';
  });

  // The mail outbox's own pool reconnected: a sign-up's mail goes out.
  const email = uniqueEmail('after-fault');
  await signUpUser(server, { email, approved: false });
  await server.mail.waitFor(email, /./, 10_000);
}
