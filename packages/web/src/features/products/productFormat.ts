import type { ApprovalMode, PermissionLevel } from '../../gql/graphql';

export const approvalModeLabels: Record<ApprovalMode, string> = {
  AUTO: 'Automatic approval',
  MANUAL: 'Manual review',
  CONDITIONAL: 'Conditional approval',
};

export const approvalModeColors: Record<ApprovalMode, string> = {
  AUTO: 'teal',
  MANUAL: 'orange',
  CONDITIONAL: 'grape',
};

export const approvalModeDescriptions: Record<ApprovalMode, string> = {
  AUTO: 'Every request is approved at once.',
  MANUAL: 'Every request waits for the provider to review it.',
  CONDITIONAL: 'Requests meeting every rule are approved at once; the rest wait for review.',
};

const permissionLabels: Record<PermissionLevel, string> = {
  READ: 'Read',
  READ_WRITE: 'Read and write',
  READ_WRITE_DM: 'Read, write and direct messages',
};

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** "Unlimited" for null, otherwise a short number ("1.5M"). */
export function formatCap(value: number | null | undefined): string {
  return value === null || value === undefined ? 'Unlimited' : compact.format(value);
}

/** "100 / min", "5,000 / hour", "10 / 30 s". */
export function formatRateLimit(requests: number, windowSeconds: number): string {
  const count = requests.toLocaleString('en');
  if (windowSeconds === 1) return `${count} / s`;
  if (windowSeconds === 60) return `${count} / min`;
  if (windowSeconds === 3600) return `${count} / hour`;
  if (windowSeconds === 86400) return `${count} / day`;
  return `${count} / ${windowSeconds} s`;
}

interface RulesLike {
  emailDomains: readonly string[];
  maximumPermissionLevel: PermissionLevel | null;
  minimumPlanRank: number | null;
  requireVerifiedOrg: boolean;
}

/** The conditions of a CONDITIONAL product as sentences. */
export function describeRules(
  rules: RulesLike | null | undefined,
  planName: (rank: number) => string = (rank) => `rank ${rank}`,
): string[] {
  if (!rules) return [];
  const lines: string[] = [];
  if (rules.requireVerifiedOrg) lines.push('The organization is verified');
  if (rules.minimumPlanRank !== null) {
    lines.push(`The organization's plan is ${planName(rules.minimumPlanRank)} or higher`);
  }
  if (rules.maximumPermissionLevel) {
    lines.push(
      `The app's permission level is at most ${permissionLabels[rules.maximumPermissionLevel]}`,
    );
  }
  if (rules.emailDomains.length > 0) {
    lines.push(`The app owner's email is at ${rules.emailDomains.join(', ')}`);
  }
  return lines;
}

const ruleNames: Record<string, string> = {
  requireVerifiedOrg: 'Organization not verified',
  minimumPlanRank: 'Plan below the minimum',
  maximumPermissionLevel: 'Permission level too high',
  emailDomains: 'Owner email domain not allowed',
};

/** A readable name for a rule key the server reports (unmetRules, decidedByRule). */
export function ruleLabel(rule: string): string {
  return ruleNames[rule] ?? rule;
}

/** Lines typed in a textarea, trimmed, without blanks. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);
}
