import type { GrantStatus } from '../../gql/graphql';

interface GrantLike {
  id: string;
  status: GrantStatus;
  createdAt: string;
  product: { id: string };
}

/** The newest grant of each product (the list arrives newest first); the rest is history. */
export function splitCurrentGrants<T extends GrantLike>(
  grants: readonly T[],
): {
  current: T[];
  history: T[];
} {
  const seen = new Set<string>();
  const current: T[] = [];
  const history: T[] = [];
  const newestFirst = [...grants].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const grant of newestFirst) {
    if (seen.has(grant.product.id)) history.push(grant);
    else {
      seen.add(grant.product.id);
      current.push(grant);
    }
  }
  return { current, history };
}

/** Products that may be requested: none pending or approved for them yet. */
export function requestableProductIds(
  grants: readonly GrantLike[],
): (productId: string) => boolean {
  const { current } = splitCurrentGrants(grants);
  const busy = new Set(
    current
      .filter((grant) => grant.status === 'PENDING' || grant.status === 'APPROVED')
      .map((grant) => grant.product.id),
  );
  return (productId) => !busy.has(productId);
}

/** Who decided: a person, or the automatic rule. */
export function decidedByText(grant: {
  status: GrantStatus;
  decidedBy: { name: string } | null;
  decidedByRule: string | null;
}): string | null {
  if (grant.status === 'PENDING') return null;
  if (grant.decidedBy) return grant.decidedBy.name;
  if (grant.decidedByRule === 'AUTO') return 'Automatic approval';
  if (grant.decidedByRule) {
    return `Automatic: ${grant.decidedByRule.split('+').map(ruleText).join(', ')}`;
  }
  return grant.status === 'WITHDRAWN' ? null : 'Automatic';
}

const metRuleNames: Record<string, string> = {
  CONDITIONAL: 'conditions met',
  requireVerifiedOrg: 'verified organization',
  minimumPlanRank: 'plan',
  maximumPermissionLevel: 'permission level',
  emailDomains: 'email domain',
};

function ruleText(rule: string): string {
  return metRuleNames[rule] ?? rule;
}
