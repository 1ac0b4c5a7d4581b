import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireViewer } from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { badInput, conflict, notFound } from '../../errors.js';
import { publish } from '../../events/events.service.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { User } from '../accounts/accounts.entity.js';
import { loadAppToManage } from '../apps/apps.access.js';
import { App } from '../apps/apps.entity.js';
import { recordAudit } from '../../audit/record.js';
import { notify, notifyStaff } from '../notifications/notifications.service.js';
import { Organization } from '../orgs/orgs.entity.js';
import { evaluateApprovalRules, type ApprovalDecision } from '../products/approval-rules.js';
import { planFor } from '../products/plans.service.js';
import { ApiProduct, ApprovalMode } from '../products/products.entity.js';
import { ProductGrant, GrantStatus, ReasonTemplate } from './grants.entity.js';
import { decidedNotice, revokedNotice, submittedNotice } from './grants.mail.js';
import type { DecideGrantsInput, RevokeGrantInput } from './grants.types.js';
import { GrantDecision } from './grants.types.js';
import { mappingConstraintErrors } from '../../db/constraints.js';

const LIVE_INDEX = 'product_grant_live_unique';
export const PRODUCTS_PER_REQUEST_MAX = 20;
export const GRANTS_PER_DECISION_MAX = 100;
const REASON_MAX = 2000;

const LIVE_STATUSES = [GrantStatus.PENDING, GrantStatus.APPROVED];

/** Checks a list of product ids (non-empty, at most 20, no repeats); problems name `field`. */
export function parseProductIds(productIds: readonly string[], field = 'productIds'): string[] {
  const ids = productIds.map((id) => id.trim());
  if (!ids.length) throw badInput(field, 'Choose at least one product.');
  if (ids.length > PRODUCTS_PER_REQUEST_MAX) {
    throw badInput(field, `Request at most ${PRODUCTS_PER_REQUEST_MAX} products at once.`);
  }
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw badInput(`${field}.${i}`, 'This product is listed twice.');
    seen.add(id);
  });
  return ids;
}

export interface RequestedGrants {
  grants: ProductGrant[];
}

/**
 * Requests products for an app inside the caller's transaction (the app lifecycle's creation
 * and product requests): a new PENDING row per product, approved at once when the product's
 * mode says so; events, audit and staff notifications included. What that does to the app's
 * status is the app lifecycle's to decide.
 */
