import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser, uniqueEmail } from '../../test/builders.js';
import { fineGrainedToken } from '../../test/token-builders.js';
import {
  startSecondInstance,
  startTestServer,
  subscribe,
  type TestClient,
  type TestServer,
} from '../../test/harness.js';
import { parseEnv } from '../env.js';
import { addressKey } from './limits.js';
import { redisReachable } from '../../test/redis.js';

/**
 * The GraphQL API's rate limits: per session, per personal access token and, signed out, per
 * address; and sign-in, sign-up and password reset per address. Each server here sets small
 * limits of its own, in windows of an hour so that no window ends during a test.
 */
const VIEWER = `{ viewer { id } }`;
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`;
const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { sent } }`;
const REQUEST_RESET = `mutation ($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { sent }
}`;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** Posts as `client` would (its cookie or token), keeping the HTTP status and headers. */
async function post(
  server: TestServer,
  client: TestClient | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'apollo-require-preflight': 'true',
  };
  const cookie = client?.cookieHeader;
  if (cookie) headers.cookie = cookie;
  if (client?.bearer) headers.authorization = `Bearer ${client.bearer}`;
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Answer['body'],
  };
}

/** Expects the answer of an operation over a limit of `windowSeconds`. */
function expectRateLimited(answer: Answer, windowSeconds: number, field?: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(429);
  expect(answer.body.errors).toHaveLength(1);
  const extensions = answer.body.errors?.[0]?.extensions ?? {};
  expect(extensions.code).toBe('RATE_LIMITED');
  expect(extensions.field).toBe(field);
  const retryAfter = extensions.retryAfter;
  expect(typeof retryAfter).toBe('number');
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(answer.retryAfter).toBe(String(retryAfter));
  // Nothing of the operation ran.
  expect(answer.body.data ?? null).toBeNull();
}

/** Runs `query` as `client` until refused; returns how many were answered before. */
async function untilRefused(
  server: TestServer,
  client: TestClient | null,
  query: string,
  max: number,
  variables: () => Record<string, unknown> = () => ({}),
): Promise<{ allowed: number; refusal: Answer }> {
  for (let allowed = 0; allowed <= max; allowed++) {
    const answer = await post(server, client, query, variables());
    if (answer.status === 429) return { allowed, refusal: answer };
    expect(answer.body.errors?.[0]?.extensions?.code).not.toBe('RATE_LIMITED');
  }
  throw new Error(`${query} was never refused in ${max + 1} tries`);
}

describe('addresses', () => {
  it('counts IPv4 as it is and IPv6 by its /64 network', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey(null)).toBe('unknown');
  });
});

describe('the GraphQL API', () => {
  const WINDOW = 3600;
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        RATE_LIMIT_WINDOW_SECONDS: String(WINDOW),
        RATE_LIMIT_PER_SESSION: '5',
        RATE_LIMIT_PER_TOKEN: '3',
        RATE_LIMIT_PER_ADDRESS: '30',
      },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('refuses a session past its limit with RATE_LIMITED, 429 and Retry-After; other sessions go on', async () => {
    const user = await signUpUser(server);
    for (let i = 0; i < 5; i++) {
      const answer = await post(server, user.client, VIEWER);
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ viewer: { id: user.id } });
    }
    const refused = await post(server, user.client, VIEWER);
    expectRateLimited(refused, WINDOW);
    // Mutations are refused before they run, too.
    const rename = await post(
      server,
      user.client,
      `mutation { updateProfile(input: { name: "Renamed" }) { user { name } } }`,
    );
    expectRateLimited(rename, WINDOW);

    // The same user signed in elsewhere has a session, and a count, of its own.
    const elsewhere = server.client();
    await elsewhere.ok(SIGN_IN, { input: { email: user.email, password: user.password } });
    const answer = await post(server, elsewhere, `{ viewer { id name } }`);
    expect(answer.body.data).toEqual({ viewer: { id: user.id, name: 'Test User' } });
  });

  it('counts a personal access token apart from the session that made it', async () => {
    const user = await signUpUser(server);
    const made = await fineGrainedToken(user, { permissions: { ACCOUNT: 'READ' } });
    const api = server.client();
    api.bearer = made.token;
    const { allowed, refusal } = await untilRefused(server, api, VIEWER, 3);
    expect(allowed).toBe(3);
    expectRateLimited(refusal, WINDOW);
    // The session that made the token has used one operation of its five.
    expect((await post(server, user.client, VIEWER)).status).toBe(200);
  });

  it('refuses a WebSocket operation past the limit with the typed error', async () => {
    const user = await signUpUser(server);
    for (let i = 0; i < 5; i++) await user.client.ok(VIEWER);
    const live = await subscribe(server, user.client, `subscription { viewerEvents { id } }`);
    try {
      const [error] = await live.failure();
      expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(error?.extensions?.retryAfter).toBeGreaterThan(0);
      expect(error?.extensions?.retryAfter).toBeLessThanOrEqual(WINDOW);
      expect(error?.extensions).not.toHaveProperty('http');
    } finally {
      await live.close();
    }
    // A fresh session's subscription is counted against that session, and accepted.
    const fresh = await signUpUser(server);
    const accepted = await subscribe(server, fresh.client, `subscription { viewerEvents { id } }`);
    try {
      expect(accepted.errors).toBeNull();
    } finally {
      await accepted.close();
    }
  });

  it('counts the address a proxy on loopback forwards, not the proxy’s', async () => {
    const forwardedFor = (address: string) =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'apollo-require-preflight': 'true',
          'x-forwarded-for': address,
        },
        body: JSON.stringify({ query: VIEWER }),
      });
    let allowed = 0;
    while (allowed <= 30 && (await forwardedFor('203.0.113.7')).status === 200) allowed += 1;
    expect(allowed).toBe(30);
    expect((await forwardedFor('203.0.113.7')).status).toBe(429);
    expect((await forwardedFor('203.0.113.8')).status).toBe(200);
  });

  // Last: it uses up this address's anonymous operations.
  it('counts signed-out operations per address, apart from signed-in ones', async () => {
    const user = await signUpUser(server);
    const { allowed, refusal } = await untilRefused(server, null, VIEWER, 30);
    // The builders' sign-ups and sign-ins before this test came from this address too.
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThanOrEqual(30);
    expectRateLimited(refusal, WINDOW);
    // A forged token is refused (401) before anything runs; a session still has its own count.
    const forged = server.client();
    forged.bearer = 'not-a-token';
    expect((await post(server, forged, VIEWER)).status).toBe(401);
    expect((await post(server, user.client, VIEWER)).status).toBe(200);
  });
});

