/**
 * Redis (REDIS_URL, shared rate-limit counters) goes away under `/v1/verify` load: each
 * instance counts alone meanwhile, as the README says, verifications and GraphQL operations go
 * on being answered, and once Redis is back the instances share their counters through it
 * again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithMembers } from '../../test/app-builders.js';
import { signUpUser, type SignedInUser } from '../../test/builders.js';
import {
  findRedisServer,
  graphqlOutcome,
  RequestStream,
  startRedisProcess,
  until,
  verifyOutcome,
  type RedisProcess,
} from '../../test/faults.js';
import {
  appInOrg,
  awayFromWindowEdge,
  gatewayProduct,
  grantedApp,
  outcome,
  planFor,
  verify,
  type GrantedApp,
} from '../../test/gateway-builders.js';
import { startSecondInstance, startTestServer, type TestServer } from '../../test/harness.js';
import { RedisRateLimiter } from '../limits/rate-limiter.js';

const redisServer = findRedisServer();
if (redisServer.missing) console.warn(`Redis fault tests skipped: ${redisServer.missing}`);

let redis: RedisProcess;
let a: TestServer;
let b: TestServer;
/** A credential with a limit the load never reaches, verified throughout. */
let steady: GrantedApp;
let steadyUri: string;
/** A signed-in user: their GraphQL operations count against the API limits, in Redis too. */
let user: SignedInUser;

beforeAll(async () => {
  if (!redisServer.binary) return;
  redis = await startRedisProcess(redisServer.binary);
  const env = { REDIS_URL: redis.url };
  a = await startTestServer({ smtp: false, env });
  b = await startSecondInstance(a, { smtp: false, env });
  await limitersReady();
  const product = await gatewayProduct(a, { alsoReload: [b] });
  steady = await grantedApp(a, [product]);
  await planFor([a, b], steady.org.id, product.id, { rateLimitRequests: 1_000_000 });
  steadyUri = `${product.prefix}/items`;
  user = await signUpUser(a);
});

/** Whether a signed-in GraphQL operation (counted against the API limits) is answered. */
async function graphqlAnswered(): Promise<string> {
  return (await graphqlOutcome(a.url, user.client, '{ viewer { id } }', {}, 'viewer')).kind;
}

afterAll(async () => {
  await b?.close();
  await a?.close();
  await redis?.kill();
});

async function limitersReady(): Promise<void> {
  for (const instance of [a, b]) {
    const limiter = instance.app.gateway.limiter;
    if (!(limiter instanceof RedisRateLimiter)) throw new Error('the limiter does not use Redis');
    await limiter.ready();
  }
}

/** A fresh credential allowed `limit` requests a minute (its own organization and product). */
async function limited(limit: number): Promise<{ token: string; uri: string }> {
  const org = await orgWithMembers(a);
  const admin = org.admins[0];
  if (!admin) throw new Error('no admin');
  const product = await gatewayProduct(a, { alsoReload: [b] });
  await planFor([a, b], org.id, product.id, { rateLimitRequests: limit });
  const { credential } = await appInOrg(admin.client, org.id, [product]);
  return { token: credential.secret, uri: `${product.prefix}/a` };
}

/** Verifies on each instance in turn and returns `<outcome> <remaining>` of each answer. */
async function verifyOn(
  instances: TestServer[],
  request: { token: string; uri: string },
): Promise<string[]> {
  const seen: string[] = [];
  for (const instance of instances) {
    const answer = await verify(instance.url, request);
    seen.push(`${outcome(answer)} ${answer.headers.get('x-ratelimit-remaining')}`);
  }
  return seen;
}

/** Four allowed across both instances, then refused on both: one window, kept in Redis. */
const SHARED = [
  '200 allowed 3',
  '200 allowed 2',
  '200 allowed 1',
  '200 allowed 0',
  '429 rate_limited 0',
  '429 rate_limited 0',
];

describe.skipIf(!redisServer.binary)('Redis gone and back', () => {
  it('counts per instance while Redis is gone, keeps answering, and shares again once it is back', async () => {
    const steadyVerifies = ['a', 'b'].map(
      (name) =>
        new RequestStream(
          `verify on ${name}`,
          () => verifyOutcome((name === 'a' ? a : b).url, steady.credential.secret, steadyUri),
          5,
        ),
    );
    try {
      // Redis up: one window for both instances.
      await awayFromWindowEdge(60_000);
      expect(await verifyOn([a, a, b, b, a, b], await limited(4))).toEqual(SHARED);
      const keys = redis.client();
      expect((await keys.keys('portico:rl:*')).length).toBeGreaterThan(0);
      keys.disconnect();

      // Redis killed: each instance counts alone, as documented, and nothing goes unanswered.
      await redis.kill();
      expect(await graphqlAnswered()).toBe('ok');
      const alone = await limited(3);
      await awayFromWindowEdge(60_000);
      expect(await verifyOn([a, a, a, a, b, b, b, b], alone)).toEqual([
        '200 allowed 2',
        '200 allowed 1',
        '200 allowed 0',
        '429 rate_limited 0',
        '200 allowed 2',
        '200 allowed 1',
        '200 allowed 0',
        '429 rate_limited 0',
      ]);

      // Redis back (empty, on the same port): the instances reconnect and share again.
      await redis.start();
      await limitersReady();
      await awayFromWindowEdge(60_000);
      expect(await verifyOn([a, a, b, b, a, b], await limited(4))).toEqual(SHARED);

      // Redis hung (paused with its connections open): verifications do not wait on it.
      redis.pause();
      expect(await graphqlAnswered()).toBe('ok');
      const during = steadyVerifies.map((stream) => stream.count('ok'));
      await until('verifications to go on while Redis hangs', () =>
        steadyVerifies.every((stream, i) => stream.count('ok') >= (during[i] ?? 0) + 5),
      );
      redis.resume();
      await limitersReady();
      await awayFromWindowEdge(60_000);
      expect(await verifyOn([a, a, b, b, a, b], await limited(4))).toEqual(SHARED);
    } finally {
      redis.resume();
      await Promise.all(steadyVerifies.map((stream) => stream.stop()));
    }
    for (const stream of steadyVerifies) {
      expect(stream.bad).toEqual([]);
      expect(stream.count('unavailable')).toBe(0);
    }
  }, 40_000);
});
