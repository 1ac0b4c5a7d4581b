/**
 * Two instances on one database, as behind a load balancer: one (src/main.ts in a process of
 * its own) is SIGKILLed under load. The other keeps serving, its subscribers miss nothing, and
 * a subscriber of the dead one resumes on it from the last event id it saw.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  expectEveryEvent,
  expectNothingLost,
  prepareLoad,
  underLoad,
  updateStream,
  verifyStream,
  type LoadFixture,
} from '../../test/fault-load.js';
import {
  ReconnectingSubscriber,
  startPorticoProcess,
  until,
  type PorticoProcess,
} from '../../test/faults.js';
import { useTestServer } from '../../test/harness.js';

/** The instance that survives, in this process. */
const survivor = useTestServer();
/** The instance that is killed. */
let doomed: PorticoProcess;
let fixture: LoadFixture;

beforeAll(async () => {
  // Everything the load needs exists before the other instance starts (and loads its catalog).
  fixture = await prepareLoad(survivor, 4);
  doomed = await startPorticoProcess({
    DATABASE_URL: survivor.databaseUrl,
    SMTP_URL: survivor.mail.url,
    PUBLIC_URL: 'http://portico.test',
  });
});

afterAll(async () => {
  await doomed?.kill();
});

it('keeps serving when the other instance is killed under load, and its subscribers miss nothing', async () => {
  const { admin, organizationId, baseline } = fixture;
  const onSurvivor = () => survivor.url;
  let killed = false;
  // A browser tab of the killed instance: once it is gone, the load balancer sends it here.
  const onDoomed = () => (killed ? survivor.url : doomed.url);

  const subscribers = [
    new ReconnectingSubscriber(onSurvivor, admin.client, organizationId, baseline),
    new ReconnectingSubscriber(onDoomed, admin.client, organizationId, baseline),
  ];
  const [staying, movedOver] = subscribers as [ReconnectingSubscriber, ReconnectingSubscriber];
  // Two apps are updated through each instance.
  const toSurvivor = [0, 1].map((worker) => updateStream(fixture, worker, onSurvivor));
  const toDoomed = [2, 3].map((worker) => updateStream(fixture, worker, () => doomed.url));
  const verifies = [
    verifyStream('verify on the survivor', fixture, fixture.cached.credential, onSurvivor),
    verifyStream('verify on the doomed', fixture, fixture.cached.credential, () => doomed.url),
  ];
  const [survivorVerifies, doomedVerifies] = verifies as [
    (typeof verifies)[number],
    (typeof verifies)[number],
  ];
  const streams = [...toSurvivor, ...toDoomed, ...verifies];
  const enough = (since: number) => () =>
    toSurvivor.every((stream) => stream.count('ok', since) >= 5) &&
    survivorVerifies.count('ok', since) >= 5;

  let killedAt = 0;
  await underLoad(streams, async () => {
    await until(
      'load on both instances',
      () => [...toDoomed, doomedVerifies].every((stream) => stream.count('ok') >= 5) && enough(0)(),
    );
    killedAt = Date.now();
    await doomed.kill();
    killed = true;
    await until('the survivor to go on serving', enough(Date.now()), 20_000);
  });
  expect(await doomed.exited).toBe('SIGKILL');

  // The survivor answered everything; the doomed one everything until it died.
  for (const stream of [...toSurvivor, survivorVerifies]) {
    expect(stream.bad).toEqual([]);
    expect(stream.count('unavailable')).toBe(0);
  }
  for (const stream of [...toDoomed, doomedVerifies]) {
    const beforeDeath = stream.outcomes.filter((outcome) => outcome.at < killedAt);
    expect(beforeDeath.filter((outcome) => outcome.kind !== 'ok')).toEqual([]);
  }

  // Updates answered by either instance are all there.
  await expectNothingLost(survivor, fixture, [...toSurvivor, ...toDoomed]);
  // The survivor's subscriber got every event, without ever having to subscribe again; the
  // dead instance's subscriber resumed on the survivor and got every event too.
  await expectEveryEvent(survivor, fixture, [...toSurvivor, ...toDoomed], subscribers);
  expect(staying.subscriptions).toBe(1);
  expect(movedOver.subscriptions).toBeGreaterThan(1);
  await Promise.all(subscribers.map((subscriber) => subscriber.close()));
}, 50_000);