export async function requestGrantsForApp(
  em: EntityManager,
  ctx: Context,
  app: App,
  productIds: readonly string[],
): Promise<RequestedGrants> {
  const viewer = requireViewer(ctx);
  const products = await findRequestableProducts(em, app, productIds);
  const live = await em.find(
    ProductGrant,
    { app: app.id, product: { $in: [...productIds] }, status: { $in: LIVE_STATUSES } },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  for (const grant of live) {
    const product = productOf(products, grant);
    throw conflict(
      'productIds',
      grant.status === GrantStatus.PENDING
        ? `${app.name} already has a pending request for ${product.name}.`
        : `${app.name} already has access to ${product.name}.`,
    );
  }

  const organization = await em.findOneOrFail(Organization, { id: app.organization.id });
  const owner = await em.findOneOrFail(User, { id: app.owner.id });
  const now = new Date();
  const grants: ProductGrant[] = [];
  for (const product of products) {
    const outcome = await decideAutomatically(em, product, organization, app, owner);
    const grant = new ProductGrant(
      em.getReference(Organization, organization.id, { wrapped: true }),
      em.getReference(App, app.id, { wrapped: true }),
      em.getReference(ApiProduct, product.id, { wrapped: true }),
      em.getReference(User, viewer.user.id, { wrapped: true }),
    );
    if (outcome.approved) {
      grant.status = GrantStatus.APPROVED;
      grant.decidedAt = now;
      grant.decidedByRule = outcome.rule;
    } else {
      grant.unmetRules = outcome.failed;
    }
    em.persist(grant);
    grants.push(grant);
    recordAudit(em, ctx, {
      organizationId: organization.id,
      action: 'grant.request',
      targetType: 'ProductGrant',
      targetId: grant.id,
      data: {
        appId: app.id,
        productId: product.id,
        productName: product.name,
        status: grant.status,
        ...(outcome.failed.length ? { unmetRules: outcome.failed } : {}),
      },
    });
    if (outcome.approved) {
      recordAudit(em, ctx, {
        organizationId: organization.id,
        actorId: null,
        action: 'grant.approve',
        targetType: 'ProductGrant',
        targetId: grant.id,
        data: { appId: app.id, productId: product.id, rule: outcome.rule },
      });
    }
  }

  const pending = grants.filter((grant) => grant.status === GrantStatus.PENDING);

  for (const grant of grants) {
    // On the organization's stream, and in the review queue while it waits for staff.
    await publish(em, 'grant.requested', {
      subjectId: grant.id,
      organizationId: organization.id,
      status: grant.status,
      appId: app.id,
      productId: grant.product.id,
      decidedById: null,
    });
  }
  if (pending.length) {
    await notifyStaff(
      em,
      ctx,
      submittedNotice(
        app,
        organization,
        pending.map((grant) => productOf(products, grant)),
      ),
    );
  }
  return { grants };
}

/**
 * Whether a request is approved without staff, by the products module's rules. Only a
 * CONDITIONAL product looks at the facts, so only then is the organization's plan looked up.
 */
async function decideAutomatically(
  em: EntityManager,
  product: ApiProduct,
  organization: Organization,
  app: App,
  owner: User,
): Promise<ApprovalDecision> {
  const planRank =
    product.approvalMode === ApprovalMode.CONDITIONAL
      ? (await planFor(em, organization.id, product.id)).rank
      : 0;
  return evaluateApprovalRules(product, {
    orgVerified: organization.verifiedAt !== null,
    planRank,
    permissionLevel: app.permissionLevel,
    ownerEmail: owner.email,
  });
}

function productOf(products: readonly ApiProduct[], grant: ProductGrant): ApiProduct {
  const product = products.find((row) => row.id === grant.product.id);
  if (!product) throw notFound('Product', 'productIds');
  return product;
}

/** The products, in the order asked, each live and allowed for this app. */
async function findRequestableProducts(
  em: EntityManager,
  app: App,
  productIds: readonly string[],
): Promise<ApiProduct[]> {
  const rows = await em.find(ApiProduct, { id: { $in: [...productIds] } });
  return productIds.map((id) => {
    const product = rows.find((row) => row.id === id);
    if (!product) throw notFound('Product', 'productIds');
    if (product.archivedAt) {
      throw badInput('productIds', `${product.name} is archived and cannot be requested.`);
    }
    if (product.requiresProject && !app.project) {
      throw badInput(
        'productIds',
        `${product.name} is only for apps in a project; move ${app.name} into a project first.`,
      );
    }
    return product;
  });
}

/**
 * The app owner or an organization admin takes back a pending request, inside the caller's
 * transaction; `settle` lets the app lifecycle settle the app's status before the event goes.
 */
export async function withdrawGrant(
  em: EntityManager,
  ctx: Context,
  grantId: string,
  settle: (app: App) => Promise<void>,
): Promise<{ grant: ProductGrant; app: App }> {
  const viewer = requireViewer(ctx);
  const found = await em.findOne(ProductGrant, { id: grantId });
  if (!found) throw notFound('Grant', 'grantId');
  const app = await loadAppToManage(ctx, em, found.app.id, {
    lock: true,
    field: 'grantId',
    what: 'Grant',
  });
  const grant = await lockGrant(em, grantId, 'grantId');
  if (grant.status !== GrantStatus.PENDING) {
    throw conflict(
      'grantId',
      `Only a pending request can be withdrawn; this one is ${grant.status}.`,
    );
  }
  grant.status = GrantStatus.WITHDRAWN;
  grant.decidedAt = new Date();
  grant.decidedBy = em.getReference(User, viewer.user.id, { wrapped: true });
  recordAudit(em, ctx, {
    organizationId: app.organization.id,
    action: 'grant.withdraw',
    targetType: 'ProductGrant',
    targetId: grant.id,
    data: { appId: app.id, productId: grant.product.id },
  });
  await settle(app);
  await publishGrantEvent(em, grant, 'grant.withdrawn', viewer.user.id);
  return { grant, app };
}

export interface GrantDecisionOutcome {
  approved: boolean;
  reason: string | null;
}

/**
 * Staff approve or reject one or many pending requests inside the caller's transaction: all
 * of them, or none when one cannot be. `settle` lets the app lifecycle settle each app's
 * status before the events go; the owners are told in-app and by email.
 */
export async function decideGrantsOfApps(
  em: EntityManager,
  ctx: Context,
  input: DecideGrantsInput,
  settle: (app: App, outcome: GrantDecisionOutcome) => Promise<void>,
): Promise<ProductGrant[]> {
  const viewer = requireViewer(ctx);
  const data = parseInput(DecideGrantsSchema, input);
  const template = data.reasonTemplateId
    ? await em.findOne(ReasonTemplate, { id: data.reasonTemplateId })
    : null;
  if (data.reasonTemplateId && !template) throw notFound('Reason template', 'reasonTemplateId');
  const reason = data.reason || template?.text || null;
  const approve = data.decision === GrantDecision.APPROVE;
  if (!approve && !reason) throw badInput('reason', 'Give a reason for a rejection.');

  const grants = await lockGrantsWithApps(em, data.grantIds, 'grantIds');
  grants.forEach(({ grant, app }, i) => {
    if (grant.status !== GrantStatus.PENDING) {
      throw conflict(`grantIds.${i}`, `This request is already ${grant.status}.`);
    }
    if (app.deletedAt) throw conflict(`grantIds.${i}`, 'The app of this request was deleted.');
  });

  const status = approve ? GrantStatus.APPROVED : GrantStatus.REJECTED;
  const decidedAt = new Date();
  for (const { grant, app } of grants) {
    grant.status = status;
    grant.decidedAt = decidedAt;
    grant.decidedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    grant.reason = reason;
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: approve ? 'grant.approve' : 'grant.reject',
      targetType: 'ProductGrant',
      targetId: grant.id,
      data: {
        appId: app.id,
        productId: grant.product.id,
        reason,
        reasonTemplateId: template?.id ?? null,
      },
    });
  }
  for (const app of uniqueApps(grants)) await settle(app, { approved: approve, reason });
  const products = await em.find(ApiProduct, {
    id: { $in: [...new Set(grants.map(({ grant }) => grant.product.id))] },
  });
  for (const { grant, app } of grants) {
    await publishGrantEvent(em, grant, 'grant.decided', viewer.user.id);
    const product = productOf(products, grant);
    await notify(em, ctx, { userId: app.owner.id, ...decidedNotice(app, product, status, reason) });
  }
  return grants.map(({ grant }) => grant);
}

