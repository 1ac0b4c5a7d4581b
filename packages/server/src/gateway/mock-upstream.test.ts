import { describe, expect, it } from 'vitest';
import { signUpUser } from '../../test/builders.js';
import { openApiYaml, saveDocument } from '../../test/catalogue-builders.js';
import {
  countedRequests,
  gatewayProduct,
  grantedApp,
  reloadCatalogs,
} from '../../test/gateway-builders.js';
import { useTestServer } from '../../test/harness.js';

const server = useTestServer({ env: { MOCK_UPSTREAM: 'true' } });
const plain = useTestServer();

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function call(
  baseUrl: string,
  path: string,
  options: { token?: string; method?: string; body?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body ? { body: options.body } : {}),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A product with a published OpenAPI description and an app granted it at `level`. */
async function describedProduct(level: string) {
  const staff = await signUpUser(server, { staff: true });
  const product = await gatewayProduct(server);
  await saveDocument(staff.client, {
    productId: product.id,
    kind: 'OPENAPI',
    title: 'API',
    source: openApiYaml(product.prefix),
  });
  await reloadCatalogs(server);
  const granted = await grantedApp(server, [product], { permissionLevel: level });
  return { product, granted };
}

describe('the mock upstream', () => {
  it('answers an allowed request with the example of its operation, as usage of the app', async () => {
    const { product, granted } = await describedProduct('READ_WRITE');
    const token = granted.credential.secret;

    const list = await call(server.url, `${product.prefix}/items?limit=10`, { token });
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toContain('application/json');
    expect(JSON.parse(list.text)).toEqual([{ id: '1', name: 'First' }]);
    expect(Number(list.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);

    // The documented status of an operation without an example, and no body.
    const created = await call(server.url, `${product.prefix}/items`, {
      token,
      method: 'POST',
      body: '{"name":"New"}',
    });
    expect(created.status).toBe(201);
    expect(created.text).toBe('');
    const one = await call(server.url, `${product.prefix}/items/abc`, { token });
    expect(one.status).toBe(200);

    expect(await countedRequests(server, granted.credential.id)).toBe(3);
  });

  it("refuses what the gateway refuses, with the gateway's answer", async () => {
    const { product, granted } = await describedProduct('READ');
    const token = granted.credential.secret;

    const anonymous = await call(server.url, `${product.prefix}/items`);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ allowed: false });
    expect(anonymous.headers.get('x-portico-reason')).toBeTruthy();

    const unknown = await call(server.url, `${product.prefix}/items`, { token: 'pk_nonsense' });
    expect(unknown.status).toBe(401);

    const write = await call(server.url, `${product.prefix}/items`, {
      token,
      method: 'POST',
      body: '{}',
    });
    expect(write.status).toBe(403);
    expect(JSON.parse(write.text)).toMatchObject({ code: 'insufficient_permission' });

    const other = await gatewayProduct(server);
    const elsewhere = await call(server.url, `${other.prefix}/items`, { token });
    expect(elsewhere.status).toBe(403);
  });

  it('tells an unknown path from a method the path does not answer', async () => {
    const { product, granted } = await describedProduct('READ_WRITE');
    const token = granted.credential.secret;

    const missing = await call(server.url, `${product.prefix}/nothing/here`, { token });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ code: 'not_found' });

    const wrongMethod = await call(server.url, `${product.prefix}/items/abc`, {
      token,
      method: 'DELETE',
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('lets any page call it with a bearer token (CORS), without cookies', async () => {
    const { product, granted } = await describedProduct('READ');
    const preflight = await fetch(`${server.url}${product.prefix}/items`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const answer = await call(server.url, `${product.prefix}/items`, {
      token: granted.credential.secret,
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-expose-headers')).toContain('deprecation');
  });

  it('is off unless asked: the same path is the web app there', async () => {
    const product = await gatewayProduct(plain);
    const answer = await call(plain.url, `${product.prefix}/items`);
    expect(answer.headers.get('x-portico-reason')).toBeNull();
    expect(answer.status).not.toBe(401);
  });
});
