import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { eventually, gatewayProduct, grantedApp } from '../../test/gateway-builders.js';
import { ensurePlanRows } from '../../test/grant-builders.js';
import { PATH_TRICKS, PLAIN_FORMS } from '../../test/path-tricks.js';
import {
  docsNginxConfig,
  findNginx,
  freePort,
  porticoNginxConfig,
  rawGet,
  readDocsNginxConfig,
  startNginx,
  startUpstream,
  type RunningNginx,
  type TestUpstream,
} from '../../test/nginx.js';
import { ApiProduct, Plan, PlanSubscription } from '../modules/products/products.entity.js';
import { Organization } from '../modules/orgs/orgs.entity.js';

const server = useTestServer();

const REVOKE = `mutation ($input: RevokeCredentialInput!) {
  revokeCredential(input: $input) { credential { id status } }
}`;

describe('docs/nginx.conf', () => {
  it('is the configuration the NGINX tests run (UPDATE_NGINX_DOCS=1 rewrites it)', async () => {
    expect(await readDocsNginxConfig()).toBe(docsNginxConfig());
  });
});

let planCounter = 0;

/** A plan of its own allowing `requests` per `windowSeconds`, the org's plan for the product. */
async function subscribeToPlan(
  organizationId: string,
  productId: string,
  requests: number,
  windowSeconds: number,
): Promise<void> {
  // The default plans first, so that this one is never the lowest-ranked plan (the plan of
  // every org without a subscription).
  await ensurePlanRows(server);
  const em = server.orm.em.fork();
  const n = ++planCounter;
  const plan = new Plan({
    name: `NGINX ${process.pid} ${n}`,
    rank: 1000 + n,
    monthlyRequestCap: null,
    monthlyUnitCap: null,
    rateLimitRequests: requests,
    rateLimitWindowSeconds: windowSeconds,
    maxApps: 10,
    maxDevEnvironments: 1,
  });
  em.persist(plan);
  em.persist(
    new PlanSubscription(
      em.getReference(Organization, organizationId, { wrapped: true }),
      em.getReference(ApiProduct, productId, { wrapped: true }),
      em.getReference(Plan, plan.id, { wrapped: true }),
    ),
  );
  await em.flush();
  // Written through the ORM, so no event tells the gateway: reload its catalog now.
  await server.app.gateway.catalog.reload();
}

