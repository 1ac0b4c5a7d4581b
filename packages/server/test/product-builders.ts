import { User } from '../src/modules/accounts/accounts.entity.js';
import { App } from '../src/modules/apps/apps.entity.js';
import { Organization } from '../src/modules/orgs/orgs.entity.js';
import { ensureDefaultPlans } from '../src/modules/products/plans.service.js';
import {
  ApiProduct,
  DevEnvironment,
  Plan,
  PlanSubscription,
} from '../src/modules/products/products.entity.js';
import type { TestClient, TestServer } from './harness.js';

let productCounter = 0;

export const PRODUCT_FIELDS = `id name slug description pathPrefixes dmPathPrefixes requiresProject
  approvalMode archivedAt createdAt updatedAt
  approvalRules { requireVerifiedOrg minimumPlanRank maximumPermissionLevel emailDomains }`;

export interface ProductFields {
  id: string;
  name: string;
  slug: string;
  description: string;
  pathPrefixes: string[];
  dmPathPrefixes: string[];
  requiresProject: boolean;
  approvalMode: 'AUTO' | 'MANUAL' | 'CONDITIONAL';
  archivedAt: string | null;
  approvalRules: {
    requireVerifiedOrg: boolean;
    minimumPlanRank: number | null;
    maximumPermissionLevel: string | null;
    emailDomains: string[];
  } | null;
}

export const PLAN_FIELDS = `id name rank monthlyRequestCap monthlyUnitCap rateLimitRequests
  rateLimitWindowSeconds maxApps maxDevEnvironments`;

export interface PlanFields {
  id: string;
  name: string;
  rank: number;
  monthlyRequestCap: number | null;
  monthlyUnitCap: number | null;
  rateLimitRequests: number;
  rateLimitWindowSeconds: number;
  maxApps: number;
  maxDevEnvironments: number;
}

/** A label no other test in the run uses: for slugs, names and path segments. */
export function uniqueLabel(label = 'p'): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${++productCounter}`;
}

/** Input for createProduct with unique slug and path prefix; overrides win. */
export function productInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const label = uniqueLabel();
  return {
    name: `Product ${label}`,
    slug: label,
    description: 'A product for tests',
    pathPrefixes: [`/${label}`],
    ...overrides,
  };
}

/** Creates a product through the API as `staff` (a staff member's client). */
export async function createProduct(
  staff: TestClient,
  overrides: Record<string, unknown> = {},
): Promise<ProductFields> {
  const data = await staff.ok<{ createProduct: { product: ProductFields } }>(
    `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { ${PRODUCT_FIELDS} } } }`,
    { input: productInput(overrides) },
  );
  return data.createProduct.product;
}

/** The default plans (created if missing), by name. */
export async function defaultPlans(server: TestServer): Promise<Record<string, Plan>> {
  const plans = await ensureDefaultPlans(server.orm.em.fork());
  return Object.fromEntries(plans.map((plan) => [plan.name, plan]));
}

/** Puts an organization on a plan for a product straight through the ORM. */
export async function subscribe(
  server: TestServer,
  organizationId: string,
  productId: string,
  planId: string,
): Promise<void> {
  const em = server.orm.em.fork();
  const existing = await em.findOne(PlanSubscription, {
    organization: organizationId,
    product: productId,
  });
  if (existing) {
    existing.plan = em.getReference(Plan, planId, { wrapped: true });
  } else {
    em.persist(
      new PlanSubscription(
        em.getReference(Organization, organizationId, { wrapped: true }),
        em.getReference(ApiProduct, productId, { wrapped: true }),
        em.getReference(Plan, planId, { wrapped: true }),
      ),
    );
  }
  await em.flush();
}

/** Adds dev environments straight through the ORM (ignoring plan limits). */
export async function addDevEnvironments(
  server: TestServer,
  organizationId: string,
  productId: string,
  labels: string[],
): Promise<void> {
  const em = server.orm.em.fork();
  for (const label of labels) {
    em.persist(
      new DevEnvironment(
        em.getReference(Organization, organizationId, { wrapped: true }),
        em.getReference(ApiProduct, productId, { wrapped: true }),
        label,
      ),
    );
  }
  await em.flush();
}

export async function storedProduct(server: TestServer, id: string): Promise<ApiProduct | null> {
  return server.orm.em.fork().findOne(ApiProduct, { id });
}

export async function storedDevEnvironments(
  server: TestServer,
  organizationId: string,
): Promise<DevEnvironment[]> {
  return server.orm.em
    .fork()
    .find(DevEnvironment, { organization: organizationId }, { orderBy: { createdAt: 'asc' } });
}

export async function storedSubscriptions(
  server: TestServer,
  organizationId: string,
): Promise<PlanSubscription[]> {
  return server.orm.em.fork().find(PlanSubscription, { organization: organizationId });
}

/** Adds live apps owned by `ownerId` straight through the ORM (no plan checks, no grants). */
export async function addApps(
  server: TestServer,
  organizationId: string,
  ownerId: string,
  count: number,
): Promise<App[]> {
  const em = server.orm.em.fork();
  const apps = Array.from(
    { length: count },
    () =>
      new App(
        em.getReference(Organization, organizationId, { wrapped: true }),
        null,
        em.getReference(User, ownerId, { wrapped: true }),
        `App ${uniqueLabel()}`,
      ),
  );
  em.persist(apps);
  await em.flush();
  return apps;
}
