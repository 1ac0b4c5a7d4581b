import { describe, expect, it } from 'vitest';
import { appsGrantedProduct, plansForProduct } from './productAccess';

const plans = [
  { id: 'pln_pro', rank: 2 },
  { id: 'pln_free', rank: 0 },
];

const orgs = [
  {
    id: 'org_a',
    name: 'Analytical Engines',
    planSubscriptions: [{ product: { id: 'prd_1' }, plan: { id: 'pln_pro' } }],
    appsConnection: {
      nodes: [
        {
          id: 'app_ok',
          name: 'Trend Radar',
          status: 'ACTIVE',
          grants: [{ status: 'APPROVED', product: { id: 'prd_1' } }],
        },
        {
          id: 'app_pending',
          name: 'Pending',
          status: 'ACTIVE',
          grants: [{ status: 'PENDING', product: { id: 'prd_1' } }],
        },
        {
          id: 'app_suspended',
          name: 'Suspended',
          status: 'SUSPENDED',
          grants: [{ status: 'APPROVED', product: { id: 'prd_1' } }],
        },
        {
          id: 'app_other',
          name: 'Other',
          status: 'ACTIVE',
          grants: [{ status: 'APPROVED', product: { id: 'prd_2' } }],
        },
      ],
    },
  },
  { id: 'org_b', name: 'Personal', planSubscriptions: [], appsConnection: { nodes: [] } },
];

describe('appsGrantedProduct', () => {
  it('offers only active apps with an approved grant for the product', () => {
    expect(appsGrantedProduct(orgs, 'prd_1')).toEqual([
      { id: 'app_ok', name: 'Trend Radar · Analytical Engines', organizationId: 'org_a' },
    ]);
    expect(appsGrantedProduct(orgs, 'prd_3')).toEqual([]);
  });

  it('leaves the organization out of the name when there is only one', () => {
    expect(appsGrantedProduct(orgs.slice(0, 1), 'prd_1')[0]?.name).toBe('Trend Radar');
  });
});

describe('plansForProduct', () => {
  it("gives each organization's plan, chosen or lowest, granted organizations first", () => {
    const rows = plansForProduct([...orgs].reverse(), plans, 'prd_1');
    expect(rows.map((row) => [row.organizationId, row.plan?.id, row.chosen, row.granted])).toEqual([
      ['org_a', 'pln_pro', true, true],
      ['org_b', 'pln_free', false, false],
    ]);
  });
});
