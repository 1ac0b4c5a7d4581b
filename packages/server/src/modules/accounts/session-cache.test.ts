import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser } from '../../../test/builders.js';
import { eventually } from '../../../test/gateway-builders.js';
import { startSecondInstance, useTestServer, type TestServer } from '../../../test/harness.js';
import { User } from './accounts.entity.js';

/** Instance A (where the changes are made) and B, on the same database. */
const server = useTestServer({ smtp: false });
let second: TestServer;

beforeAll(async () => {
  second = await startSecondInstance(server, { smtp: false });
});

afterAll(async () => {
  await second.close();
});

const VIEWER = '{ viewer { id name emailVerifiedAt platformRole } }';

interface ViewerSeen {
  id: string;
  name: string;
  emailVerifiedAt: string | null;
  platformRole: string;
}

/** The viewer `url` sees for the session cookie `cookie` (null: not signed in). */
async function viewerOn(url: string, cookie: string | undefined): Promise<ViewerSeen | null> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'apollo-require-preflight': 'true',
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify({ query: VIEWER }),
  });
  const body = (await response.json()) as { data?: { viewer: ViewerSeen | null } };
  if (!body.data) throw new Error(`viewer query failed: ${JSON.stringify(body)}`);
  return body.data.viewer;
}

/** Signs a user up on A and has both instances cache their session. */
async function cachedOnBoth() {
  const user = await signUpUser(server);
  const cookie = user.client.cookieHeader;
  for (const instance of [server, second]) {
    expect((await viewerOn(instance.url, cookie))?.id).toBe(user.id);
    expect((await viewerOn(instance.url, cookie))?.id).toBe(user.id);
  }
  return { user, cookie };
}

describe('the session cache', () => {
  it('answers a session seen before without a database statement, with the same viewer', async () => {
    const user = await signUpUser(server, { verifyEmail: true });
    const cookie = user.client.cookieHeader;
    second.app.sessions.forgetUser(user.id);
    const read = await viewerOn(second.url, cookie);
    expect(read?.emailVerifiedAt).toMatch(/^\d{4}-/);
    second.queries.length = 0;
    expect(await viewerOn(second.url, cookie)).toEqual(read);
    expect(second.queries.filter((sql) => /\bsession\b/.test(sql))).toEqual([]);
    expect(second.app.sessions.stats.hits).toBeGreaterThan(0);
  });

  it('a sign-out on instance A is refused on A at once and on B within a second', async () => {
    const { user, cookie } = await cachedOnBoth();
    await user.client.ok('mutation { signOut { signedOut } }');
    expect(await viewerOn(server.url, cookie)).toBeNull();
    const { elapsedMs } = await eventually(async () => {
      expect(await viewerOn(second.url, cookie)).toBeNull();
    });
    expect(elapsedMs).toBeLessThanOrEqual(1000);
  });

  it('a password change on A ends the other sessions on B within a second', async () => {
    const { user } = await cachedOnBoth();
    const otherTab = server.client();
    await otherTab.ok('mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }', {
      input: { email: user.email, password: user.password },
    });
    const other = otherTab.cookieHeader;
    expect((await viewerOn(second.url, other))?.id).toBe(user.id);
    await user.client.ok(
      'mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { user { id } } }',
      { input: { currentPassword: user.password, newPassword: 'a different long passphrase' } },
    );
    expect(await viewerOn(server.url, other)).toBeNull();
    await eventually(async () => {
      expect(await viewerOn(second.url, other)).toBeNull();
    });
    // The session that changed the password still works, on both.
    expect((await viewerOn(second.url, user.client.cookieHeader))?.id).toBe(user.id);
  });

  it('a profile change on A shows on B within a second', async () => {
    const { user, cookie } = await cachedOnBoth();
    await user.client.ok(
      'mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { user { id } } }',
      { input: { name: 'Renamed Person' } },
    );
    expect((await viewerOn(server.url, cookie))?.name).toBe('Renamed Person');
    await eventually(async () => {
      expect((await viewerOn(second.url, cookie))?.name).toBe('Renamed Person');
    });
  });

  it('keeps nothing read by a lookup that a forget overtook, and nothing past its age', () => {
    const cache = second.app.sessions;
    const user = new User('race@example.com', 'Race', 'not-a-hash');
    const entry = (readAt: number) => ({
      sessionId: 'ses_race',
      userId: user.id,
      expiresAt: Date.now() + 60_000,
      user,
      readAt,
    });
    const overtaken = cache.beginLookup();
    cache.forgetUser('usr_other');
    cache.set(overtaken, 'hash-race', entry(Date.now()));
    expect(cache.get('hash-race', Date.now())).toBeUndefined();

    cache.set(cache.beginLookup(), 'hash-race', entry(Date.now() - 31_000));
    expect(cache.get('hash-race', Date.now())).toBeUndefined();

    cache.set(cache.beginLookup(), 'hash-race', entry(Date.now()));
    expect(cache.get('hash-race', Date.now())?.sessionId).toBe('ses_race');
    cache.forgetSession('ses_race');
    expect(cache.get('hash-race', Date.now())).toBeUndefined();
  });
});
