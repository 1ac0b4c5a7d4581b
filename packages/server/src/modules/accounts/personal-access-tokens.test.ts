import { describe, expect, it } from 'vitest';
import { generateToken, sha256 } from '../../crypto.js';
import { useTestServer, type TestClient } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';

const server = useTestServer();

const CREATE = `mutation ($input: CreatePersonalAccessTokenInput!) {
  createPersonalAccessToken(input: $input) {
    token
    personalAccessToken { id name scopes lastFour expiresAt lastUsedAt revokedAt createdAt }
  }
}`;
const REVOKE = `mutation ($input: RevokePersonalAccessTokenInput!) {
  revokePersonalAccessToken(input: $input) { personalAccessToken { id revokedAt } }
}`;
const MY_TOKENS = `{ viewer { id personalAccessTokens {
  id name scopes lastFour expiresAt lastUsedAt revokedAt createdAt
} } }`;
const VIEWER = `{ viewer { id } }`;
const UPDATE_PROFILE = `mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { id name } }
}`;
const NODE = `query ($id: ID!) { node(id: $id) { id ... on PersonalAccessToken { name } } }`;

interface Pat {
  id: string;
  name: string;
  scopes: string[];
  lastFour: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

async function sql<T = Record<string, unknown>>(
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

async function createToken(
  user: SignedInUser,
  input: { name?: string; scopes?: string[]; expiresInDays?: number | null } = {},
): Promise<{ token: string; pat: Pat }> {
  const data = await user.client.ok<{
    createPersonalAccessToken: { token: string; personalAccessToken: Pat };
  }>(CREATE, { input: { name: 'CI', scopes: ['READ'], ...input } });
  return {
    token: data.createPersonalAccessToken.token,
    pat: data.createPersonalAccessToken.personalAccessToken,
  };
}

function bearerClient(token: string): TestClient {
  const client = server.client();
  client.bearer = token;
  return client;
}

async function tokenCount(userId: string): Promise<number> {
  const rows = await sql<{ n: number }>(
    'select count(*)::int as n from personal_access_token where user_id = ?',
    [userId],
  );
  return rows[0]?.n ?? -1;
}

describe('personal access tokens', () => {
  it('shows the secret once and stores only its hash and last four characters', async () => {
    const user = await signUpUser(server);
    const { token, pat } = await createToken(user, {
      name: ' Deploy bot ',
      scopes: ['WRITE', 'READ', 'READ'],
      expiresInDays: 30,
    });
    expect(token).toMatch(/^ptc_[0-9A-Za-z]{38}$/);
    expect(pat).toMatchObject({
      name: 'Deploy bot',
      scopes: ['READ', 'WRITE'],
      lastFour: token.slice(-4),
      lastUsedAt: null,
      revokedAt: null,
    });
    const days = (new Date(pat.expiresAt ?? 0).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    // Not retrievable later: no field, list or node holds the secret.
    const listed = await user.client.ok<{ viewer: { personalAccessTokens: Pat[] } }>(MY_TOKENS);
    expect(listed.viewer.personalAccessTokens).toEqual([pat]);
    expect(JSON.stringify(listed)).not.toContain(token);
    const node = await user.client.ok<{ node: Pat }>(NODE, { id: pat.id });
    expect(node.node).toEqual({ id: pat.id, name: 'Deploy bot' });
    const tokenFields = await user.client.ok<{ __type: { fields: { name: string }[] } }>(
      `{ __type(name: "PersonalAccessToken") { fields { name } } }`,
    );
    expect(tokenFields.__type.fields.map((f) => f.name).sort()).toEqual([
      'createdAt',
      'expiresAt',
      'id',
      'lastFour',
      'lastUsedAt',
      'name',
      'revokedAt',
      'scopes',
    ]);

    const rows = await sql<Record<string, unknown>>(
      'select * from personal_access_token where id = ?',
      [pat.id],
    );
    expect(rows[0]).toMatchObject({ token_hash: sha256(token), last_four: token.slice(-4) });
    expect(JSON.stringify(rows)).not.toContain(token);

    const audit = await sql<{ action: string; data: unknown }>(
      'select action, data from audit_entry where target_id = ?',
      [pat.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['token.create']);
    expect(JSON.stringify(audit)).not.toContain(token.slice(4));
  });

  it('lists the newest first and never expires without expiresInDays', async () => {
    const user = await signUpUser(server);
    const first = await createToken(user, { name: 'first' });
    const second = await createToken(user, { name: 'second', expiresInDays: null });
    expect(second.pat.expiresAt).toBeNull();
    const listed = await user.client.ok<{ viewer: { personalAccessTokens: Pat[] } }>(MY_TOKENS);
    expect(listed.viewer.personalAccessTokens.map((p) => p.id)).toEqual([
      second.pat.id,
      first.pat.id,
    ]);
  });

  it('authenticates API calls by bearer and records when it was last used', async () => {
    const user = await signUpUser(server);
    const { token, pat } = await createToken(user, { scopes: ['READ'] });
    const api = bearerClient(token);
    const me = await api.ok<{ viewer: { id: string } }>(VIEWER);
    expect(me.viewer.id).toBe(user.id);

    const listed = await user.client.ok<{ viewer: { personalAccessTokens: Pat[] } }>(MY_TOKENS);
    const used = listed.viewer.personalAccessTokens.find((p) => p.id === pat.id);
    expect(used?.lastUsedAt).not.toBeNull();
    expect(Math.abs(new Date(used?.lastUsedAt ?? 0).getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('refuses mutations to a READ-only token and allows them with WRITE', async () => {
    const user = await signUpUser(server, { name: 'Before' });
    const reader = bearerClient((await createToken(user, { scopes: ['READ'] })).token);
    const refused = await reader.fails(UPDATE_PROFILE, { input: { name: 'By reader' } });
    expect(refused.code).toBe('FORBIDDEN');
    const rows = await sql('select name from users where id = ?', [user.id]);
    expect(rows[0]).toEqual({ name: 'Before' });

    const writer = bearerClient((await createToken(user, { scopes: ['READ', 'WRITE'] })).token);
    const done = await writer.ok<{ updateProfile: { user: { name: string } } }>(UPDATE_PROFILE, {
      input: { name: 'By writer' },
    });
    expect(done.updateProfile.user.name).toBe('By writer');
  });

  it('cannot manage tokens or the password with a token (session only)', async () => {
    const user = await signUpUser(server);
    const { token, pat } = await createToken(user, { scopes: ['READ', 'WRITE'] });
    const api = bearerClient(token);
    const create = await api.fails(CREATE, { input: { name: 'more', scopes: ['READ'] } });
    expect(create.code).toBe('FORBIDDEN');
    const revoke = await api.fails(REVOKE, { input: { id: pat.id } });
    expect(revoke.code).toBe('FORBIDDEN');
    const password = await api.fails(
      `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { user { id } } }`,
      { input: { currentPassword: user.password, newPassword: 'a brand new passphrase' } },
    );
    expect(password.code).toBe('FORBIDDEN');
    expect(await tokenCount(user.id)).toBe(1);
    const rows = await sql('select revoked_at from personal_access_token where id = ?', [pat.id]);
    expect(rows[0]).toEqual({ revoked_at: null });
  });

  it('refuses a revoked token at once; only the owner can revoke it', async () => {
    const owner = await signUpUser(server);
    const stranger = await signUpUser(server);
    const { token, pat } = await createToken(owner);
    const api = bearerClient(token);
    await api.ok(VIEWER);

    const notYours = await stranger.client.fails(REVOKE, { input: { id: pat.id } });
    expect(notYours).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const strangerNode = await stranger.client.ok<{ node: null }>(NODE, { id: pat.id });
    expect(strangerNode.node).toBeNull();
    await api.ok(VIEWER);

    const revoked = await owner.client.ok<{
      revokePersonalAccessToken: { personalAccessToken: { revokedAt: string | null } };
    }>(REVOKE, { input: { id: pat.id } });
    expect(revoked.revokePersonalAccessToken.personalAccessToken.revokedAt).not.toBeNull();
    const refused = await api.fails(VIEWER);
    expect(refused.code).toBe('UNAUTHENTICATED');

    // Revoking again changes nothing and is not audited twice.
    await owner.client.ok(REVOKE, { input: { id: pat.id } });
    const audit = await sql<{ action: string }>(
      'select action from audit_entry where target_id = ? order by created_at',
      [pat.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);

    const unknown = await owner.client.fails(REVOKE, { input: { id: 'pat_doesnotexist' } });
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });

  it('refuses an expired token and one with a bad checksum or unknown secret', async () => {
    const user = await signUpUser(server);
    const { token, pat } = await createToken(user, { expiresInDays: 1 });
    await bearerClient(token).ok(VIEWER);
    await sql(
      `update personal_access_token set expires_at = now() - interval '1 second' where id = ?`,
      [pat.id],
    );
    expect((await bearerClient(token).fails(VIEWER)).code).toBe('UNAUTHENTICATED');

    const last = token.slice(-1) === 'a' ? 'b' : 'a';
    const badChecksum = `${token.slice(0, -1)}${last}`;
    expect((await bearerClient(badChecksum).fails(VIEWER)).code).toBe('UNAUTHENTICATED');
    expect((await bearerClient('not-a-token').fails(VIEWER)).code).toBe('UNAUTHENTICATED');
    // Well-formed, right checksum, but never issued.
    expect((await bearerClient(generateToken('ptc')).fails(VIEWER)).code).toBe('UNAUTHENTICATED');

    // Answered with HTTP 401, the status API clients expect for a bad credential.
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'apollo-require-preflight': 'true',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(response.status).toBe(401);
  });

  it('refuses bad input and creates nothing', async () => {
    const user = await signUpUser(server);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '', scopes: ['READ'] }, 'name'],
      [{ name: '   ', scopes: ['READ'] }, 'name'],
      [{ name: 'x'.repeat(101), scopes: ['READ'] }, 'name'],
      [{ name: 'ok', scopes: [] }, 'scopes'],
      [{ name: 'ok', scopes: ['READ'], expiresInDays: 0 }, 'expiresInDays'],
      [{ name: 'ok', scopes: ['READ'], expiresInDays: 366 }, 'expiresInDays'],
      [{ name: 'ok', scopes: ['READ'], expiresInDays: -5 }, 'expiresInDays'],
    ];
    for (const [input, field] of cases) {
      const refused = await user.client.fails(CREATE, { input });
      expect(refused, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const badScope = await user.client.fails(CREATE, { input: { name: 'ok', scopes: ['ADMIN'] } });
    expect(badScope.code).toBe('BAD_USER_INPUT');
    expect(await tokenCount(user.id)).toBe(0);
    const audit = await sql(
      `select count(*)::int as n from audit_entry where actor_id = ? and action like 'token.%'`,
      [user.id],
    );
    expect(audit[0]).toEqual({ n: 0 });

    const anonymous = await server
      .client()
      .fails(CREATE, { input: { name: 'x', scopes: ['READ'] } });
    expect(anonymous.code).toBe('UNAUTHENTICATED');
  });

  it('accepts a name of exactly 100 characters and 365 days', async () => {
    const user = await signUpUser(server);
    const { pat } = await createToken(user, { name: 'n'.repeat(100), expiresInDays: 365 });
    expect(pat.name).toHaveLength(100);
  });
});
