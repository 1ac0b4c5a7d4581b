/** How a product's (or an endpoint's) deprecation reads on a given day. */

export interface LifecycleBadge {
  label: string;
  color: string;
  /** A sentence for a tooltip or an alert. */
  detail: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function day(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * The badges for a deprecation date and a sunset date (either may be missing): "Deprecated"
 * once the deprecation date has passed (or "Deprecated from <date>" before), "Sunset" once the
 * sunset has passed, "Sunset <date>" before it, in orange when it is less than 30 days away.
 */
export function lifecycleBadges(
  deprecatedAt: string | null | undefined,
  sunsetAt: string | null | undefined,
  now: Date = new Date(),
): LifecycleBadge[] {
  const badges: LifecycleBadge[] = [];
  const sunsetPassed = sunsetAt ? new Date(sunsetAt).getTime() <= now.getTime() : false;
  if (deprecatedAt && !sunsetPassed) {
    const passed = new Date(deprecatedAt).getTime() <= now.getTime();
    badges.push(
      passed
        ? {
            label: 'Deprecated',
            color: 'orange',
            detail: `Deprecated since ${day(deprecatedAt)}: plan your move.`,
          }
        : {
            label: `Deprecated from ${day(deprecatedAt)}`,
            color: 'yellow',
            detail: `Will be deprecated on ${day(deprecatedAt)}.`,
          },
    );
  }
  if (sunsetAt) {
    const left = new Date(sunsetAt).getTime() - now.getTime();
    badges.push(
      sunsetPassed
        ? { label: 'Sunset', color: 'red', detail: `Switched off on ${day(sunsetAt)}.` }
        : {
            label: `Sunset ${day(sunsetAt)}`,
            color: left < 30 * DAY_MS ? 'red' : 'orange',
            detail: `Stops answering on ${day(sunsetAt)} (${Math.ceil(left / DAY_MS)} days left).`,
          },
    );
  }
  return badges;
}

/** A human label for a changelog entry kind (`BREAKING_CHANGE` → "Breaking change"). */
export function kindLabel(kind: string): string {
  const words = kind.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The colour of a changelog entry kind. */
export function kindColor(kind: string): string {
  const upper = kind.toUpperCase();
  if (upper.includes('BREAK') || upper.includes('REMOV') || upper.includes('SUNSET')) return 'red';
  if (upper.includes('DEPRECAT')) return 'orange';
  if (upper.includes('FIX')) return 'grape';
  if (upper.includes('ADD') || upper.includes('NEW') || upper.includes('FEATURE')) return 'teal';
  return 'blue';
}
