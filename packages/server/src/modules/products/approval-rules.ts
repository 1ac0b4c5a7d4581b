import { PermissionLevel } from '../apps/apps.entity.js';
import { ApprovalMode, type ApprovalRules } from './products.entity.js';

/** Permission levels from least to most powerful. */
const PERMISSION_ORDER: readonly PermissionLevel[] = [
  PermissionLevel.READ,
  PermissionLevel.READ_WRITE,
  PermissionLevel.READ_WRITE_DM,
];

/** The conditions a CONDITIONAL product can set, in the order they are reported. */
export const APPROVAL_CONDITIONS = [
  'requireVerifiedOrg',
  'minimumPlanRank',
  'maximumPermissionLevel',
  'emailDomains',
] as const;
export type ApprovalCondition = (typeof APPROVAL_CONDITIONS)[number];

/** What is known about a request when it is made. */
export interface ApprovalFacts {
  /** The requesting organization is verified by staff. */
  orgVerified: boolean;
  /** Rank of the organization's plan for the product (see `planFor`). */
  planRank: number;
  /** The app's permission level. */
  permissionLevel: PermissionLevel;
  /** Email of the app's owner. */
  ownerEmail: string;
}

export interface ApprovalDecision {
  /** Whether the request is approved without staff. */
  approved: boolean;
  /**
   * What approved it, for `ProductGrant.decidedByRule`: `AUTO`, or `CONDITIONAL:` and the
   * conditions that held (e.g. `CONDITIONAL:requireVerifiedOrg+emailDomains`). null when not approved.
   */
  rule: string | null;
  /** The conditions that did not hold (CONDITIONAL only), for the reviewer. */
  failed: ApprovalCondition[];
}

/** The conditions a product sets: only those with a value that restricts something. */
export function configuredConditions(rules: ApprovalRules): ApprovalCondition[] {
  return APPROVAL_CONDITIONS.filter((condition) => {
    switch (condition) {
      case 'requireVerifiedOrg':
        return rules.requireVerifiedOrg === true;
      case 'minimumPlanRank':
        return typeof rules.minimumPlanRank === 'number';
      case 'maximumPermissionLevel':
        return typeof rules.maximumPermissionLevel === 'string';
      case 'emailDomains':
        return (rules.emailDomains?.length ?? 0) > 0;
    }
  });
}

/** The domain of an email address, lower-cased ('' when there is none). */
export function emailDomainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0
    ? ''
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

function holds(condition: ApprovalCondition, rules: ApprovalRules, facts: ApprovalFacts): boolean {
  switch (condition) {
    case 'requireVerifiedOrg':
      return facts.orgVerified;
    case 'minimumPlanRank':
      return facts.planRank >= (rules.minimumPlanRank ?? Number.NEGATIVE_INFINITY);
    case 'maximumPermissionLevel': {
      const level = PERMISSION_ORDER.indexOf(facts.permissionLevel);
      const maximum = PERMISSION_ORDER.indexOf(
        rules.maximumPermissionLevel ?? PermissionLevel.READ,
      );
      return level >= 0 && level <= maximum;
    }
    case 'emailDomains': {
      const domain = emailDomainOf(facts.ownerEmail);
      return (
        domain !== '' && (rules.emailDomains ?? []).some((d) => d.trim().toLowerCase() === domain)
      );
    }
  }
}

/**
 * Decides whether a request for a product is approved without staff:
 * - AUTO: always, by rule `AUTO`;
 * - MANUAL: never (staff decide);
 * - CONDITIONAL: when every condition the product sets holds, by rule
 *   `CONDITIONAL:<conditions>`; otherwise not, listing the conditions that failed. A
 *   CONDITIONAL product that sets no condition approves nothing (the API refuses to save one).
 * Pure: the caller gathers the facts (organization, plan, app, owner) first.
 */
export function evaluateApprovalRules(
  product: { approvalMode: ApprovalMode; approvalRules: ApprovalRules },
  facts: ApprovalFacts,
): ApprovalDecision {
  switch (product.approvalMode) {
    case ApprovalMode.AUTO:
      return { approved: true, rule: 'AUTO', failed: [] };
    case ApprovalMode.MANUAL:
      return { approved: false, rule: null, failed: [] };
    case ApprovalMode.CONDITIONAL: {
      const conditions = configuredConditions(product.approvalRules);
      if (!conditions.length) return { approved: false, rule: null, failed: [] };
      const failed = conditions.filter((c) => !holds(c, product.approvalRules, facts));
      return failed.length
        ? { approved: false, rule: null, failed }
        : { approved: true, rule: `CONDITIONAL:${conditions.join('+')}`, failed: [] };
    }
  }
}
