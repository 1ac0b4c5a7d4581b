import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser } from '../../test/builders.js';
import { CREATE_FINE_GRAINED } from '../../test/token-builders.js';
import { startTestServer, type TestClient, type TestServer } from '../../test/harness.js';

/**
 * The query cost budget: every answer tells the operation's cost and what is left; an
 * operation that costs more than is left is refused before it runs, with when the budget
 * resets. Budgets here are small, per session and per token.
 */
const SESSION_BUDGET = 40;
const TOKEN_BUDGET = 25;

/** 1 + 1 + 100 + 1 + 10 × (1 + 10 × (1 + 10)) = 1,213 nodes: 13 points. */
const COSTLY = `{ viewer {
  notifications(first: 100) { nodes { id } }
  organizations { projects { apps { id owner { id } } } }
} }`;
const COSTLY_COST = 13;

interface CostExtension {
  requested: number;
  limit: number;
  remaining: number;
  resetAt: string;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
    extensions?: { cost?: CostExtension };
  };
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    env: {
      COST_BUDGET_PER_SESSION: String(SESSION_BUDGET),
      COST_BUDGET_PER_TOKEN: String(TOKEN_BUDGET),
      RATE_LIMIT_PER_SESSION: '10000',
      RATE_LIMIT_PER_TOKEN: '10000',
    },
  });
});

afterAll(async () => {
  await server.close();
});

async function post(client: TestClient, query: string, variables = {}): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'apollo-require-preflight': 'true',
  };
  if (client.cookieHeader) headers.cookie = client.cookieHeader;
  if (client.bearer) headers.authorization = `Bearer ${client.bearer}`;
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

/** A budget resets at the start of the next clock hour (UTC). */
function expectNextHour(value: unknown): void {
  expect(typeof value).toBe('string');
  const resetAt = Date.parse(value as string);
  expect(resetAt % 3_600_000).toBe(0);
  expect(resetAt).toBeGreaterThan(Date.now() - 60_000);
  expect(resetAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
}

describe('the query cost budget', () => {
  it('tells every answer its cost and what is left, and rateLimit says the same', async () => {
    const user = await signUpUser(server);
    const first = await post(user.client, '{ viewer { id } }');
    expect(first.status).toBe(200);
    expect(first.body.extensions?.cost).toMatchObject({
      requested: 1,
      limit: SESSION_BUDGET,
      remaining: SESSION_BUDGET - 1,
    });
    expectNextHour(first.body.extensions?.cost?.resetAt);
    const second = await post(user.client, COSTLY);
    expect(second.status).toBe(200);
    expect(second.body.extensions?.cost?.requested).toBe(COSTLY_COST);
    expect(second.body.extensions?.cost?.remaining).toBe(SESSION_BUDGET - 1 - COSTLY_COST);
    const asked = await post(user.client, '{ rateLimit { cost limit remaining resetAt } }');
    expect(asked.body.data?.rateLimit).toMatchObject({
      cost: 1,
      limit: SESSION_BUDGET,
      remaining: SESSION_BUDGET - 2 - COSTLY_COST,
    });
    expectNextHour((asked.body.data?.rateLimit as { resetAt: string }).resetAt);
    expect(asked.body.extensions?.cost?.remaining).toBe(SESSION_BUDGET - 2 - COSTLY_COST);
  });

  it('refuses an operation that costs more than is left before it runs, with the reset time', async () => {
    const user = await signUpUser(server, { name: 'Before' });
    // 40 - 13 - 13 - 13 = 1 point left.
    for (let i = 0; i < 3; i++) expect((await post(user.client, COSTLY)).status).toBe(200);
    const refused = await post(user.client, COSTLY);
    expect(refused.status).toBe(429);
    expect(refused.body.data ?? null).toBeNull();
    const extensions = refused.body.errors?.[0]?.extensions ?? {};
    expect(extensions).toMatchObject({ code: 'RATE_LIMITED', cost: COSTLY_COST, remaining: 1 });
    expectNextHour(extensions.resetAt);
    expect(refused.retryAfter).toBe(String(extensions.retryAfter));
    expect(refused.body.errors?.[0]?.message).toContain(`costs ${COSTLY_COST}`);

    // What is left still serves a cheap read; a mutation (1 + 5 points) over it changes nothing.
    expect((await post(user.client, '{ viewer { id } }')).status).toBe(200);
    const rename = await post(
      user.client,
      `mutation { updateProfile(input: { name: "After" }) { user { name } } }`,
    );
    expect(rename.status).toBe(429);
    const stillThere = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ name: string }[]>('select name from users where id = ?', [user.id]);
    expect(stillThere[0]?.name).toBe('Before');

    // Another session of another user has its own budget.
    const other = await signUpUser(server);
    expect((await post(other.client, COSTLY)).status).toBe(200);
  });

  it('refuses an operation that may return more than 50,000 objects, spending nothing', async () => {
    const user = await signUpUser(server);
    // viewer, organizations, then 10 × (projects page, 100 × (project, apps page,
    // 100 × (app, owner))) = 202,012 objects.
    const huge = await post(
      user.client,
      `{ viewer { organizations { projectsConnection(first: 100) {
        nodes { appsConnection(first: 100) { nodes { owner { id } } } } } } } }`,
    );
    expect(huge.body.data ?? null).toBeNull();
    expect(huge.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'query',
      nodes: 202_012,
      maxNodes: 50_000,
    });
    const next = await post(user.client, '{ viewer { id } }');
    expect(next.body.extensions?.cost?.remaining).toBe(SESSION_BUDGET - 1);
  });

  it('gives a personal access token a budget of its own', async () => {
    const user = await signUpUser(server);
    const made = await post(user.client, CREATE_FINE_GRAINED, {
      input: {
        name: 'ci',
        permissions: [{ area: 'ACCOUNT', level: 'READ' }],
        expiresInDays: 30,
      },
    });
    const token = (made.body.data?.createFineGrainedPersonalAccessToken as { token: string }).token;
    const api = server.client();
    api.bearer = token;
    const answer = await post(api, '{ viewer { id } }');
    expect(answer.body.extensions?.cost).toMatchObject({
      requested: 1,
      limit: TOKEN_BUDGET,
      remaining: TOKEN_BUDGET - 1,
    });
  });
});
