import { describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS } from '../modules/usage/usage.periods.js';
import { DEMO_MONTH_UNITS, settleThisMonth, type DemoApp, type Row } from './usage.js';

const app = (name: string, organizationId: string): DemoApp => ({
  appId: `app_${name}`,
  organizationId,
  productId: 'prd_posts',
  credentialIds: [`key_${name}`],
  environmentId: '',
});
const trendRadar = app('trend', 'org_engines');
const notebook = app('notebook', 'org_engines');
const opsDashboard = app('ops', 'org_northwind');
const apps = { trendRadar, notebook, opsDashboard };

const month = Date.UTC(2026, 11, 1);
const row = (of: DemoApp, bucket: number, requests: number, units: number): Row => ({
  bucket,
  app: of,
  credentialId: of.credentialIds[0]!,
  requests,
  errors: 0,
  units,
  medianMs: 45,
});
const monthUnits = (rows: Row[], organizationId: string) =>
  rows
    .filter((r) => r.bucket >= month && r.app.organizationId === organizationId)
    .reduce((sum, r) => sum + r.units, 0);

describe('the demo usage of this month', () => {
  it('tells its story two minutes into a month: every app called, 90 % of the units used', () => {
    const earlier = row(notebook, month - DAY_MS, 400, 80_000);
    const rows = [earlier, row(trendRadar, month, 3, 1), row(trendRadar, month + MINUTE_MS, 2, 0)];
    settleThisMonth(rows, apps, month, month + 2 * MINUTE_MS);

    const thisMonth = rows.filter((r) => r.bucket >= month);
    for (const demo of [trendRadar, notebook, opsDashboard]) {
      expect(thisMonth.filter((r) => r.app === demo).length, demo.appId).toBeGreaterThan(0);
    }
    expect(rows.find((r) => r.app === opsDashboard)).toMatchObject({
      bucket: month + 2 * MINUTE_MS,
      requests: 1,
    });
    expect(monthUnits(rows, 'org_engines')).toBe(DEMO_MONTH_UNITS);
    // Last month's rows stay as they were.
    expect(earlier.units).toBe(80_000);
  });

  it('shares the units over the notebook rows by their requests, and keeps the other apps', () => {
    const rows = [
      row(trendRadar, month + DAY_MS, 3_000, 600),
      row(notebook, month + DAY_MS, 1_000, 5),
      row(notebook, month + 2 * DAY_MS, 3_000, 5),
      row(opsDashboard, month + DAY_MS, 150, 30),
    ];
    settleThisMonth(rows, apps, month, month + 3 * DAY_MS);
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.units)).toEqual([
      600,
      (DEMO_MONTH_UNITS - 600) / 4,
      ((DEMO_MONTH_UNITS - 600) * 3) / 4,
      30,
    ]);
    expect(monthUnits(rows, 'org_engines')).toBe(DEMO_MONTH_UNITS);
  });
});
