import { describe, expect, it } from 'vitest';
import { credentialLabel, usageView } from './useUsage';

const stats = {
  requests: 10,
  responses: 8,
  units: 40,
  errors: 2,
  errorRate: 0.25,
  responseTimeMin: 3,
  responseTimeAvg: 20,
  responseTimeMax: 90,
  responseTimeP50: 18,
  responseTimeP95: 80,
  responseTimeP99: 90,
};

describe('usageView', () => {
  it('names credentials as the keys page does', () => {
    expect(credentialLabel('CONSUMER_KEY …x9Qz')).toBe('Consumer key pcs_…x9Qz');
    expect(credentialLabel('BEARER_TOKEN …a1B2')).toBe('Bearer token pbt_…a1B2');
    expect(credentialLabel('No credential')).toBe('No credential');
  });

  it('maps the API answer to what the page shows, in the order of the breakdowns asked for', () => {
    const view = usageView(
      {
        __typename: 'Usage',
        period: 'CURRENT_MONTH',
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-12-01T00:00:00.000Z',
        granularity: 'DAY',
        totals: { __typename: 'UsageStats', ...stats, responses: 0, errorRate: 0 },
        series: [{ __typename: 'UsagePoint', ...stats, at: '2026-11-01T00:00:00.000Z' }],
        byProduct: [
          {
            __typename: 'UsageGroup',
            ...stats,
            id: 'prd_1',
            label: 'Public Posts API',
            deleted: false,
          },
        ],
        byCredential: [
          {
            __typename: 'UsageGroup',
            ...stats,
            id: 'crd_1',
            label: 'CONSUMER_KEY …x9Qz',
            deleted: true,
          },
        ],
        caps: [
          {
            __typename: 'UsageCap',
            metric: 'UNITS',
            month: '2026-11',
            used: 40,
            cap: 100,
            percentage: 40,
            projectedTotal: 120,
            capReachedAt: '2026-11-25T00:00:00.000Z',
            product: { __typename: 'ApiProduct', id: 'prd_1', name: 'Public Posts API' },
            plan: { __typename: 'Plan', id: 'pln_1', name: 'Basic' },
          },
        ],
      },
      ['credential', 'product'],
      '2026-11',
    );
    expect(view.totals.errorRate).toBeNull();
    expect(view.points[0]).toMatchObject({ time: '2026-11-01T00:00:00.000Z', latencyP95: 80 });
    expect(view.breakdowns.map((b) => [b.key, b.title, b.rows[0]?.name, b.rows[0]?.note])).toEqual([
      ['credential', 'By credential', 'Consumer key pcs_…x9Qz', 'revoked'],
      ['product', 'By product', 'Public Posts API', null],
    ]);
    expect(view.caps).toEqual([
      {
        productId: 'prd_1',
        productName: 'Public Posts API',
        planName: 'Basic',
        metric: 'units',
        used: 40,
        cap: 100,
        projected: 120,
        reachedAt: '2026-11-25T00:00:00.000Z',
      },
    ]);
    expect(view.billingMonth).toBe('2026-11');
  });
});
