import { expect } from 'vitest';
import { generateToken, sha256 } from '../src/crypto.js';
import { App, AppStatus } from '../src/modules/apps/apps.entity.js';
import { GatewayToken } from '../src/modules/gateway-tokens/gateway-tokens.entity.js';
import { ensureDefaultPlans } from '../src/modules/products/plans.service.js';
import {
  ApiProduct,
  ApprovalMode,
  DevEnvironment,
  Plan,
} from '../src/modules/products/products.entity.js';
import { Organization } from '../src/modules/orgs/orgs.entity.js';
import { createApp, orgWithMembers, type OrgWithMembers } from './app-builders.js';
import { requestProducts } from './grant-builders.js';
import type { TestClient, TestServer } from './harness.js';
import { rememberSecret } from './log-capture.js';
import { subscribe } from './product-builders.js';

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
  options: {
    approvalMode?: ApprovalMode;
    /** Its path prefix (default `/g<pid>x<n>`, unique in the run). */
    prefix?: string;
    /** Other instances whose catalog is reloaded too. */
    alsoReload?: TestServer[];
  } = {},
): Promise<GatewayProduct> {
  const n = ++counter;
  const slug = `gw-${process.pid}-${Date.now().toString(36)}-${n}`;
  const prefix = options.prefix ?? uniquePrefix();
  const product = new ApiProduct(`Gateway product ${n}`, slug);
  product.approvalMode = options.approvalMode ?? ApprovalMode.AUTO;
  product.pathPrefixes = [prefix];
  product.dmPathPrefixes = [`${prefix}/dm`];
  await server.orm.em.fork().persist(product).flush();
  await reloadCatalogs(server, ...(options.alsoReload ?? []));
  return { id: product.id, slug, prefix, dmPrefix: `${prefix}/dm` };
}

/** A path prefix no other product of the run has, e.g. `/g1234x7`. */
export function uniquePrefix(): string {
  return `/g${process.pid}x${++counter}`;
}

/**
 * Reloads the gateway catalog of every instance given (products, plans, subscriptions). Twice:
 * a reload asked for while another runs (the 30-second timer's, an event's) answers with the
 * running one, which may have read the tables before the caller's change.
 */
