import { expect } from 'vitest';
import { App, AppStatus } from '../src/modules/apps/apps.entity.js';
import { ApiProduct, ApprovalMode } from '../src/modules/products/products.entity.js';
import { createApp, orgWithMembers, type OrgWithMembers } from './app-builders.js';
import { requestProducts } from './grant-builders.js';
import type { TestClient, TestServer } from './harness.js';

let counter = 0;

export interface GatewayProduct {
  id: string;
  slug: string;
  /** Its one path prefix, e.g. `/g3`. */
  prefix: string;
  /** Its DM prefix, `${prefix}/dm`. */
  dmPrefix: string;
}

/**
 * A live product with a path prefix of its own (AUTO-approved unless told), written through
 * the ORM; the gateway catalog of `server` is reloaded so it serves the prefix at once.
 */
export async function gatewayProduct(
  server: TestServer,
  options: { approvalMode?: ApprovalMode } = {},
): Promise<GatewayProduct> {
  const n = ++counter;
  const slug = `gw-${process.pid}-${Date.now().toString(36)}-${n}`;
  const prefix = `/g${process.pid}x${n}`;
  const product = new ApiProduct(`Gateway product ${n}`, slug);
  product.approvalMode = options.approvalMode ?? ApprovalMode.AUTO;
  product.pathPrefixes = [prefix];
  product.dmPathPrefixes = [`${prefix}/dm`];
  await server.orm.em.fork().persist(product).flush();
  await server.app.gateway.catalog.reload();
  return { id: product.id, slug, prefix, dmPrefix: `${prefix}/dm` };
}

export interface IssuedCredential {
  id: string;
  secret: string;
  publicId: string | null;
}

export async function issueCredential(
  client: TestClient,
  appId: string,
  kind = 'CONSUMER_KEY',
): Promise<IssuedCredential> {
  const data = await client.ok<{
    createCredential: { secret: string; publicId: string | null; credential: { id: string } };
  }>(
    `mutation ($input: CreateCredentialInput!) {
      createCredential(input: $input) { secret publicId credential { id } }
    }`,
    { input: { appId, kind } },
  );
  const issued = data.createCredential;
  return { id: issued.credential.id, secret: issued.secret, publicId: issued.publicId };
}

export interface GrantedApp {
  org: OrgWithMembers;
  client: TestClient;
  appId: string;
  credential: IssuedCredential;
}

/** An org whose ACTIVE app (of `permissionLevel`) was granted `products`, with a credential. */
export async function grantedApp(
  server: TestServer,
  products: GatewayProduct[],
  options: { permissionLevel?: string; kind?: string } = {},
): Promise<GrantedApp> {
  const org = await orgWithMembers(server);
  const admin = org.admins[0];
  if (!admin) throw new Error('no admin');
  const app = await createApp(admin.client, org.id, {
    permissionLevel: options.permissionLevel ?? 'READ_WRITE_DM',
  });
  if (products.length > 0) {
    await requestProducts(
      admin.client,
      app.id,
      products.map((p) => p.id),
    );
  }
  const stored = await server.orm.em.fork().findOneOrFail(App, { id: app.id });
  expect(stored.status).toBe(AppStatus.ACTIVE);
  const credential = await issueCredential(admin.client, app.id, options.kind);
  return { org, client: admin.client, appId: app.id, credential };
}

export interface VerifyCall {
  token?: string | undefined;
  method?: string;
  uri?: string | undefined;
  /** Send the credential as X-API-Key instead of Authorization: Bearer. */
  apiKey?: boolean;
  /** Use the X-Forwarded-* pair instead of X-Original-*. */
  forwarded?: boolean;
}

export interface VerifyAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Calls `GET /v1/verify` the way a forward-auth gateway does. */
export async function verify(baseUrl: string, call: VerifyCall): Promise<VerifyAnswer> {
  const headers: Record<string, string> = {};
  if (call.token !== undefined) {
    if (call.apiKey) headers['x-api-key'] = call.token;
    else headers.authorization = `Bearer ${call.token}`;
  }
  const method = call.method ?? 'GET';
  if (call.uri !== undefined) {
    headers[call.forwarded ? 'x-forwarded-uri' : 'x-original-uri'] = call.uri;
    headers[call.forwarded ? 'x-forwarded-method' : 'x-original-method'] = method;
  }
  const response = await fetch(`${baseUrl}/v1/verify`, { headers });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, body };
}

/** Polls `check` until it passes or `timeoutMs` elapses (then throws its last error). */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 1000,
  intervalMs = 20,
): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  for (;;) {
    try {
      return { value: await check(), elapsedMs: Date.now() - started };
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
