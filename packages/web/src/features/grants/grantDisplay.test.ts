import { describe, expect, it } from 'vitest';
import { decidedByText, requestableProductIds, splitCurrentGrants } from './grantDisplay';

const grant = (
  id: string,
  product: string,
  status: 'PENDING' | 'APPROVED' | 'REJECTED',
  at: string,
) => ({
  id,
  status,
  createdAt: at,
  product: { id: product },
});

describe('grant display', () => {
  const grants = [
    grant('g1', 'p1', 'REJECTED', '2026-01-01T00:00:00Z'),
    grant('g2', 'p1', 'PENDING', '2026-01-02T00:00:00Z'),
    grant('g3', 'p2', 'APPROVED', '2026-01-01T00:00:00Z'),
    grant('g4', 'p3', 'REJECTED', '2026-01-01T00:00:00Z'),
  ];

  it('keeps the newest grant per product as current', () => {
    const { current, history } = splitCurrentGrants(grants);
    expect(current.map((g) => g.id)).toEqual(['g2', 'g3', 'g4']);
    expect(history.map((g) => g.id)).toEqual(['g1']);
  });

  it('allows requesting products with no pending or approved grant', () => {
    const can = requestableProductIds(grants);
    expect(['p1', 'p2', 'p3', 'p4'].filter(can)).toEqual(['p3', 'p4']);
  });

  it('names who decided', () => {
    expect(
      decidedByText({ status: 'APPROVED', decidedBy: { name: 'Sam' }, decidedByRule: null }),
    ).toBe('Sam');
    expect(decidedByText({ status: 'APPROVED', decidedBy: null, decidedByRule: 'AUTO' })).toBe(
      'Automatic approval',
    );
    expect(decidedByText({ status: 'PENDING', decidedBy: null, decidedByRule: null })).toBeNull();
  });
});
