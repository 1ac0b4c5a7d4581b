import { LockMode, raw, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertOrgAction } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { publish } from '../../events/events.service.js';
import { parseInput } from '../../graphql/validation.js';
import { newId } from '../../ids.js';
import { App } from '../apps/apps.entity.js';
import { recordAudit } from '../../audit/record.js';
import { lockOrganization } from '../orgs/orgs.access.js';
import { loadReference } from '../../db/references.js';
import { Organization } from '../orgs/orgs.entity.js';
import { productLoaders } from './products.loaders.js';
import { ApiProduct, DevEnvironment, Plan, PlanSubscription } from './products.entity.js';
import type { ChangePlanInput, CreatePlanInput, UpdatePlanInput } from './products.types.js';
import {
  CreatePlanSchema,
  PLAN_SETTINGS,
  UpdatePlanSchema,
  type PlanSettings,
} from './products.validation.js';
import { mappingConstraintErrors } from '../../db/constraints.js';

/** The tiers every installation starts with; staff may change them afterwards. */
export const DEFAULT_PLANS: readonly PlanSettings[] = [
  {
    name: 'Free',
    rank: 0,
    monthlyRequestCap: 10_000,
    monthlyUnitCap: 100_000,
    rateLimitRequests: 60,
    rateLimitWindowSeconds: 60,
    maxApps: 3,
    maxDevEnvironments: 1,
  },
  {
    name: 'Basic',
    rank: 1,
    monthlyRequestCap: 100_000,
    monthlyUnitCap: 1_000_000,
    rateLimitRequests: 300,
    rateLimitWindowSeconds: 60,
    maxApps: 10,
    maxDevEnvironments: 3,
  },
  {
    name: 'Pro',
    rank: 2,
    monthlyRequestCap: 1_000_000,
    monthlyUnitCap: 10_000_000,
    rateLimitRequests: 1_200,
    rateLimitWindowSeconds: 60,
    maxApps: 25,
    maxDevEnvironments: 10,
  },
  {
    name: 'Enterprise',
    rank: 3,
    monthlyRequestCap: null,
    monthlyUnitCap: null,
    rateLimitRequests: 6_000,
    rateLimitWindowSeconds: 60,
    maxApps: 100,
    maxDevEnvironments: 50,
  },
];

const NAME_CONSTRAINT = 'plan_name_unique';
const RANK_CONSTRAINT = 'plan_rank_unique';

/**
 * Creates the default plans that are missing (a plan whose name or rank is taken is skipped,
 * so staff's renames and re-rankings stay), and returns every plan by rank. Idempotent and
 * safe to run concurrently: one `insert … on conflict do nothing`.
 */
export async function ensureDefaultPlans(em: EntityManager): Promise<Plan[]> {
  const now = new Date();
  await em
    .createQueryBuilder(Plan)
    .insert(DEFAULT_PLANS.map((plan) => ({ ...plan, id: newId('pln'), createdAt: now })))
    .onConflict()
    .ignore()
    .execute();
  return em.find(Plan, {}, { orderBy: { rank: 'asc' }, refresh: true });
}

/** Every plan by rank (the defaults are created the first time none exist). */
export async function listPlans(ctx: Context): Promise<Plan[]> {
  const plans = await ctx.em.find(Plan, {}, { orderBy: { rank: 'asc' } });
  return plans.length ? plans : ensureDefaultPlans(ctx.em);
}

export async function findPlan(ctx: Context, id: string): Promise<Plan> {
  const plan = await productLoaders(ctx).planById.load(id);
  if (!plan) throw notFound('Plan');
  return plan;
}

/**
 * The organization's plan for a product: the one it subscribed to, or else the lowest-rank
 * plan (the default plans are created when there is none at all).
 */
export async function planFor(
  em: EntityManager,
  organizationId: string,
  productId: string,
): Promise<Plan> {
  const subscription = await em.findOne(
    PlanSubscription,
    { organization: organizationId, product: productId },
    { populate: ['plan'] },
  );
  if (subscription) return subscription.plan.getEntity();
  const [lowest] = await em.find(Plan, {}, { orderBy: { rank: 'asc' }, limit: 1 });
  if (lowest) return lowest;
  const [first] = await ensureDefaultPlans(em);
  if (!first) throw new Error('No plan exists after creating the default plans.');
  return first;
}

/** Staff add a plan. */
export async function createPlan(ctx: Context, input: CreatePlanInput): Promise<Plan> {
  const data = parseInput(CreatePlanSchema, input);
  return mappingPlanConflicts(() =>
    ctx.em.transactional(async (em) => {
      await assertPlanUnique(em, data, null);
      const plan = new Plan(data);
      em.persist(plan);
      recordAudit(em, ctx, {
        organizationId: null,
        action: 'plan.create',
        targetType: 'Plan',
        targetId: plan.id,
        data: { ...data },
      });
      await publish(em, 'catalog.changed', { subjectId: plan.id, change: 'plan.create' });
      return plan;
    }),
  );
}

/** Staff change a plan's limits; every organization on it gets them at once. */
export async function updatePlan(ctx: Context, input: UpdatePlanInput): Promise<Plan> {
  return mappingPlanConflicts(() =>
    ctx.em.transactional(async (em) => {
      const plan = await em.findOne(
        Plan,
        { id: input.planId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!plan) throw notFound('Plan', 'planId');
      const data = parseInput(UpdatePlanSchema, input);
      await assertPlanUnique(em, data, plan.id);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of PLAN_SETTINGS) {
        const value = data[key];
        if (value === undefined || value === plan[key]) continue;
        changes[key] = { from: plan[key], to: value };
        setSetting(plan, key, value);
      }
      if (Object.keys(changes).length) {
        recordAudit(em, ctx, {
          organizationId: null,
          action: 'plan.update',
          targetType: 'Plan',
          targetId: plan.id,
          data: { name: plan.name, changes },
        });
        await publish(em, 'catalog.changed', { subjectId: plan.id, change: 'plan.update' });
      }
      return plan;
    }),
  );
}