export async function reloadCatalogs(...servers: TestServer[]): Promise<void> {
  await Promise.all(
    servers.map(async (s) => {
      await s.app.gateway.catalog.reload();
      await s.app.gateway.catalog.reload();
    }),
  );
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
  /** More (or overriding) request headers, sent as given. */
  headers?: Record<string, string>;
  /** The method of the call to /v1/verify itself (default GET). */
  requestMethod?: string;
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
  Object.assign(headers, call.headers);
  const response = await fetch(`${baseUrl}/v1/verify`, {
    method: call.requestMethod ?? 'GET',
    headers,
  });
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

/** An app of `permissionLevel` in an existing organization, granted `products`, with a credential. */
export async function appInOrg(
  client: TestClient,
  organizationId: string,
  products: GatewayProduct[],
  options: { permissionLevel?: string; kind?: string } = {},
): Promise<{ appId: string; credential: IssuedCredential }> {
  const app = await createApp(client, organizationId, {
    permissionLevel: options.permissionLevel ?? 'READ_WRITE_DM',
  });
  if (products.length > 0) {
    await requestProducts(
      client,
      app.id,
      products.map((p) => p.id),
    );
  }
  const credential = await issueCredential(client, app.id, options.kind);
  return { appId: app.id, credential };
}

export interface KeysVerifyAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Calls `POST /v1/keys/verify` with a JSON body (or `raw` text with `contentType`). */
export async function keysVerify(
  baseUrl: string,
  body: unknown,
  options: { contentType?: string; raw?: string } = {},
): Promise<KeysVerifyAnswer> {
  const response = await fetch(`${baseUrl}/v1/keys/verify`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json' },
    body: options.raw ?? JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A live gateway token written through the ORM; returns the token and its row id. */
export async function createGatewayToken(
  server: TestServer,
): Promise<{ id: string; token: string }> {
  const token = generateToken('pgw');
  rememberSecret(token);
  const row = new GatewayToken('test gateway', sha256(token), token.slice(-4), null);
  await server.orm.em.fork().persist(row).flush();
  return { id: row.id, token };
}

/** Calls `POST /v1/usage` as a gateway. */
export async function postUsage(
  baseUrl: string,
  token: string | null,
  body: unknown,
  options: { contentType?: string; raw?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
  };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${baseUrl}/v1/usage`, {
    method: 'POST',
    headers,
    body: options.raw ?? JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let planCounter = 0;

export interface PlanLimitsInput {
  monthlyRequestCap?: number | null;
  monthlyUnitCap?: number | null;
  rateLimitRequests?: number;
  rateLimitWindowSeconds?: number;
}

/**
 * A plan of its own (unique name, a rank above the default plans, which are made first so
 * that this one never becomes the lowest-rank plan everyone falls back to), and the
 * organization subscribed to it for the product; the catalogs of `servers` are reloaded.
 */
export async function planFor(
  servers: TestServer[],
  organizationId: string,
  productId: string,
  limits: PlanLimitsInput,
): Promise<Plan> {
  const [server] = servers;
  if (!server) throw new Error('no server');
  await ensureDefaultPlans(server.orm.em.fork());
  const n = ++planCounter;
  const plan = new Plan({
    name: `Gateway plan ${process.pid}-${Date.now().toString(36)}-${n}`,
    rank: 1000 + n,
    monthlyRequestCap: limits.monthlyRequestCap ?? null,
    monthlyUnitCap: limits.monthlyUnitCap ?? null,
    rateLimitRequests: limits.rateLimitRequests ?? 1000,
    rateLimitWindowSeconds: limits.rateLimitWindowSeconds ?? 60,
    maxApps: 100,
    maxDevEnvironments: 10,
  });
  await server.orm.em.fork().persist(plan).flush();
  await subscribe(server, organizationId, productId, plan.id);
  await reloadCatalogs(...servers);
  return plan;
}

/** A dev environment of the organization for the product, with `appId` attached. */
export async function devEnvironmentFor(
  server: TestServer,
  organizationId: string,
  productId: string,
  appId: string,
  label: string,
): Promise<string> {
  const em = server.orm.em.fork();
  const environment = new DevEnvironment(
    em.getReference(Organization, organizationId, { wrapped: true }),
    em.getReference(ApiProduct, productId, { wrapped: true }),
    label,
  );
  environment.app = em.getReference(App, appId, { wrapped: true });
  await em.persist(environment).flush();
  return environment.id;
}

/** Runs SQL on the server's database (through its ORM connection). */
export async function sql<T = Record<string, unknown>>(
  server: TestServer,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

/**
 * Writes everything counted so far. Twice: `flush()` called while the timer's flush runs
 * answers with that one, which took its batch before the latest counts.
 */
export async function flushAll(server: TestServer): Promise<void> {
  await server.app.gateway.flush();
  await server.app.gateway.flush();
}

/** Total requests counted in `usage_minute` for a credential (after a flush). */
export async function countedRequests(server: TestServer, credentialId: string): Promise<number> {
  await flushAll(server);
  const [row] = await sql<{ requests: string | null }>(
    server,
    'select sum(requests)::text as requests from usage_minute where credential_id = ?',
    [credentialId],
  );
  return Number(row?.requests ?? 0);
}

/**
 * Waits, if needed, until the current rate-limit window has at least `marginMs` left, so a
 * test's requests all fall into one window (the sliding estimate is exact there).
 */
export async function awayFromWindowEdge(windowMs: number, marginMs = 2_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** Seconds from now to the first instant of the next month (UTC). */
export function secondsToNextMonth(now = Date.now()): number {
  const date = new Date(now);
  const next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return Math.ceil((next - now) / 1000);
}

/** `200 allowed`, or `<status> <code>`: one string to compare a decision by. */
export function outcome(answer: { status: number; body: Record<string, unknown> }): string {
  if (answer.status === 200 && answer.body.allowed === true) return '200 allowed';
  return `${answer.status} ${String(answer.body.code)}`;
}

export async function revokeCredential(client: TestClient, credentialId: string): Promise<void> {
  await client.ok(
    `mutation ($input: RevokeCredentialInput!) { revokeCredential(input: $input) { credential { id } } }`,
    { input: { credentialId } },
  );
}

/** Rotates a credential (the old one works `graceDays` more); returns the new one. */
export async function rotateCredential(
  client: TestClient,
  credentialId: string,
  graceDays: number,
): Promise<IssuedCredential> {
  const data = await client.ok<{
    rotateCredential: { secret: string; publicId: string | null; credential: { id: string } };
  }>(
    `mutation ($input: RotateCredentialInput!) {
      rotateCredential(input: $input) { secret publicId credential { id } }
    }`,
    { input: { credentialId, graceDays } },
  );
  const issued = data.rotateCredential;
  return { id: issued.credential.id, secret: issued.secret, publicId: issued.publicId };
}

/** Regenerates a credential (the old one stops at once); returns the new one. */
export async function regenerateCredential(
  client: TestClient,
  credentialId: string,
): Promise<IssuedCredential> {
  const data = await client.ok<{
    regenerateCredential: { secret: string; publicId: string | null; credential: { id: string } };
  }>(
    `mutation ($input: RegenerateCredentialInput!) {
      regenerateCredential(input: $input) { secret publicId credential { id } }
    }`,
    { input: { credentialId } },
  );
  const issued = data.regenerateCredential;
  return { id: issued.credential.id, secret: issued.secret, publicId: issued.publicId };
}

export async function endCredentialGrace(client: TestClient, credentialId: string): Promise<void> {
  await client.ok(
    `mutation ($input: EndCredentialGraceInput!) { endCredentialGrace(input: $input) { credential { id } } }`,
    { input: { credentialId } },
  );
}

/** Staff take back an approved grant. */
export async function revokeGrant(staff: TestClient, grantId: string): Promise<void> {
  await staff.ok(
    `mutation ($input: RevokeGrantInput!) { revokeGrant(input: $input) { grant { id status } } }`,
    { input: { grantId, reason: 'Revoked by a gateway test.' } },
  );
}

export async function withdrawGrantRequest(client: TestClient, grantId: string): Promise<void> {
  await client.ok(
    `mutation ($input: WithdrawGrantRequestInput!) { withdrawGrantRequest(input: $input) { grant { id } } }`,
    { input: { grantId } },
  );
}

export async function deleteApp(client: TestClient, appId: string): Promise<void> {
  await client.ok(
    `mutation ($input: DeleteAppInput!) { deleteApp(input: $input) { deletedAppId } }`,
    { input: { appId, reason: 'Deleted by a gateway test.' } },
  );
}
