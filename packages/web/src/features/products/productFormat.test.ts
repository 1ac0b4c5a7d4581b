import { describe, expect, it } from 'vitest';
import { describeRules, formatCap, formatRateLimit, parseList, ruleLabel } from './productFormat';

describe('product formatting', () => {
  it('formats caps, unlimited when null', () => {
    expect(formatCap(null)).toBe('Unlimited');
    expect(formatCap(1_500_000)).toBe('1.5M');
  });

  it('names common rate-limit windows', () => {
    expect(formatRateLimit(100, 60)).toBe('100 / min');
    expect(formatRateLimit(5000, 3600)).toBe('5,000 / hour');
    expect(formatRateLimit(10, 30)).toBe('10 / 30 s');
  });

  it('describes conditional rules', () => {
    expect(
      describeRules(
        {
          emailDomains: ['example.com'],
          maximumPermissionLevel: 'READ',
          minimumPlanRank: 2,
          requireVerifiedOrg: true,
        },
        (rank) => (rank === 2 ? 'Pro' : '?'),
      ),
    ).toEqual([
      'The organization is verified',
      "The organization's plan is Pro or higher",
      "The app's permission level is at most Read",
      "The app owner's email is at example.com",
    ]);
    expect(describeRules(null)).toEqual([]);
  });

  it('labels rule keys and parses lists', () => {
    expect(ruleLabel('requireVerifiedOrg')).toBe('Organization not verified');
    expect(ruleLabel('other')).toBe('other');
    expect(parseList(' /a \n\n/b, /c ')).toEqual(['/a', '/b', '/c']);
  });
});