describe('sign-in, sign-up and password reset per address', () => {
  const WINDOW = 900;
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_RATE_LIMIT_PER_ADDRESS: '3' } });
  });

  afterAll(async () => {
    await server.close();
  });

  it('refuses the fourth attempt from one address whatever the email, each kind apart', async () => {
    const cases: [string, () => Record<string, unknown>][] = [
      [SIGN_IN, () => ({ input: { email: uniqueEmail('probe'), password: 'some password' } })],
      [
        SIGN_UP,
        () => ({ input: { email: uniqueEmail('new'), name: 'N', password: 'long enough one' } }),
      ],
      [REQUEST_RESET, () => ({ input: { email: uniqueEmail('reset') } })],
    ];
    for (const [operation, variables] of cases) {
      const { allowed, refusal } = await untilRefused(server, null, operation, 3, variables);
      expect(allowed, operation).toBe(3);
      expectRateLimited(refusal, WINDOW);
    }
  });
});

const REDIS_URL = parseEnv().REDIS_URL ?? 'redis://127.0.0.1:6379';

const redisUp = await redisReachable(REDIS_URL);
if (!redisUp) {
  console.warn(`api-limits: no Redis at ${REDIS_URL}; the shared-limits tests are skipped`);
}

describe.skipIf(!redisUp)(`with REDIS_URL (skipped when no Redis answers at ${REDIS_URL})`, () => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    // A prefix of this run's own, so that no other run's counters (same address) are shared.
    const env = {
      REDIS_URL,
      RATE_LIMIT_REDIS_PREFIX: `portico-test:${process.pid}:${Date.now()}:`,
      RATE_LIMIT_WINDOW_SECONDS: '3600',
      RATE_LIMIT_PER_SESSION: '4',
    };
    first = await startTestServer({ env });
    second = await startSecondInstance(first, { env });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('shares a session’s count between instances', async () => {
    const user = await signUpUser(first);
    for (const server of [first, second, first, second]) {
      expect((await post(server, user.client, VIEWER)).status).toBe(200);
    }
    expectRateLimited(await post(first, user.client, VIEWER), 3600);
    expectRateLimited(await post(second, user.client, VIEWER), 3600);
  });

  it('shares sign-in attempts per email between instances', async () => {
    const user = await signUpUser(first);
    for (let attempt = 0; attempt < 10; attempt++) {
      const server = attempt % 2 ? second : first;
      const answer = await post(server, null, SIGN_IN, {
        input: { email: user.email, password: 'wrong password' },
      });
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const limited = await post(second, null, SIGN_IN, {
      input: { email: user.email, password: user.password },
    });
    expectRateLimited(limited, 900, 'email');
  });
});