describe('behind a real NGINX (auth_request to /v1/verify)', () => {
  let nginx: string;
  let proxy: RunningNginx;
  let upstream: TestUpstream;

  beforeAll(async () => {
    // Without nginx this fails every test below, saying what to install.
    nginx = findNginx();
    upstream = await startUpstream();
    const portico = new URL(server.url).host;
    proxy = await startNginx(nginx, (listen) =>
      porticoNginxConfig({ listen, portico, api: upstream.address }),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await upstream?.close();
  });

  const through = (path: string, init: RequestInit = {}) => fetch(`${proxy.url}${path}`, init);
  const reached = (prefix: string) => upstream.received.filter((r) => r.url.startsWith(prefix));

  it('lets a valid key through to the API with X-Portico-App, and adds X-RateLimit-*', async () => {
    const product = await gatewayProduct(server);
    const { credential, appId } = await grantedApp(server, [product]);
    const response = await through(`${product.prefix}/items?page=2`, {
      headers: { authorization: `Bearer ${credential.secret}`, 'x-portico-app': 'app_forged' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('upstream ok');
    // The API saw the app Portico named, not the one the client claimed.
    expect(response.headers.get('x-upstream-saw-app')).toBe(appId);
    const limit = Number(response.headers.get('x-ratelimit-limit'));
    expect(limit).toBeGreaterThan(0);
    expect(response.headers.get('x-ratelimit-remaining')).toBe(String(limit - 1));
    expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    const [request] = reached(product.prefix);
    expect(request).toMatchObject({ method: 'GET', url: `${product.prefix}/items?page=2` });
    expect(request?.headers).toMatchObject({
      'x-portico-credential': credential.id,
      'x-portico-product': product.slug,
      'x-portico-environment': 'production',
    });
  });

  it('refuses a revoked key with 401, and from then on keeps the API closed to it', async () => {
    const product = await gatewayProduct(server);
    const { credential, client } = await grantedApp(server, [product]);
    const call = () => through(product.prefix, { headers: { 'x-api-key': credential.secret } });
    expect((await call()).status).toBe(200);
    await client.ok(REVOKE, { input: { credentialId: credential.id } });
    // Requests before the revocation reaches the gateway (well within a second) still pass.
    const { value: refused } = await eventually(async () => {
      const response = await call();
      expect(response.status).toBe(401);
      return response;
    });
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    expect(refused.headers.get('content-type')).toBe('application/json');
    expect(await refused.json()).toMatchObject({ allowed: false, code: 'revoked_credential' });
    const passed = reached(product.prefix).length;

    expect((await call()).status).toBe(401);
    const anonymous = await through(product.prefix);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.json()).toMatchObject({ code: 'missing_credential' });
    expect(reached(product.prefix)).toHaveLength(passed);
  });

  it('refuses a POST with a READ-only app key with 403', async () => {
    const product = await gatewayProduct(server);
    const { credential } = await grantedApp(server, [product], { permissionLevel: 'READ' });
    const headers = { authorization: `Bearer ${credential.secret}` };
    expect((await through(`${product.prefix}/items`, { headers })).status).toBe(200);
    const post = await through(`${product.prefix}/items`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'new item' }),
    });
    expect(post.status).toBe(403);
    expect(await post.json()).toMatchObject({ allowed: false, code: 'insufficient_permission' });
    expect(reached(product.prefix).map((r) => r.method)).toEqual(['GET']);
  });

  it("answers 429 with Retry-After once the plan's rate limit is used up", async () => {
    const product = await gatewayProduct(server);
    const { credential, org } = await grantedApp(server, [product]);
    await subscribeToPlan(org.id, product.id, 2, 60);
    const call = () =>
      through(`${product.prefix}/items`, {
        headers: { authorization: `Bearer ${credential.secret}` },
      });
    const first = await call();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await call()).status).toBe(200);

    const limited = await call();
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ allowed: false, code: 'rate_limited' });
    expect(reached(product.prefix)).toHaveLength(2);
    // NGINX logs every verify answer other than 2xx/401/403 as an error: that is the 429.
    expect(await proxy.errorLog()).toContain('auth request unexpected status: 429');
  });

  it("never lets an allowed product's path reach the API as another product's path", async () => {
    const [allowed, target] = await Promise.all([gatewayProduct(server), gatewayProduct(server)]);
    const [{ credential }, { credential: targetOnly }] = await Promise.all([
      grantedApp(server, [allowed]),
      grantedApp(server, [target]),
    ]);
    const headers = { authorization: `Bearer ${credential.secret}` };
    const underAllowed = (url: string) => url.startsWith(`${allowed.prefix}/`);

    // Each trick is refused (by NGINX itself or by Portico) and reaches no API at all.
    const before = upstream.received.length;
    for (const trick of PATH_TRICKS) {
      const answer = await rawGet(proxy.port, trick.uri(allowed.prefix, target.prefix), headers);
      expect([trick.name, answer.status]).toEqual([trick.name, 400]);
      // NGINX refuses some itself (a raw space, %00, ".." above the root) with HTML.
      const code = /"code":"([a-z_]+)"/.exec(answer.body)?.[1];
      if (code !== undefined) expect([trick.name, code]).toEqual([trick.name, 'ambiguous_path']);
    }
    expect(upstream.received.slice(before)).toEqual([]);

    // Unusual but plain paths pass, and the API gets the very path Portico checked.
    for (const form of PLAIN_FORMS) {
      const uri = form.uri(allowed.prefix);
      const answer = await rawGet(proxy.port, uri, headers);
      expect([form.name, answer.status]).toEqual([form.name, 200]);
      const request = upstream.received.at(-1);
      expect([form.name, request?.url.split('?')[0]]).toEqual([
        form.name,
        form.path(allowed.prefix),
      ]);
      expect(request?.headers['x-portico-product']).toBe(allowed.slug);
      expect(underAllowed(request?.url ?? '')).toBe(true);
    }

    // Raw dot segments are resolved alike by Portico and NGINX: what the API gets is the
    // target's path, checked as the target's (granted to one app, not to the other).
    const climb = `${allowed.prefix}/x/../..${target.prefix}/y`;
    const denied = await rawGet(proxy.port, climb, headers);
    expect(denied.status).toBe(403);
    expect(denied.body).toContain('"code":"not_granted"');
    const passed = await rawGet(proxy.port, climb, {
      authorization: `Bearer ${targetOnly.secret}`,
    });
    expect(passed.status).toBe(200);
    expect(upstream.received.at(-1)?.url).toBe(`${target.prefix}/y`);
    expect(upstream.received.at(-1)?.headers['x-portico-product']).toBe(target.slug);
  });

  it('answers 503 and keeps the API closed when Portico cannot be reached', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const cutOff = await startNginx(nginx, (listen) =>
      porticoNginxConfig({ listen, portico: nowhere, api: upstream.address }),
    );
    try {
      const before = upstream.received.length;
      const response = await fetch(`${cutOff.url}/anything`, {
        headers: { authorization: 'Bearer pcs_whatever' },
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ allowed: false, code: 'unavailable' });
      expect(upstream.received).toHaveLength(before);
    } finally {
      await cutOff.stop();
    }
  });
});
