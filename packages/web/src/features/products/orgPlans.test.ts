import { describe, expect, it } from 'vitest';
import { planForProduct } from './orgPlans';

describe('planForProduct', () => {
  const plans = [
    { id: 'pro', rank: 2 },
    { id: 'free', rank: 0 },
  ];
  it('uses the chosen plan', () => {
    const subs = [{ product: { id: 'p1' }, plan: { id: 'pro' } }];
    expect(planForProduct('p1', subs, plans)).toEqual({ plan: plans[0], chosen: true });
  });
  it('falls back to the lowest rank', () => {
    expect(planForProduct('p2', [], plans)).toEqual({ plan: plans[1], chosen: false });
  });
});
