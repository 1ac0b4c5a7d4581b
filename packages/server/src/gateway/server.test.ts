import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { orgWithMembers, type OrgWithMembers } from '../../test/app-builders.js';
import {
  appInOrg,
  eventually,
  gatewayProduct,
  outcome,
  revokeCredential,
  sql,
  verify,
  type GatewayProduct,
  type VerifyCall,
} from '../../test/gateway-builders.js';
import { createTestDatabase, useTestServer } from '../../test/harness.js';
import { capturedLogger } from '../../test/log-capture.js';
import { clientCredentialsTokens, discover, oauthApp } from '../../test/oauth-builders.js';
import { parseEnv } from '../env.js';
import { createGatewayServer, type GatewayServer } from './server.js';

/** A portal instance (every change is made there) and a gateway instance on its database. */
const server = useTestServer({ smtp: false });
let gatewayInstance: GatewayServer;
let org: OrgWithMembers;
let product: GatewayProduct;

function gatewayEnv(extra: Record<string, string> = {}): ReturnType<typeof parseEnv> {
  return parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    INSTANCE_ROLE: 'gateway',
    DATABASE_URL: server.databaseUrl,
    PUBLIC_URL: server.app.oauth.issuer,
    ...extra,
  });
}

/** Reloads the gateway instance's catalog (products written straight to the database). */
async function reloadGatewayCatalog(): Promise<void> {
  await gatewayInstance.gateway.catalog.reload();
  await gatewayInstance.gateway.catalog.reload();
}

beforeAll(async () => {
  gatewayInstance = await createGatewayServer(gatewayEnv(), capturedLogger('gateway-instance'));
  org = await orgWithMembers(server);
  product = await gatewayProduct(server);
  await reloadGatewayCatalog();
});

afterAll(async () => {
  await gatewayInstance.close();
});

function admin(): OrgWithMembers['admins'][number] {
  const first = org.admins[0];
  if (!first) throw new Error('no admin');
  return first;
}

