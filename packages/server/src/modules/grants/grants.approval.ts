import type { EntityManager } from '@mikro-orm/postgresql';
import { PermissionLevel } from '../apps/apps.entity.js';
import {
  ApprovalMode,
  Plan,
  PlanSubscription,
  type ApiProduct,
} from '../products/products.entity.js';

/**
 * What a CONDITIONAL product's rules look at. The one seam between grants and products:
 * when modules/products exports `evaluateApprovalRules` and `planFor`, `decideAutomatically`
 * and `approvalFactsFor` below swap to them and nothing else in this module changes.
 */
export interface ApprovalFacts {
  organizationVerifiedAt: Date | null;
  /** The rank of the organization's plan for the product (its default plan when none chosen). */
  planRank: number | null;
  permissionLevel: PermissionLevel;
  ownerEmail: string;
}

export interface AutomaticDecision {
  approved: boolean;
  /** The rule that approved it (`AUTO`, or the conditions met, e.g. `requireVerifiedOrg+emailDomains`). */
  rule: string | null;
  /** Conditions not met (empty when approved or for a MANUAL product). */
  failed: string[];
}

const LEVEL_ORDER: Record<PermissionLevel, number> = {
  [PermissionLevel.READ]: 0,
  [PermissionLevel.READ_WRITE]: 1,
  [PermissionLevel.READ_WRITE_DM]: 2,
};

/** Whether a request is approved at once, by the product's approval mode (and rules). */
export function decideAutomatically(product: ApiProduct, facts: ApprovalFacts): AutomaticDecision {
  switch (product.approvalMode) {
    case ApprovalMode.AUTO:
      return { approved: true, rule: 'AUTO', failed: [] };
    case ApprovalMode.MANUAL:
      return { approved: false, rule: null, failed: [] };
    case ApprovalMode.CONDITIONAL:
      return evaluateRules(product, facts);
  }
}

/** A CONDITIONAL product approves a request that meets every condition it sets. */
function evaluateRules(product: ApiProduct, facts: ApprovalFacts): AutomaticDecision {
  const rules = product.approvalRules ?? {};
  const met: string[] = [];
  const failed: string[] = [];
  const check = (name: string, ok: boolean) => (ok ? met : failed).push(name);
  if (rules.requireVerifiedOrg) check('requireVerifiedOrg', facts.organizationVerifiedAt !== null);
  if (rules.minimumPlanRank !== undefined && rules.minimumPlanRank !== null) {
    check('minimumPlanRank', facts.planRank !== null && facts.planRank >= rules.minimumPlanRank);
  }
  if (rules.maximumPermissionLevel) {
    check(
      'maximumPermissionLevel',
      LEVEL_ORDER[facts.permissionLevel] <= LEVEL_ORDER[rules.maximumPermissionLevel],
    );
  }
  if (rules.emailDomains?.length) {
    const domain = facts.ownerEmail.slice(facts.ownerEmail.lastIndexOf('@') + 1).toLowerCase();
    check(
      'emailDomains',
      rules.emailDomains.some((allowed) => allowed.trim().toLowerCase() === domain),
    );
  }
  if (failed.length) return { approved: false, rule: null, failed };
  return { approved: true, rule: met.length ? met.join('+') : 'CONDITIONAL', failed: [] };
}

/** The rank of the organization's plan for a product: its subscription, else the lowest plan. */
export async function planRankFor(
  em: EntityManager,
  organizationId: string,
  productId: string,
): Promise<number | null> {
  const subscription = await em.findOne(
    PlanSubscription,
    { organization: organizationId, product: productId },
    { populate: ['plan'] },
  );
  if (subscription) return subscription.plan.getEntity().rank;
  const [lowest] = await em.find(Plan, {}, { orderBy: { rank: 'asc' }, limit: 1 });
  return lowest?.rank ?? null;
}
