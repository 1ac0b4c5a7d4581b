import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithMembers, type OrgWithMembers } from '../../test/app-builders.js';
import { signUpUser, type SignedInUser } from '../../test/builders.js';
import {
  appInOrg,
  awayFromWindowEdge,
  deleteApp,
  eventually,
  gatewayProduct,
  outcome,
  planFor,
  revokeCredential,
  revokeGrant,
  verify,
  type GatewayProduct,
  type VerifyAnswer,
  type VerifyCall,
} from '../../test/gateway-builders.js';
import { requestProducts } from '../../test/grant-builders.js';
import { uniqueLabel } from '../../test/product-builders.js';
import {
  startSecondInstance,
  useTestServer,
  type TestClient,
  type TestServer,
} from '../../test/harness.js';
import { parseEnv } from '../env.js';
import { publish } from '../events/events.service.js';
import { ApiProduct, Plan } from '../modules/products/products.entity.js';
import { RedisRateLimiter } from '../limits/rate-limiter.js';
import { redisReachable } from '../../test/redis.js';

const REDIS_URL = parseEnv().REDIS_URL ?? 'redis://127.0.0.1:6379';

const redisUp = await redisReachable(REDIS_URL);
if (!redisUp) {
  console.warn(`verify-instances: no Redis at ${REDIS_URL}; the shared rate-limit test is skipped`);
}

/** Instance A (its GraphQL makes every change) and B, on the same database. */
const server = useTestServer({ smtp: false });
let second: TestServer;
let staff: SignedInUser;
let org: OrgWithMembers;
let client: TestClient;
let product: GatewayProduct;

beforeAll(async () => {
  second = await startSecondInstance(server, { smtp: false });
  [staff, org] = await Promise.all([signUpUser(server, { staff: true }), orgWithMembers(server)]);
  const admin = org.admins[0];
  if (!admin) throw new Error('no admin');
  client = admin.client;
  product = await gatewayProduct(server, { alsoReload: [second] });
});

afterAll(async () => {
  await second.close();
});

/** Verifies on both instances; each must allow it (and so caches the credential). */
async function allowedOnBoth(request: VerifyCall): Promise<void> {
  const answers = await Promise.all([verify(server.url, request), verify(second.url, request)]);
  expect(answers.map(outcome)).toEqual(['200 allowed', '200 allowed']);
}

/** Polls instance B until it answers `expected`; returns how long that took. */
async function refusedOnB(request: VerifyCall, expected: string): Promise<number> {
  const { value, elapsedMs } = await eventually(async () => {
    const answer: VerifyAnswer = await verify(second.url, request);
    expect(outcome(answer)).toBe(expected);
    return answer;
  });
  expect(value.body.allowed).toBe(false);
  return elapsedMs;
}

describe('changes made on instance A reach instance B’s cache within a second', () => {
  it('a revoked credential', async () => {
    const { credential } = await appInOrg(client, org.id, [product]);
    const request = { token: credential.secret, uri: `${product.prefix}/a` };
    await allowedOnBoth(request);
    const hitsBefore = second.app.gateway.cache.stats.hits;
    expect(outcome(await verify(second.url, request))).toBe('200 allowed');
    // B answered from its cache: without the event it would go on allowing.
    expect(second.app.gateway.cache.stats.hits).toBe(hitsBefore + 1);

    await revokeCredential(client, credential.id);
    expect(await refusedOnB(request, '401 revoked_credential')).toBeLessThan(1000);
    expect(outcome(await verify(server.url, request))).toBe('401 revoked_credential');
  });

  it('a grant revoked by staff', async () => {
    const { appId, credential } = await appInOrg(client, org.id, []);
    const { grants } = await requestProducts(client, appId, [product.id]);
    const grantId = grants[0]?.id ?? '';
    const request = { token: credential.secret, uri: `${product.prefix}/a` };
    await allowedOnBoth(request);

    await revokeGrant(staff.client, grantId);
    expect(await refusedOnB(request, '403 grant_revoked')).toBeLessThan(1000);
    expect(outcome(await verify(server.url, request))).toBe('403 grant_revoked');
  });

  it('a suspended app (and unsuspended)', async () => {
    const { appId, credential } = await appInOrg(client, org.id, [product]);
    const request = { token: credential.secret, uri: `${product.prefix}/a` };
    await allowedOnBoth(request);

    await staff.client.ok(
      `mutation ($input: SuspendAppInput!) { suspendApp(input: $input) { app { id status } } }`,
      { input: { appId, reason: 'Scraping beyond the terms of service.' } },
    );
    expect(await refusedOnB(request, '403 app_suspended')).toBeLessThan(1000);
    expect(outcome(await verify(server.url, request))).toBe('403 app_suspended');

    await staff.client.ok(
      `mutation ($input: UnsuspendAppInput!) { unsuspendApp(input: $input) { app { id status } } }`,
      { input: { appId } },
    );
    const { elapsedMs } = await eventually(async () => {
      expect(outcome(await verify(second.url, request))).toBe('200 allowed');
    });
    expect(elapsedMs).toBeLessThan(1000);
  });

  it('a deleted app', async () => {
    const { appId, credential } = await appInOrg(client, org.id, [product]);
    const request = { token: credential.secret, uri: `${product.prefix}/a` };
    await allowedOnBoth(request);

    await deleteApp(client, appId);
    expect(await refusedOnB(request, '401 revoked_credential')).toBeLessThan(1000);
    expect(outcome(await verify(server.url, request))).toBe('401 revoked_credential');
  });

  it('an archived product (an event on the gateway topic reloads the catalog)', async () => {
    const archived = await gatewayProduct(server, { alsoReload: [second] });
    const { credential } = await appInOrg(client, org.id, [archived]);
    const request = { token: credential.secret, uri: `${archived.prefix}/a` };
    await allowedOnBoth(request);

    await server.orm.em.fork().transactional(async (em) => {
      await em.nativeUpdate(ApiProduct, { id: archived.id }, { archivedAt: new Date() });
      await publish(em, 'catalog.changed', { subjectId: archived.id, change: 'product.archive' });
    });
    expect(await refusedOnB(request, '403 unknown_product')).toBeLessThan(1000);
  });

  it('a plan change (plan.changed on the catalog topic reloads the plan subscriptions)', async () => {
    const changing = await orgWithMembers(server);
    const admin = changing.admins[0];
    if (!admin) throw new Error('no admin');
    const changed = await gatewayProduct(server, { alsoReload: [second] });
    const { credential } = await appInOrg(admin.client, changing.id, [changed]);
    const request = { token: credential.secret, uri: `${changed.prefix}/a` };
    await allowedOnBoth(request);

    const capped = new Plan({
      name: `Capped ${uniqueLabel()}`,
      rank: 500_000 + (Date.now() % 100_000),
      monthlyRequestCap: 0,
      monthlyUnitCap: null,
      rateLimitRequests: 1000,
      rateLimitWindowSeconds: 60,
      maxApps: 100,
      maxDevEnvironments: 10,
    });
    await server.orm.em.fork().persist(capped).flush();
    await admin.client.ok(
      `mutation ($input: ChangePlanInput!) { changePlan(input: $input) { planSubscription { id } } }`,
      { input: { organizationId: changing.id, productId: changed.id, planId: capped.id } },
    );
    expect(await refusedOnB(request, '429 request_cap_exceeded')).toBeLessThan(1000);
  });
});