/** Staff take back an approved grant; the app's status stays as it is. */
export async function revokeGrant(ctx: Context, input: RevokeGrantInput): Promise<ProductGrant> {
  const viewer = requireViewer(ctx);
  const data = parseInput(RevokeGrantSchema, input);
  return ctx.em.transactional(async (em) => {
    const [locked] = await lockGrantsWithApps(em, [data.grantId], 'grantId');
    if (!locked) throw notFound('Grant', 'grantId');
    const { grant, app } = locked;
    if (grant.status !== GrantStatus.APPROVED) {
      throw conflict(
        'grantId',
        `Only an approved grant can be revoked; this one is ${grant.status}.`,
      );
    }
    grant.status = GrantStatus.REVOKED;
    grant.decidedAt = new Date();
    grant.decidedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    grant.decidedByRule = null;
    grant.reason = data.reason;
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: 'grant.revoke',
      targetType: 'ProductGrant',
      targetId: grant.id,
      data: { appId: app.id, productId: grant.product.id, reason: data.reason },
    });
    await publishGrantEvent(em, grant, 'grant.decided', viewer.user.id);
    const product = await em.findOneOrFail(ApiProduct, { id: grant.product.id });
    if (!app.deletedAt) {
      await notify(em, ctx, { userId: app.owner.id, ...revokedNotice(app, product, data.reason) });
    }
    return grant;
  });
}

/**
 * When an app is deleted (inside deleteApp's transaction): its pending requests are withdrawn
 * (they leave the review queue live) and its grants revoked, so asking again after the app's
 * name is reused goes through approval again.
 */
