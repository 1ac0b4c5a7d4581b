import { describe, expect, it } from 'vitest';
import { generateToken, sha256 } from '../../crypto.js';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { createOrg } from '../../../test/org-builders.js';
import { bearerClient, classicToken, fineGrainedToken } from '../../../test/token-builders.js';

/**
 * Classic (READ / WRITE) tokens, made before fine-grained ones: they keep working until they
 * expire or are revoked, show as CLASSIC, and can no longer be made. And what every token
 * shares: refused when revoked, expired or malformed (HTTP 401), its last use recorded (time
 * and address) at most once a minute.
 */
const server = useTestServer();

const CREATE_CLASSIC = `mutation ($input: CreatePersonalAccessTokenInput!) {
  createPersonalAccessToken(input: $input) { token personalAccessToken { id } }
}`;
const REVOKE = `mutation ($input: RevokePersonalAccessTokenInput!) {
  revokePersonalAccessToken(input: $input) { personalAccessToken { id revokedAt status } }
}`;
const MY_TOKENS = `{ viewer { id personalAccessTokens {
  id name kind scopes permissions { area level } status lastFour expiresAt lastUsedAt lastUsedIp
  revokedAt organization { id }
} } }`;
const VIEWER = `{ viewer { id } }`;
const UPDATE_PROFILE = `mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { id name } }
}`;
const NODE = `query ($id: ID!) { node(id: $id) { id ... on PersonalAccessToken { name kind } } }`;

interface Listed {
  id: string;
  name: string;
  kind: string;
  scopes: string[];
  permissions: { area: string; level: string }[];
  status: string;
  lastFour: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  organization: { id: string } | null;
}