describe('rate limits across instances', () => {
  /** A fresh org with a plan of `limit` requests a minute for a fresh product, and a credential. */
  async function limitedCredential(instances: TestServer[], limit: number) {
    const limited = await orgWithMembers(server);
    const admin = limited.admins[0];
    if (!admin) throw new Error('no admin');
    const limitedProduct = await gatewayProduct(server, { alsoReload: instances });
    await planFor([server, ...instances], limited.id, limitedProduct.id, {
      rateLimitRequests: limit,
      rateLimitWindowSeconds: 60,
    });
    const { credential } = await appInOrg(admin.client, limited.id, [limitedProduct]);
    return { token: credential.secret, uri: `${limitedProduct.prefix}/a` };
  }

  const remaining = (answer: VerifyAnswer): string =>
    `${outcome(answer)} ${answer.headers.get('x-ratelimit-remaining')}`;

  it.skipIf(!redisUp)(
    `with REDIS_URL the instances share one window (skipped when no Redis answers at ${REDIS_URL})`,
    async () => {
      const env = { REDIS_URL };
      const a = await startSecondInstance(server, { smtp: false, env });
      const b = await startSecondInstance(server, { smtp: false, env });
      try {
        for (const instance of [a, b]) {
          const limiter = instance.app.gateway.limiter;
          expect(limiter).toBeInstanceOf(RedisRateLimiter);
          if (limiter instanceof RedisRateLimiter) await limiter.ready();
        }
        const request = await limitedCredential([a, b], 4);
        await awayFromWindowEdge(60_000);
        const seen: string[] = [];
        for (const instance of [a, a, b, b, a, b]) {
          seen.push(remaining(await verify(instance.url, request)));
        }
        expect(seen).toEqual([
          '200 allowed 3',
          '200 allowed 2',
          '200 allowed 1',
          '200 allowed 0',
          '429 rate_limited 0',
          '429 rate_limited 0',
        ]);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    },
  );

  it('without Redis each instance counts alone', async () => {
    expect(server.app.gateway.limiter).not.toBeInstanceOf(RedisRateLimiter);
    const request = await limitedCredential([second], 4);
    await awayFromWindowEdge(60_000);
    const seen: string[] = [];
    for (const instance of [server, server, server, server, second, second, second, second]) {
      seen.push(remaining(await verify(instance.url, request)));
    }
    seen.push(remaining(await verify(server.url, request)));
    seen.push(remaining(await verify(second.url, request)));
    expect(seen).toEqual([
      '200 allowed 3',
      '200 allowed 2',
      '200 allowed 1',
      '200 allowed 0',
      '200 allowed 3',
      '200 allowed 2',
      '200 allowed 1',
      '200 allowed 0',
      '429 rate_limited 0',
      '429 rate_limited 0',
    ]);
  });
});
