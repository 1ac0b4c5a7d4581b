import { describe, expect, it } from 'vitest';
import { hasValidChecksum, sha256 } from '../../crypto.js';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { auditEntriesFor } from '../../../test/app-builders.js';
import { eventsFor } from '../../../test/grant-builders.js';
import { GATEWAY_TOKEN_PREFIX } from './gateway-tokens.entity.js';

const server = useTestServer();

const FIELDS = `id name lastFour createdAt lastUsedAt revokedAt createdBy { id name } revokedBy { id }`;
const LIST = `{ gatewayTokens { ${FIELDS} } }`;
const CREATE = `mutation ($input: CreateGatewayTokenInput!) {
  createGatewayToken(input: $input) { token gatewayToken { ${FIELDS} } }
}`;
const REVOKE = `mutation ($input: RevokeGatewayTokenInput!) {
  revokeGatewayToken(input: $input) { gatewayToken { ${FIELDS} } }
}`;
const NODE = `query ($id: ID!) { node(id: $id) { id ... on GatewayToken { name } } }`;

interface GatewayTokenFields {
  id: string;
  name: string;
  lastFour: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: { id: string; name: string } | null;
  revokedBy: { id: string } | null;
}

async function create(
  staff: SignedInUser,
  name = 'edge NGINX eu-west',
): Promise<{ token: string; gatewayToken: GatewayTokenFields }> {
  const data = await staff.client.ok<{
    createGatewayToken: { token: string; gatewayToken: GatewayTokenFields };
  }>(CREATE, { input: { name } });
  return data.createGatewayToken;
}

async function revoke(staff: SignedInUser, gatewayTokenId: string): Promise<GatewayTokenFields> {
  const data = await staff.client.ok<{ revokeGatewayToken: { gatewayToken: GatewayTokenFields } }>(
    REVOKE,
    { input: { gatewayTokenId } },
  );
  return data.revokeGatewayToken.gatewayToken;
}

async function list(staff: SignedInUser): Promise<GatewayTokenFields[]> {
  return (await staff.client.ok<{ gatewayTokens: GatewayTokenFields[] }>(LIST)).gatewayTokens;
}

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

/** Every gateway token, audit entry and event row, as text. */
async function storedText(): Promise<string> {
  const rows = await sql<{ text: string }>(
    `select (select coalesce(json_agg(g)::text, '') from gateway_token g)
       || (select coalesce(json_agg(a)::text, '') from audit_entry a)
       || (select coalesce(json_agg(e)::text, '') from domain_event e) as text`,
  );
  return rows[0]?.text ?? '';
}

