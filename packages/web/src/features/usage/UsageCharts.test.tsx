import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { UsageCaps, UsageCharts } from './UsageCharts';
import { EMPTY_FIGURES, type UsageCap, type UsagePoint } from './usageView';

const quiet: UsagePoint[] = ['2026-11-29T00:00:00.000Z', '2026-11-30T00:00:00.000Z'].map(
  (time) => ({ ...EMPTY_FIGURES, time }),
);

function renderIn(node: React.ReactNode) {
  return render(<MantineProvider>{node}</MantineProvider>);
}

describe('UsageCharts', () => {
  it('says so on every chart when the period had no traffic', () => {
    renderIn(<UsageCharts points={quiet} granularity="DAY" />);
    expect(screen.getAllByText('No traffic in this period')).toHaveLength(4);
  });

  it('tells a quiet chart apart from a period without traffic', () => {
    const points = quiet.map((point, index) =>
      index === 0 ? { ...point, requests: 40, responses: 40, errorRate: 0 } : point,
    );
    renderIn(<UsageCharts points={points} granularity="DAY" />);
    expect(screen.queryByText('No traffic in this period')).toBeNull();
    expect(screen.getByText('No units delivered in this period')).toBeTruthy();
    expect(screen.getByText('No errors in this period')).toBeTruthy();
    expect(screen.getByText('No response times reported in this period')).toBeTruthy();
    expect(screen.getByText('40 verified, 40 reported')).toBeTruthy();
  });
});

describe('UsageCaps', () => {
  const cap: UsageCap = {
    productId: 'prd_1',
    productName: 'Public Posts API',
    planName: 'Basic',
    metric: 'requests',
    used: 8_200,
    cap: 10_000,
    projected: 12_500,
    reachedAt: '2026-11-26T10:00:00.000Z',
  };

  it('shows the share used, the projection and the day the cap is reached (UTC)', () => {
    renderIn(<UsageCaps caps={[cap]} month="November 2026" />);
    const card = screen.getByRole('region', { name: 'Public Posts API requests cap' });
    expect(card.textContent).toContain('82%');
    expect(card.textContent).toContain('8,200 of 10,000 requests');
    expect(card.textContent).toContain('Projected 12,500 by month end (125%)');
    expect(card.textContent).toContain('Cap reached on Nov 26, 2026 at this rate');
  });

  it('gives a past month its final figures, without a projection', () => {
    renderIn(<UsageCaps caps={[{ ...cap, reachedAt: null }]} month="October 2026" closed />);
    const card = screen.getByRole('region', { name: 'Public Posts API requests cap' });
    expect(card.textContent).toContain('8,200 of 10,000 requests');
    expect(card.textContent).toContain('Cap not reached in October 2026');
    expect(card.textContent).not.toContain('Projected');
  });

  it('shows an unlimited plan without an empty gauge', () => {
    renderIn(<UsageCaps caps={[{ ...cap, cap: null, reachedAt: null }]} month="November 2026" />);
    const card = screen.getByRole('region', { name: 'Public Posts API requests cap' });
    expect(card.textContent).toContain('no monthly cap');
    expect(card.textContent).toContain('8,200');
    expect(card.textContent).not.toContain('of the cap');
  });

  it('says when no plan caps this usage', () => {
    renderIn(<UsageCaps caps={[]} month="November 2026" />);
    expect(screen.getByText('No plan with a monthly cap applies here.')).toBeTruthy();
  });
});