function setSetting<K extends keyof PlanSettings>(
  plan: Plan,
  key: K,
  value: PlanSettings[K],
): void {
  (plan as PlanSettings)[key] = value;
}

/** Names (ignoring case) and ranks are unique. */
async function assertPlanUnique(
  em: EntityManager,
  data: { name?: string; rank?: number },
  exceptPlanId: string | null,
): Promise<void> {
  const except = exceptPlanId ? { id: { $ne: exceptPlanId } } : {};
  if (
    data.name !== undefined &&
    (await em.count(Plan, {
      ...except,
      [raw((alias) => `lower(${alias}.name)`)]: raw('lower(?)', [data.name]),
    }))
  ) {
    throw conflict('name', 'Another plan already has this name.');
  }
  if (data.rank !== undefined && (await em.count(Plan, { ...except, rank: data.rank }))) {
    throw conflict('rank', 'Another plan already has this rank.');
  }
}

const mappingPlanConflicts = <T>(run: () => Promise<T>): Promise<T> =>
  mappingConstraintErrors(
    {
      [NAME_CONSTRAINT]: () => conflict('name', 'Another plan already has this name.'),
      [RANK_CONSTRAINT]: () => conflict('rank', 'Another plan already has this rank.'),
    },
    run,
  );

/** The organization's subscriptions to live products (members and staff). */
export async function subscriptionsOf(
  ctx: Context,
  organization: Organization,
): Promise<PlanSubscription[]> {
  await assertOrgAction(ctx, organization.id, 'org:read');
  return productLoaders(ctx).subscriptionsByOrg.load(organization.id);
}

/** The subscription's plan (from the identity map, or batched). */
export async function planOfSubscription(
  ctx: Context,
  subscription: PlanSubscription,
): Promise<Plan> {
  const plan = await loadReference(subscription.plan, productLoaders(ctx).planById);
  if (!plan) throw notFound('Plan');
  return plan;
}

/** Live apps of an organization: what a plan's `maxApps` limits. */
export async function liveAppCount(em: EntityManager, organizationId: string): Promise<number> {
  return em.count(App, { organization: organizationId, deletedAt: null });
}

/**
 * An organization admin picks the organization's plan for a product. A plan whose limits the
 * organization already exceeds (live apps over `maxApps`, dev environments of the product over
 * `maxDevEnvironments`) is refused with CONFLICT on `planId`.
 */
export async function changePlan(
  ctx: Context,
  input: ChangePlanInput,
): Promise<{ planSubscription: PlanSubscription; organization: Organization }> {
  await assertOrgAction(ctx, input.organizationId, 'org:update');
  return ctx.em.transactional(async (em) => {
    const organization = await lockOrganization(em, input.organizationId);
    const product = await em.findOne(ApiProduct, { id: input.productId, archivedAt: null });
    if (!product) throw notFound('Product', 'productId');
    const plan = await em.findOne(Plan, { id: input.planId });
    if (!plan) throw notFound('Plan', 'planId');

    const existing = await em.findOne(
      PlanSubscription,
      { organization: organization.id, product: product.id },
      { populate: ['plan'] },
    );
    if (existing?.plan.id === plan.id) return { planSubscription: existing, organization };
    const from = existing
      ? existing.plan.getEntity()
      : await planFor(em, organization.id, product.id);

    const apps = await liveAppCount(em, organization.id);
    if (apps > plan.maxApps) {
      throw conflict(
        'planId',
        `The ${plan.name} plan allows ${plan.maxApps} app${plan.maxApps === 1 ? '' : 's'}, and the organization has ${apps}. Delete apps before moving to it.`,
      );
    }
    const environments = await em.count(DevEnvironment, {
      organization: organization.id,
      product: product.id,
    });
    if (environments > plan.maxDevEnvironments) {
      throw conflict(
        'planId',
        `The ${plan.name} plan allows ${plan.maxDevEnvironments} dev environment${plan.maxDevEnvironments === 1 ? '' : 's'} for ${product.name}, and the organization has ${environments}. Delete environments before moving to it.`,
      );
    }

    let subscription: PlanSubscription;
    if (existing) {
      subscription = existing;
      subscription.plan = ref(plan);
    } else {
      subscription = new PlanSubscription(ref(organization), ref(product), ref(plan));
      em.persist(subscription);
    }
    recordAudit(em, ctx, {
      organizationId: organization.id,
      action: 'plan.change',
      targetType: 'PlanSubscription',
      targetId: subscription.id,
      data: {
        productId: product.id,
        productName: product.name,
        from: { planId: from.id, name: from.name, rank: from.rank },
        to: { planId: plan.id, name: plan.name, rank: plan.rank },
      },
    });
    // On the organization's stream (gateways drop what they cached for it: caps and rate
    // limits) and on the catalog topic (gateways reload the plan subscriptions).
    await publish(em, 'plan.changed', {
      subjectId: subscription.id,
      organizationId: organization.id,
      productId: product.id,
      planId: plan.id,
    });
    return { planSubscription: subscription, organization };
  });
}
