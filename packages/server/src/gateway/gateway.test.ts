import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import {
  eventually,
  gatewayProduct,
  grantedApp,
  issueCredential,
  verify,
} from '../../test/gateway-builders.js';
import { generateToken } from '../crypto.js';
import { GatewayToken } from '../modules/gateway-tokens/gateway-tokens.entity.js';
import { sha256 } from '../crypto.js';

const server = useTestServer();

async function sql<T = Record<string, unknown>>(
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

const REVOKE = `mutation ($input: RevokeCredentialInput!) {
  revokeCredential(input: $input) { credential { id status } }
}`;

describe('GET /v1/verify', () => {
  it('allows a granted credential, with identity and rate-limit headers, and counts it', async () => {
    const product = await gatewayProduct(server);
    const { credential, appId, org } = await grantedApp(server, [product]);
    const answer = await verify(server.url, {
      token: credential.secret,
      uri: `${product.prefix}/items?x=1`,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ allowed: true });
    expect(answer.headers.get('x-portico-app')).toBe(appId);
    expect(answer.headers.get('x-portico-org')).toBe(org.id);
    expect(answer.headers.get('x-portico-environment')).toBe('production');
    expect(answer.headers.get('x-portico-credential')).toBe(credential.id);
    expect(answer.headers.get('x-portico-product')).toBe(product.slug);
    expect(answer.headers.get('x-ratelimit-limit')).toBe('60');
    expect(answer.headers.get('x-ratelimit-remaining')).toBe('59');

    await server.app.gateway.flush();
    const rows = await sql<{ requests: string; credential_id: string }>(
      'select requests::text, credential_id from usage_minute where app_id = ?',
      [appId],
    );
    expect(rows).toEqual([{ requests: '1', credential_id: credential.id }]);
    const [stored] = await sql<{ last_used_at: Date | null }>(
      'select last_used_at from credential where id = ?',
      [credential.id],
    );
    const lastUsed = new Date(stored?.last_used_at ?? 0).getTime();
    expect(Date.now() - lastUsed).toBeLessThan(10_000);
  });

  it('answers a cache hit without any database round trip', async () => {
    const product = await gatewayProduct(server);
    const { credential } = await grantedApp(server, [product]);
    const call = { token: credential.secret, uri: `${product.prefix}/a` };
    expect((await verify(server.url, call)).status).toBe(200);
    const before = server.app.gateway.db.queries;
    for (let i = 0; i < 20; i++) expect((await verify(server.url, call)).status).toBe(200);
    expect(server.app.gateway.db.queries).toBe(before);
  });

  it('refuses a revoked credential within a second of the revocation', async () => {
    const product = await gatewayProduct(server);
    const { credential, client } = await grantedApp(server, [product]);
    const call = { token: credential.secret, uri: product.prefix, apiKey: true };
    expect((await verify(server.url, call)).status).toBe(200);
    await client.ok(REVOKE, { input: { credentialId: credential.id } });
    const { value, elapsedMs } = await eventually(async () => {
      const answer = await verify(server.url, call);
      expect(answer.status).toBe(401);
      return answer;
    });
    expect(value.body.code).toBe('revoked_credential');
    expect(value.headers.get('www-authenticate')).toContain('invalid_token');
    expect(elapsedMs).toBeLessThan(1000);
  });

  it('refuses a token with a bad checksum without looking it up', async () => {
    const before = server.app.gateway.db.queries;
    const token = generateToken('pcs');
    const broken = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
    const answer = await verify(server.url, { token: broken, uri: '/x' });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('malformed_credential');
    expect(server.app.gateway.db.queries).toBe(before);
  });

  it('remembers unknown credentials (negative cache)', async () => {
    const token = generateToken('pbt');
    expect((await verify(server.url, { token, uri: '/x' })).body.code).toBe('unknown_credential');
    const before = server.app.gateway.db.queries;
    expect((await verify(server.url, { token, uri: '/x' })).body.code).toBe('unknown_credential');
    expect(server.app.gateway.db.queries).toBe(before);
  });
});

describe('POST /v1/keys/verify', () => {
  it('answers the decision as JSON', async () => {
    const product = await gatewayProduct(server);
    const { credential, appId } = await grantedApp(server, [product], {
      permissionLevel: 'READ',
    });
    const post = (body: unknown) =>
      fetch(`${server.url}/v1/keys/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({ key: credential.secret, method: 'GET', path: `${product.prefix}/x` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ valid: true, status: 200, code: null, app: appId });
    const denied = await post({ key: credential.secret, method: 'POST', path: product.prefix });
    expect(await denied.json()).toMatchObject({
      valid: false,
      status: 403,
      code: 'insufficient_permission',
      required: 'READ_WRITE',
      granted: 'READ',
    });
  });
});

describe('POST /v1/usage', () => {
  it('records a batch from a gateway token, or refuses it whole', async () => {
    const product = await gatewayProduct(server);
    const { credential, appId, client } = await grantedApp(server, [product]);
    const other = await issueCredential(client, appId, 'BEARER_TOKEN');
    const token = generateToken('pgw');
    await server.orm.em
      .fork()
      .persist(new GatewayToken('test gateway', sha256(token), token.slice(-4), null))
      .flush();
    const post = (body: unknown, auth = `Bearer ${token}`) =>
      fetch(`${server.url}/v1/usage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify(body),
      });
    const time = new Date().toISOString();
    const good = await post({
      events: [
        {
          credentialId: credential.id,
          product: product.slug,
          status: 200,
          responseTimeMs: 12,
          units: 5,
          time,
        },
        { credentialId: credential.id, product: product.id, status: 503, responseTimeMs: 40, time },
        {
          appId,
          credentialId: other.id,
          product: product.slug,
          status: 200,
          responseTimeMs: 3,
          time,
        },
      ],
    });
    expect(good.status).toBe(202);
    expect(await good.json()).toEqual({ accepted: 3 });
    const rows = await sql<Record<string, unknown>>(
      `select credential_id, responses::text, errors::text, units::text, response_time_min,
         response_time_max, response_time_sum from usage_minute where app_id = ? order by credential_id`,
      [appId],
    );
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.credential_id === credential.id)).toMatchObject({
      responses: '2',
      errors: '1',
      units: '5',
      response_time_min: 12,
      response_time_max: 40,
      response_time_sum: 52,
    });

    const bad = await post({
      events: [
        {
          credentialId: credential.id,
          product: product.slug,
          status: 200,
          responseTimeMs: 1,
          time,
        },
        { appId: 'app_nope', product: product.slug, status: 200, responseTimeMs: 1, time },
        { appId, product: product.slug, status: 99, responseTimeMs: 1, time },
      ],
    });
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { code: string; errors: { index: number; field: string }[] };
    expect(body.code).toBe('invalid_events');
    expect(body.errors).toEqual([expect.objectContaining({ index: 2, field: 'status' })]);
    const after = await sql<{ responses: string }>(
      'select sum(responses)::text as responses from usage_minute where app_id = ?',
      [appId],
    );
    expect(after[0]?.responses).toBe('3');

    expect((await post({ events: [] }, 'Bearer pgw_nope')).status).toBe(401);
  });
});