export async function closeGrantsOfDeletedApp(
  em: EntityManager,
  ctx: Context,
  app: App,
): Promise<void> {
  const live = await em.find(
    ProductGrant,
    { app: app.id, status: { $in: LIVE_STATUSES } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const actorId = ctx.viewer?.user.id ?? null;
  const now = new Date();
  for (const grant of live) {
    const pending = grant.status === GrantStatus.PENDING;
    grant.status = pending ? GrantStatus.WITHDRAWN : GrantStatus.REVOKED;
    grant.decidedAt = now;
    grant.decidedBy = actorId ? em.getReference(User, actorId, { wrapped: true }) : null;
    grant.decidedByRule = null;
    grant.reason = 'The app was deleted.';
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: pending ? 'grant.withdraw' : 'grant.revoke',
      targetType: 'ProductGrant',
      targetId: grant.id,
      data: { appId: app.id, productId: grant.product.id, reason: 'app deleted' },
    });
    await publishGrantEvent(em, grant, pending ? 'grant.withdrawn' : 'grant.decided', actorId);
  }
}

const DecideGrantsSchema = z.object({
  grantIds: z
    .array(z.string().trim().min(1, 'Name a request.'))
    .min(1, 'Choose at least one request.')
    .max(GRANTS_PER_DECISION_MAX, `Decide at most ${GRANTS_PER_DECISION_MAX} requests at once.`)
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: 'Listed twice.' });
        seen.add(id);
      });
    }),
  decision: z.enum(GrantDecision),
  reason: fields
    .text('The reason')
    .max(REASON_MAX, `The reason must be at most ${REASON_MAX} characters.`)
    .nullish()
    .transform((value) => value || null),
  reasonTemplateId: z
    .string()
    .nullish()
    .transform((value) => value || null),
});

const RevokeGrantSchema = z.object({
  grantId: z.string(),
  reason: fields
    .text('The reason', 'Give a reason.')
    .min(1, 'Give a reason.')
    .max(REASON_MAX, `The reason must be at most ${REASON_MAX} characters.`),
});

async function lockGrant(em: EntityManager, id: string, field: string): Promise<ProductGrant> {
  const grant = await em.findOne(
    ProductGrant,
    { id },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!grant) throw notFound('Grant', field);
  return grant;
}

/**
 * Locks the grants and their apps (apps first, then grants, each in id order, as every grant
 * change does) and returns them in the order of `ids`; an unknown id is NOT_FOUND `<field>.<i>`.
 */
async function lockGrantsWithApps(
  em: EntityManager,
  ids: readonly string[],
  field: string,
): Promise<{ grant: ProductGrant; app: App }[]> {
  const single = ids.length === 1 && field !== 'grantIds';
  const where = (i: number) => (single ? field : `${field}.${i}`);
  const unlocked = await em.find(ProductGrant, { id: { $in: [...ids] } });
  ids.forEach((id, i) => {
    if (!unlocked.some((grant) => grant.id === id)) throw notFound('Grant', where(i));
  });
  const appIds = [...new Set(unlocked.map((grant) => grant.app.id))].sort();
  const apps = await em.find(
    App,
    { id: { $in: appIds } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } },
  );
  const grants = await em.find(
    ProductGrant,
    { id: { $in: [...ids] } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } },
  );
  return ids.map((id, i) => {
    const grant = grants.find((row) => row.id === id);
    const app = grant && apps.find((row) => row.id === grant.app.id);
    if (!grant || !app) throw notFound('Grant', where(i));
    return { grant, app };
  });
}

function uniqueApps(grants: { app: App }[]): App[] {
  return [...new Map(grants.map(({ app }) => [app.id, app])).values()];
}

/** `grant.decided` / `grant.withdrawn` on the review queue and the organization's stream. */
async function publishGrantEvent(
  em: EntityManager,
  grant: ProductGrant,
  kind: 'grant.decided' | 'grant.withdrawn',
  decidedById: string | null,
): Promise<void> {
  await publish(em, kind, {
    subjectId: grant.id,
    organizationId: grant.organization.id,
    status: grant.status,
    decidedById,
    appId: grant.app.id,
    productId: grant.product.id,
  });
}

/** The partial unique index settles two requests racing for the same product. */
export const mappingLiveConflict = <T>(run: () => Promise<T>): Promise<T> =>
  mappingConstraintErrors(
    {
      [LIVE_INDEX]: () =>
        conflict(
          'productIds',
          'This app already has a pending or approved request for one of these products.',
        ),
    },
    run,
  );