describe('a gateway instance (INSTANCE_ROLE=gateway)', () => {
  it('verifies a credential made on the portal, with the same answer and headers', async () => {
    const { appId, credential } = await appInOrg(admin().client, org.id, [product]);
    const request: VerifyCall = { token: credential.secret, uri: `${product.prefix}/items` };
    const [onPortal, onGateway] = await Promise.all([
      verify(server.url, request),
      verify(gatewayInstance.url, request),
    ]);
    expect([outcome(onPortal), outcome(onGateway)]).toEqual(['200 allowed', '200 allowed']);
    for (const name of ['x-portico-app', 'x-portico-org', 'x-portico-credential']) {
      expect(onGateway.headers.get(name)).toBe(onPortal.headers.get(name));
    }
    expect(onGateway.headers.get('x-portico-app')).toBe(appId);
    expect(onGateway.headers.get('x-portico-product')).toBe(product.slug);
    // The same denials as the portal's.
    expect(
      outcome(await verify(gatewayInstance.url, { ...request, uri: '/no-such-product/x' })),
    ).toBe('403 unknown_product');
    expect(outcome(await verify(gatewayInstance.url, { ...request, token: 'pck_nope' }))).toBe(
      '401 malformed_credential',
    );
  });

  it('refuses a credential revoked on the portal within a second', async () => {
    const { credential } = await appInOrg(admin().client, org.id, [product]);
    const request: VerifyCall = { token: credential.secret, uri: `${product.prefix}/items` };
    expect(outcome(await verify(gatewayInstance.url, request))).toBe('200 allowed');
    const hits = gatewayInstance.gateway.cache.stats.hits;
    expect(outcome(await verify(gatewayInstance.url, request))).toBe('200 allowed');
    // Answered from its cache: only the portal's event can make it refuse.
    expect(gatewayInstance.gateway.cache.stats.hits).toBe(hits + 1);

    await revokeCredential(admin().client, credential.id);
    const { elapsedMs } = await eventually(async () => {
      expect(outcome(await verify(gatewayInstance.url, request))).toBe('401 revoked_credential');
    });
    expect(elapsedMs).toBeLessThan(1000);
  });

  it('writes the usage it counts, which the portal then reads', async () => {
    const { credential } = await appInOrg(admin().client, org.id, [product]);
    const request: VerifyCall = { token: credential.secret, uri: `${product.prefix}/items` };
    for (let i = 0; i < 3; i++) {
      expect(outcome(await verify(gatewayInstance.url, request))).toBe('200 allowed');
    }
    await gatewayInstance.gateway.flush();
    const rows = await sql<{ requests: string }>(
      server,
      'select coalesce(sum(requests), 0)::text as requests from usage_minute where credential_id = ?',
      [credential.id],
    );
    expect(rows[0]?.requests).toBe('3');
  });

  it('accepts the OAuth access tokens of the portal’s authorization server', async () => {
    const app = await oauthApp(server, { product });
    await reloadGatewayCatalog();
    const as = await discover(server);
    const tokens = await clientCredentialsTokens(
      server,
      as,
      app.clientId,
      app.clientSecret,
      'read',
    );
    const request: VerifyCall = { token: tokens.access_token, uri: `${product.prefix}/items` };
    const answer = await verify(gatewayInstance.url, request);
    expect(outcome(answer)).toBe('200 allowed');
    expect(answer.headers.get('x-portico-app')).toBe(app.appId);
    // The scope says read.
    expect(outcome(await verify(gatewayInstance.url, { ...request, method: 'POST' }))).toBe(
      '403 insufficient_permission',
    );
  });

  it('serves the health checks and nothing of the portal', async () => {
    const health = await fetch(`${gatewayInstance.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${gatewayInstance.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
    for (const [method, path] of [
      ['POST', '/graphql'],
      ['GET', '/graphql'],
      ['GET', '/'],
      ['GET', '/oauth/token'],
      ['GET', '/.well-known/openid-configuration'],
      ['POST', '/healthz'],
    ] as const) {
      const answer = await fetch(`${gatewayInstance.url}${path}`, { method });
      const body = (await answer.json()) as { code: string };
      expect([method, path, answer.status, body.code]).toEqual([method, path, 404, 'not_found']);
    }
  });

  it('reports not ready while its database is out of reach', async () => {
    const databaseUrl = await createTestDatabase();
    const other = await createGatewayServer(
      gatewayEnv({ DATABASE_URL: databaseUrl }),
      capturedLogger('gateway-instance-lost-database'),
    );
    try {
      expect((await fetch(`${other.url}/readyz`)).status).toBe(200);
      const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
      await admin.connect();
      try {
        const name = new URL(databaseUrl).pathname.slice(1);
        await admin.query(`drop database "${name}" with (force)`);
      } finally {
        await admin.end();
      }
      const ready = await fetch(`${other.url}/readyz`);
      expect([ready.status, ready.headers.get('retry-after')]).toEqual([503, '1']);
      expect(await ready.json()).toEqual({ status: 'unavailable', reason: 'database' });
      // Alive all the same: a process supervisor must not restart it for this.
      expect((await fetch(`${other.url}/healthz`)).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('a gateway instance’s configuration', () => {
  it('needs the portal’s database and public URL', () => {
    expect(() => parseEnv({ INSTANCE_ROLE: 'gateway' })).toThrow(
      "Invalid environment: DATABASE_URL: A gateway instance (INSTANCE_ROLE=gateway) needs DATABASE_URL, the portal's.; PUBLIC_URL: A gateway instance (INSTANCE_ROLE=gateway) needs PUBLIC_URL, the portal's.",
    );
    expect(() => parseEnv({ INSTANCE_ROLE: 'portal' })).toThrow(/INSTANCE_ROLE/);
    expect(parseEnv({}).INSTANCE_ROLE).toBe('all');
  });
});
