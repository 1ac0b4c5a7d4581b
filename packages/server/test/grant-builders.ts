import { DomainEvent } from '../src/events/events.entity.js';
import { User } from '../src/modules/accounts/accounts.entity.js';
import { App } from '../src/modules/apps/apps.entity.js';
import { ProductGrant } from '../src/modules/grants/grants.entity.js';
import { Notification } from '../src/modules/notifications/notifications.entity.js';
import { Organization } from '../src/modules/orgs/orgs.entity.js';
import {
  ApiProduct,
  ApprovalMode,
  Plan,
  PlanSubscription,
  type ApprovalRules,
} from '../src/modules/products/products.entity.js';
import type { SignedInUser } from './builders.js';
import type { TestClient, TestServer } from './harness.js';

let productCounter = 0;

export interface ProductOptions {
  name?: string;
  approvalMode?: ApprovalMode;
  approvalRules?: ApprovalRules;
  requiresProject?: boolean;
  archived?: boolean;
}

/** An API product written straight through the ORM (MANUAL unless told). */
export async function createProductRow(
  server: TestServer,
  options: ProductOptions = {},
): Promise<{ id: string; name: string }> {
  const em = server.orm.em.fork();
  const n = ++productCounter;
  const product = new ApiProduct(
    options.name ?? `Product ${n}`,
    `product-${process.pid}-${Date.now().toString(36)}-${n}`,
  );
  product.approvalMode = options.approvalMode ?? ApprovalMode.MANUAL;
  product.approvalRules = options.approvalRules ?? {};
  product.requiresProject = options.requiresProject ?? false;
  if (options.archived) product.archivedAt = new Date();
  await em.persist(product).flush();
  return { id: product.id, name: product.name };
}

const PLANS = [
  { name: 'Free', rank: 0 },
  { name: 'Basic', rank: 1 },
  { name: 'Pro', rank: 2 },
  { name: 'Enterprise', rank: 3 },
] as const;

export type PlanName = (typeof PLANS)[number]['name'];

/** The four default plans (found by name, made when missing); returns their ranks by name. */
export async function ensurePlanRows(server: TestServer): Promise<Record<PlanName, Plan>> {
  const em = server.orm.em.fork();
  const out: Partial<Record<PlanName, Plan>> = {};
  for (const spec of PLANS) {
    let plan = await em.findOne(Plan, { name: spec.name });
    if (!plan) {
      plan = new Plan({
        name: spec.name,
        rank: spec.rank,
        monthlyRequestCap: null,
        monthlyUnitCap: null,
        rateLimitRequests: 100,
        rateLimitWindowSeconds: 60,
        maxApps: 100,
        maxDevEnvironments: 10,
      });
      em.persist(plan);
    }
    out[spec.name] = plan;
  }
  await em.flush();
  return out as Record<PlanName, Plan>;
}

/** Subscribes an organization to a plan for a product, through the ORM. */
export async function subscribePlan(
  server: TestServer,
  organizationId: string,
  productId: string,
  planName: PlanName,
): Promise<void> {
  const plans = await ensurePlanRows(server);
  const em = server.orm.em.fork();
  em.persist(
    new PlanSubscription(
      em.getReference(Organization, organizationId, { wrapped: true }),
      em.getReference(ApiProduct, productId, { wrapped: true }),
      em.getReference(Plan, plans[planName].id, { wrapped: true }),
    ),
  );
  await em.flush();
}

export async function verifyOrganization(
  server: TestServer,
  organizationId: string,
): Promise<void> {
  await server.orm.em
    .fork()
    .nativeUpdate(Organization, { id: organizationId }, { verifiedAt: new Date() });
}

export const GRANT_FIELDS = `id status reason decidedByRule unmetRules decidedAt createdAt
  product { id name } app { id status } requestedBy { id } decidedBy { id }`;

export interface GrantFields {
  id: string;
  status: string;
  reason: string | null;
  decidedByRule: string | null;
  unmetRules: string[];
  decidedAt: string | null;
  product: { id: string; name: string };
  app: { id: string; status: string };
  requestedBy: { id: string } | null;
  decidedBy: { id: string } | null;
}

export const REQUEST_PRODUCTS = `mutation ($input: RequestProductsInput!) {
  requestProducts(input: $input) { app { id status } grants { ${GRANT_FIELDS} } }
}`;

/** Requests products for an app through the API; returns the new grants. */
export async function requestProducts(
  client: TestClient,
  appId: string,
  productIds: string[],
): Promise<{ app: { id: string; status: string }; grants: GrantFields[] }> {
  const data = await client.ok<{
    requestProducts: { app: { id: string; status: string }; grants: GrantFields[] };
  }>(REQUEST_PRODUCTS, { input: { appId, productIds } });
  return data.requestProducts;
}

export const DECIDE_GRANTS = `mutation ($input: DecideGrantsInput!) {
  decideGrants(input: $input) { grants { ${GRANT_FIELDS} } }
}`;

/** Staff decide requests through the API. */
export async function decideGrants(
  staff: SignedInUser,
  grantIds: string[],
  decision: 'APPROVE' | 'REJECT',
  reason: string | null = decision === 'REJECT' ? 'Not a fit.' : null,
): Promise<GrantFields[]> {
  const data = await staff.client.ok<{ decideGrants: { grants: GrantFields[] } }>(DECIDE_GRANTS, {
    input: { grantIds, decision, reason },
  });
  return data.decideGrants.grants;
}

/** Grants of an app as stored, oldest first. */
export async function storedGrants(server: TestServer, appId: string): Promise<ProductGrant[]> {
  return server.orm.em
    .fork()
    .find(ProductGrant, { app: appId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export async function storedAppStatus(server: TestServer, appId: string): Promise<string> {
  const app = await server.orm.em.fork().findOneOrFail(App, { id: appId });
  return app.status;
}

/** Events about one subject (or all events of one topic), oldest first, as stored. */
export async function eventsFor(
  server: TestServer,
  where: { subjectId?: string | string[]; topic?: string; kind?: string },
): Promise<DomainEvent[]> {
  const { subjectId, ...rest } = where;
  return server.orm.em.fork().find(
    DomainEvent,
    {
      ...rest,
      ...(subjectId
        ? { subjectId: Array.isArray(subjectId) ? { $in: subjectId } : subjectId }
        : {}),
    },
    { orderBy: { id: 'asc' } },
  );
}

/** A user's notifications as stored, oldest first. */
export async function storedNotifications(
  server: TestServer,
  userId: string,
): Promise<Notification[]> {
  return server.orm.em
    .fork()
    .find(Notification, { user: userId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

/** Writes a notification straight through the ORM (for reading tests). */
export async function createNotificationRow(
  server: TestServer,
  userId: string,
  options: { title?: string; kind?: string; read?: boolean } = {},
): Promise<string> {
  const em = server.orm.em.fork();
  const notification = new Notification(
    em.getReference(User, userId, { wrapped: true }),
    options.kind ?? 'test.kind',
    options.title ?? 'A notification',
    'Something happened.',
  );
  if (options.read) notification.readAt = new Date();
  await em.persist(notification).flush();
  return notification.id;
}