async function sql<T = Record<string, unknown>>(
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

async function listed(user: SignedInUser, id: string): Promise<Listed | undefined> {
  const data = await user.client.ok<{ viewer: { personalAccessTokens: Listed[] } }>(MY_TOKENS);
  return data.viewer.personalAccessTokens.find((token) => token.id === id);
}

async function tokenCount(userId: string): Promise<number> {
  const rows = await sql<{ n: number }>(
    'select count(*)::int as n from personal_access_token where user_id = ?',
    [userId],
  );
  return rows[0]?.n ?? -1;
}

describe('classic personal access tokens', () => {
  it('keep working with their scopes, and are listed as CLASSIC', async () => {
    const user = await signUpUser(server, { name: 'Before' });
    const reader = await classicToken(server, user.id, { scopes: ['READ'], name: 'reader' });
    const writer = await classicToken(server, user.id, { scopes: ['READ', 'WRITE'] });
    const forever = await classicToken(server, user.id, { expiresInDays: null });

    const me = await bearerClient(server, reader.token).ok<{ viewer: { id: string } }>(VIEWER);
    expect(me.viewer.id).toBe(user.id);
    const refused = await bearerClient(server, reader.token).fails(UPDATE_PROFILE, {
      input: { name: 'By reader' },
    });
    expect(refused.code).toBe('FORBIDDEN');
    expect((await sql('select name from users where id = ?', [user.id]))[0]).toEqual({
      name: 'Before',
    });
    const done = await bearerClient(server, writer.token).ok<{
      updateProfile: { user: { name: string } };
    }>(UPDATE_PROFILE, { input: { name: 'By writer' } });
    expect(done.updateProfile.user.name).toBe('By writer');
    // One that never expires (made before expiry was required) works too.
    await bearerClient(server, forever.token).ok(VIEWER);

    expect(await listed(user, reader.id)).toMatchObject({
      name: 'reader',
      kind: 'CLASSIC',
      scopes: ['READ'],
      permissions: [],
      status: 'ACTIVE',
      lastFour: reader.token.slice(-4),
      organization: null,
    });
    expect((await listed(user, forever.id))?.expiresAt).toBeNull();
    const node = await user.client.ok<{ node: { kind: string } }>(NODE, { id: reader.id });
    expect(node.node.kind).toBe('CLASSIC');
  });

  it('can no longer be made: refused, nothing stored or audited', async () => {
    const user = await signUpUser(server);
    const refused = await user.client.fails(CREATE_CLASSIC, {
      input: { name: 'ci', scopes: ['READ', 'WRITE'], expiresInDays: 30 },
    });
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toMatch(/fine-grained/);
    const badInput = await user.client.fails(CREATE_CLASSIC, { input: { name: '', scopes: [] } });
    expect(badInput).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(await tokenCount(user.id)).toBe(0);
    const audit = await sql(
      `select count(*)::int as n from audit_entry where actor_id = ? and action like 'token.%'`,
      [user.id],
    );
    expect(audit[0]).toEqual({ n: 0 });
  });

  it('lose access to the data of an organization that forbids tokens, and keep the rest', async () => {
    const admin = await signUpUser(server);
    const strict = await createOrg(admin.client, 'Strict Org');
    const open = await createOrg(admin.client, 'Open Org');
    const { token } = await classicToken(server, admin.id, { scopes: ['READ', 'WRITE'] });
    const api = bearerClient(server, token);
    const ORG = `query ($id: ID!) { organization(id: $id) { id } }`;
    await api.ok(ORG, { id: strict.id });

    await admin.client.ok(
      `mutation ($id: ID!) { setOrganizationTokenPolicy(input: { organizationId: $id, policy: FORBID }) { organization { tokenPolicy } } }`,
      { id: strict.id },
    );
    expect((await api.fails(ORG, { id: strict.id })).code).toBe('NOT_FOUND');
    const mine = await api.ok<{ viewer: { organizations: { id: string }[] } }>(
      `{ viewer { organizations { id } } }`,
    );
    expect(mine.viewer.organizations.map((org) => org.id)).toEqual([open.id]);
    await api.ok(ORG, { id: open.id });
    // The session still sees both.
    await admin.client.ok(ORG, { id: strict.id });

    await admin.client.ok(
      `mutation ($id: ID!) { setOrganizationTokenPolicy(input: { organizationId: $id, policy: ALLOW }) { organization { tokenPolicy } } }`,
      { id: strict.id },
    );
    await api.ok(ORG, { id: strict.id });
  });
});

describe('every personal access token', () => {
  it('is refused at once once revoked; only its owner can revoke it', async () => {
    const owner = await signUpUser(server);
    const stranger = await signUpUser(server);
    const classic = await classicToken(server, owner.id);
    const fine = await fineGrainedToken(owner, { permissions: { ACCOUNT: 'READ' } });
    for (const { token, id } of [classic, fine]) {
      const api = bearerClient(server, token);
      await api.ok(VIEWER);
      const notYours = await stranger.client.fails(REVOKE, { input: { id } });
      expect(notYours).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
      expect((await stranger.client.ok<{ node: null }>(NODE, { id })).node).toBeNull();
      await api.ok(VIEWER);

      const revoked = await owner.client.ok<{
        revokePersonalAccessToken: { personalAccessToken: { revokedAt: string; status: string } };
      }>(REVOKE, { input: { id } });
      expect(revoked.revokePersonalAccessToken.personalAccessToken.status).toBe('REVOKED');
      expect((await api.fails(VIEWER)).code).toBe('UNAUTHENTICATED');

      // Revoking again changes nothing and is not audited twice.
      await owner.client.ok(REVOKE, { input: { id } });
      const audit = await sql<{ action: string }>(
        'select action from audit_entry where target_id = ? order by created_at',
        [id],
      );
      expect(audit.map((a) => a.action)).toEqual(
        id === classic.id ? ['token.revoke'] : ['token.create', 'token.revoke'],
      );
    }
    const unknown = await owner.client.fails(REVOKE, { input: { id: 'pat_doesnotexist' } });
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });

  it('is refused when expired, malformed or unknown, with HTTP 401', async () => {
    const user = await signUpUser(server);
    const classic = await classicToken(server, user.id, { expiresInDays: 1 });
    const fine = await fineGrainedToken(user, {
      permissions: { ACCOUNT: 'READ' },
      expiresInDays: 1,
    });
    for (const { token, id } of [classic, fine]) {
      await bearerClient(server, token).ok(VIEWER);
      await sql(
        `update personal_access_token set expires_at = now() - interval '1 second' where id = ?`,
        [id],
      );
      expect((await bearerClient(server, token).fails(VIEWER)).code).toBe('UNAUTHENTICATED');
      expect((await listed(user, id))?.status).toBe('EXPIRED');
      const last = token.slice(-1) === 'a' ? 'b' : 'a';
      const badChecksum = `${token.slice(0, -1)}${last}`;
      expect((await bearerClient(server, badChecksum).fails(VIEWER)).code).toBe('UNAUTHENTICATED');
    }
    expect((await bearerClient(server, 'not-a-token').fails(VIEWER)).code).toBe('UNAUTHENTICATED');
    // Well-formed, right checksum, but never issued.
    for (const prefix of ['ptc', 'ptf']) {
      const never = bearerClient(server, generateToken(prefix));
      expect((await never.fails(VIEWER)).code).toBe('UNAUTHENTICATED');
    }

    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'apollo-require-preflight': 'true',
        authorization: `Bearer ${fine.token}`,
      },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(response.status).toBe(401);
  });

  it('records when and from where it was last used, writing at most once a minute', async () => {
    const user = await signUpUser(server);
    const { token, id } = await fineGrainedToken(user, { permissions: { ACCOUNT: 'READ' } });
    expect(await listed(user, id)).toMatchObject({ lastUsedAt: null, lastUsedIp: null });

    // Statements that wrote a row (racing requests may each try; the row takes one).
    const writes = () =>
      server.queries.filter((query) =>
        /update "personal_access_token" set "last_used_at".*\b1 row affected/.test(query),
      ).length;
    server.queries.length = 0;
    const api = bearerClient(server, token);
    // Side by side: one write between them.
    await Promise.all(Array.from({ length: 8 }, () => api.ok(VIEWER)));
    for (let i = 0; i < 4; i++) await api.ok(VIEWER);
    expect(writes()).toBe(1);
    const used = await listed(user, id);
    expect(used?.lastUsedIp).toMatch(/127\.0\.0\.1/);
    const usedAt = new Date(used?.lastUsedAt ?? 0).getTime();
    expect(Math.abs(usedAt - Date.now())).toBeLessThan(60_000);

    // A minute later, the next request writes again.
    await sql(
      `update personal_access_token set last_used_at = last_used_at - interval '2 minutes', last_used_ip = null where id = ?`,
      [id],
    );
    server.queries.length = 0;
    await api.ok(VIEWER);
    expect(writes()).toBe(1);
    const again = await listed(user, id);
    expect(new Date(again?.lastUsedAt ?? 0).getTime()).toBeGreaterThan(usedAt - 120_000 + 1);
    expect(again?.lastUsedIp).toMatch(/127\.0\.0\.1/);

    // Stored as a hash: the row holds no token.
    const rows = await sql('select * from personal_access_token where id = ?', [id]);
    expect(rows[0]).toMatchObject({ token_hash: sha256(token), last_four: token.slice(-4) });
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('cannot manage tokens or the password (session only)', async () => {
    const user = await signUpUser(server);
    const classic = await classicToken(server, user.id, { scopes: ['READ', 'WRITE'] });
    const fine = await fineGrainedToken(user, {
      permissions: { ACCOUNT: 'WRITE', NOTIFICATIONS: 'WRITE' },
    });
    for (const { token, id } of [classic, fine]) {
      const api = bearerClient(server, token);
      const revoke = await api.fails(REVOKE, { input: { id } });
      expect(revoke.code).toBe('FORBIDDEN');
      const create = await api.fails(
        `mutation ($input: CreateFineGrainedPersonalAccessTokenInput!) { createFineGrainedPersonalAccessToken(input: $input) { token } }`,
        {
          input: {
            name: 'more',
            permissions: [{ area: 'ACCOUNT', level: 'READ' }],
            expiresInDays: 1,
          },
        },
      );
      expect(create.code).toBe('FORBIDDEN');
      const password = await api.fails(
        `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { user { id } } }`,
        { input: { currentPassword: user.password, newPassword: 'a brand new passphrase' } },
      );
      expect(password.code).toBe('FORBIDDEN');
    }
    expect(await tokenCount(user.id)).toBe(2);
  });
});