describe('gateway tokens', () => {
  it('staff make one: shown once in its format, stored as a hash, audited without it', async () => {
    const staff = await signUpUser(server, { staff: true, name: 'Stella Staff' });
    const { token, gatewayToken } = await create(staff, '  edge NGINX eu-west  ');

    expect(token).toMatch(/^pgw_[0-9A-Za-z]{38}$/);
    expect(hasValidChecksum(token, GATEWAY_TOKEN_PREFIX)).toBe(true);
    const last = token.at(-1) === 'a' ? 'b' : 'a';
    expect(hasValidChecksum(token.slice(0, -1) + last, GATEWAY_TOKEN_PREFIX)).toBe(false);
    expect(gatewayToken).toMatchObject({
      name: 'edge NGINX eu-west',
      lastFour: token.slice(-4),
      lastUsedAt: null,
      revokedAt: null,
      createdBy: { id: staff.id, name: 'Stella Staff' },
      revokedBy: null,
    });
    expect(gatewayToken.id).toMatch(/^gwt_/);

    const [row] = await sql<{ token_hash: string; last_four: string }>(
      `select token_hash, last_four from gateway_token where id = ?`,
      [gatewayToken.id],
    );
    expect(row).toEqual({ token_hash: sha256(token), last_four: token.slice(-4) });
    expect(await storedText()).not.toContain(token);
    expect(await storedText()).not.toContain(token.slice(4, -4));

    const audit = await auditEntriesFor(server, gatewayToken.id);
    expect(audit.map((entry) => [entry.action, entry.organization, entry.actor?.id])).toEqual([
      ['gateway_token.create', null, staff.id],
    ]);
    expect(audit[0]?.data).toEqual({ name: 'edge NGINX eu-west' });

    // Listed (newest first) and reachable by id, never with the token.
    const second = await create(staff, 'Kong us-east');
    const listed = await list(staff);
    const ids = listed.map((t) => t.id);
    expect(ids.indexOf(second.gatewayToken.id)).toBeLessThan(ids.indexOf(gatewayToken.id));
    expect(JSON.stringify(listed)).not.toContain(token);
    const node = await staff.client.ok<{ node: { id: string; name: string } | null }>(NODE, {
      id: gatewayToken.id,
    });
    expect(node.node).toEqual({ id: gatewayToken.id, name: 'edge NGINX eu-west' });

    // Every gateway reloads its catalog when a token is added.
    expect(
      (await eventsFor(server, { subjectId: gatewayToken.id })).map((e) => [e.topic, e.kind]),
    ).toEqual([['gateway', 'gateway_token.created']]);
  });

  it('has no field that could read the token back', async () => {
    const staff = await signUpUser(server, { staff: true });
    const data = await staff.client.ok<{ __type: { fields: { name: string }[] } }>(
      `{ __type(name: "GatewayToken") { fields { name } } }`,
    );
    const names = data.__type.fields.map((f) => f.name);
    expect(names).toContain('lastFour');
    expect(names.filter((name) => /token|secret|hash/i.test(name))).toEqual([]);
  });

  it.each([
    ['', 'Name is required.'],
    ['   ', 'Name is required.'],
    ['x'.repeat(101), 'Name must be at most 100 characters.'],
  ])('refuses the name %j and makes nothing', async (name, message) => {
    const staff = await signUpUser(server, { staff: true });
    const before = (await list(staff)).length;
    const failure = await staff.client.fails(CREATE, { input: { name } });
    expect(failure).toEqual({ code: 'BAD_USER_INPUT', field: 'name', message });
    expect(await list(staff)).toHaveLength(before);
  });

  it('revokes once: revoking again changes nothing and tells the gateways once', async () => {
    const staff = await signUpUser(server, { staff: true });
    const other = await signUpUser(server, { staff: true });
    const { token, gatewayToken } = await create(staff);

    const revoked = await revoke(staff, gatewayToken.id);
    expect(revoked).toMatchObject({ id: gatewayToken.id, revokedBy: { id: staff.id } });
    expect(revoked.revokedAt).not.toBeNull();
    const again = await revoke(other, gatewayToken.id);
    expect(again).toMatchObject({ revokedAt: revoked.revokedAt, revokedBy: { id: staff.id } });

    const events = await eventsFor(server, {
      subjectId: gatewayToken.id,
      kind: 'gateway_token.revoked',
    });
    expect(events.map((e) => [e.topic, e.data])).toEqual([['gateway', {}]]);
    const audit = await auditEntriesFor(server, gatewayToken.id);
    expect(audit.map((entry) => entry.action)).toEqual([
      'gateway_token.create',
      'gateway_token.revoke',
    ]);
    expect(audit[1]?.organization).toBeNull();
    expect(JSON.stringify(audit.map((entry) => entry.data))).not.toContain(token.slice(-4));
    expect(await storedText()).not.toContain(token);

    expect(
      await staff.client.fails(REVOKE, { input: { gatewayTokenId: 'gwt_doesnotexist' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'gatewayTokenId' });
  });

  it('is for staff only', async () => {
    const staff = await signUpUser(server, { staff: true });
    const developer = await signUpUser(server);
    const { gatewayToken } = await create(staff);
    const anonymous = server.client();

    for (const [operation, variables] of [
      [LIST, {}],
      [CREATE, { input: { name: 'sneaky' } }],
      [REVOKE, { input: { gatewayTokenId: gatewayToken.id } }],
    ] as const) {
      expect((await developer.client.fails(operation, variables)).code).toBe('FORBIDDEN');
      expect((await anonymous.fails(operation, variables)).code).toBe('UNAUTHENTICATED');
    }
    const node = await developer.client.ok<{ node: unknown }>(NODE, { id: gatewayToken.id });
    expect(node.node).toBeNull();
    const [row] = await sql<{ revoked_at: Date | null; count: string }>(
      `select (select revoked_at from gateway_token where id = ?) as revoked_at,
              (select count(*) from gateway_token where name = 'sneaky') as count`,
      [gatewayToken.id],
    );
    expect(row).toEqual({ revoked_at: null, count: '0' });
  });
});
