import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer, type TestClient } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import { gatewayProduct, planFor, sql } from '../../../test/gateway-builders.js';
import {
  finishedRun,
  planBulkRun,
  STAFF_APP_FIELDS,
  startBulkRun,
} from '../../../test/staff-builders.js';
import { writeMinutes } from '../../../test/usage-builders.js';
import { startStandaloneBulkRunWorker, type BulkRunWorker } from '../../jobs/bulk-runs.js';

/*
 * The usage parts of the staff console: usage columns, the error-rate and cap criteria and
 * sorts of the inventory (apps and organizations), the same criteria in bulk runs and exports,
 * and the high-usage report with its upgrade suggestion.
 */

const server = useTestServer({ smtp: false });
let worker: BulkRunWorker;

beforeAll(async () => {
  worker = await startStandaloneBulkRunWorker(server.app.services, {
    pollingIntervalSeconds: 0.5,
  });
});
afterAll(async () => {
  await worker.stop();
});

const DAY = 86_400_000;

const USAGE_FIELDS = `usage { month requests units errors responses errorRate errorRateLast30Days
  percentOfCap suggestUpgrade highestCap { productId productName planId planName metric used cap percentage } }`;

interface UsageFields {
  month: string;
  requests: number;
  units: number;
  errors: number;
  responses: number;
  errorRate: number;
  errorRateLast30Days: number;
  percentOfCap: number | null;
  suggestUpgrade: boolean;
  highestCap: {
    productId: string;
    productName: string;
    planId: string;
    planName: string;
    metric: string;
    used: number;
    cap: number;
    percentage: number;
  } | null;
}

const APPS = `query ($filter: StaffAppFilter, $sort: StaffAppSort, $direction: SortDirection, $first: Int, $after: String) {
  staffApps(filter: $filter, sort: $sort, direction: $direction, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id ${USAGE_FIELDS} }
  }
}`;

interface AppsPage {
  staffApps: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: { id: string; usage: UsageFields }[];
  };
}

/** Minute rows: `responses` response times of 50 ms, `errors` of them failed. */
async function use(
  org: string,
  app: string,
  product: string,
  at: Date,
  counts: { requests: number; units?: number; responses?: number; errors?: number },
): Promise<void> {
  await writeMinutes(server, [
    {
      bucket: new Date(at.getTime() - (at.getTime() % 60_000)),
      organizationId: org,
      appId: app,
      productId: product,
      requests: counts.requests,
      units: counts.units ?? 0,
      responseTimes: new Array<number>(counts.responses ?? 0).fill(50),
      errors: counts.errors ?? 0,
    },
  ]);
}

/**
 * An organization on a plan of 1,000 requests and 10,000 units a month for a product, with four
 * apps: `hot` (85 % of the request cap, 10 % errors), `warm` (50 % of the unit cap, 0.5 %
 * errors), `old` (1 % of the request cap; its errors are 45 days old) and `cold` (no usage).
 */
async function tenant() {
  const org = await orgWithMembers(server, { admins: 1 });
  const [admin] = org.admins as [SignedInUser];
  const staff = await signUpUser(server, { staff: true });
  const product = await gatewayProduct(server);
  const plan = await planFor([server], org.id, product.id, {
    monthlyRequestCap: 1_000,
    monthlyUnitCap: 10_000,
  });
  const apps = {
    hot: await createApp(admin.client, org.id, { name: 'Hot' }),
    warm: await createApp(admin.client, org.id, { name: 'Warm' }),
    old: await createApp(admin.client, org.id, { name: 'Old' }),
    cold: await createApp(admin.client, org.id, { name: 'Cold' }),
  };
  const now = new Date();
  await use(org.id, apps.hot.id, product.id, now, {
    requests: 850,
    units: 100,
    responses: 300,
    errors: 30,
  });
  await use(org.id, apps.warm.id, product.id, now, {
    requests: 200,
    units: 5_000,
    responses: 200,
    errors: 1,
  });
  await use(org.id, apps.old.id, product.id, now, { requests: 10, responses: 10 });
  await use(org.id, apps.old.id, product.id, new Date(now.getTime() - 45 * DAY), {
    requests: 50,
    responses: 50,
    errors: 50,
  });
  return { org, admin, staff, product, plan, apps };
}

async function appIds(
  client: TestClient,
  variables: Record<string, unknown>,
): Promise<{ ids: string[]; total: number }> {
  const { staffApps } = await client.ok<AppsPage>(APPS, variables);
  return { ids: staffApps.nodes.map((a) => a.id), total: staffApps.totalCount };
}

describe('usage in the staff inventory of apps', () => {
  it("shows this month's usage, the largest share of a plan cap and the 30-day error rate", async () => {
    const { org, staff, product, plan, apps } = await tenant();
    const { staffApps } = await staff.client.ok<AppsPage>(APPS, {
      filter: { organizationId: org.id },
    });
    const usage = (id: string) => staffApps.nodes.find((a) => a.id === id)?.usage;
    expect(usage(apps.hot.id)).toMatchObject({
      requests: 850,
      units: 100,
      errors: 30,
      responses: 300,
      errorRate: 0.1,
      errorRateLast30Days: 0.1,
      percentOfCap: 85,
      suggestUpgrade: true,
      highestCap: {
        productId: product.id,
        planId: plan.id,
        planName: plan.name,
        metric: 'REQUESTS',
        used: 850,
        cap: 1_000,
        percentage: 85,
      },
    });
    expect(usage(apps.warm.id)).toMatchObject({
      percentOfCap: 50,
      suggestUpgrade: false,
      highestCap: { metric: 'UNITS', used: 5_000, cap: 10_000 },
    });
    // Errors 45 days ago are outside the last 30 days.
    expect(usage(apps.old.id)).toMatchObject({ requests: 10, errorRateLast30Days: 0 });
    expect(usage(apps.cold.id)).toMatchObject({
      requests: 0,
      percentOfCap: null,
      highestCap: null,
      suggestUpgrade: false,
    });
    expect(usage(apps.cold.id)?.month).toMatch(/^\d{4}-\d{2}$/);
  });

  it('filters by error rate over X % and usage over Y % of a cap, with the total', async () => {
    const { org, staff, apps } = await tenant();
    const matching = async (filter: Record<string, unknown>) => {
      const found = await appIds(staff.client, { filter: { organizationId: org.id, ...filter } });
      expect(found.total).toBe(found.ids.length);
      return found.ids.sort();
    };
    expect(await matching({ errorRateOver: 5 })).toEqual([apps.hot.id]);
    expect(await matching({ errorRateOver: 0.5 })).toEqual([apps.hot.id, apps.warm.id].sort());
    expect(await matching({ errorRateOver: 0 })).toEqual(
      [apps.hot.id, apps.warm.id, apps.old.id].sort(),
    );
    expect(await matching({ usageOverPercentOfCap: 80 })).toEqual([apps.hot.id]);
    expect(await matching({ usageOverPercentOfCap: 50 })).toEqual(
      [apps.hot.id, apps.warm.id].sort(),
    );
    expect(await matching({ usageOverPercentOfCap: 50, errorRateOver: 1 })).toEqual([apps.hot.id]);
    // With other criteria (no organization): the selection narrows the usage read.
    expect(
      (await appIds(staff.client, { filter: { ids: [apps.warm.id], usageOverPercentOfCap: 10 } }))
        .ids,
    ).toEqual([apps.warm.id]);
    for (const [filter, field] of [
      [{ errorRateOver: 101 }, 'errorRateOver'],
      [{ errorRateOver: -1 }, 'errorRateOver'],
      [{ usageOverPercentOfCap: -0.5 }, 'usageOverPercentOfCap'],
      [{ usageOverPercentOfCap: 1001 }, 'usageOverPercentOfCap'],
    ] as const) {
      expect(await staff.client.fails(APPS, { filter }), field).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
  });

  it('sorts by requests, share of a cap and error rate, paging with a cursor', async () => {
    const { org, staff, apps } = await tenant();
    const walk = async (sort: string, direction: string) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { staffApps }: AppsPage = await staff.client.ok<AppsPage>(APPS, {
          filter: { organizationId: org.id },
          sort,
          direction,
          first: 1,
          after,
        });
        expect(staffApps.totalCount).toBe(4);
        seen.push(...staffApps.nodes.map((a) => a.id));
        if (!staffApps.pageInfo.hasNextPage) {
          // Past the end: no rows, and still the total.
          const { staffApps: past }: AppsPage = await staff.client.ok<AppsPage>(APPS, {
            filter: { organizationId: org.id },
            sort,
            direction,
            after: staffApps.pageInfo.endCursor,
          });
          expect([past.nodes.length, past.totalCount]).toEqual([0, 4]);
          return seen;
        }
        after = staffApps.pageInfo.endCursor;
      }
    };
    const { hot, warm, old, cold } = apps;
    expect(await walk('REQUESTS_THIS_MONTH', 'DESC')).toEqual([hot.id, warm.id, old.id, cold.id]);
    expect(await walk('REQUESTS_THIS_MONTH', 'ASC')).toEqual([cold.id, old.id, warm.id, hot.id]);
    expect(await walk('PERCENT_OF_CAP', 'DESC')).toEqual([hot.id, warm.id, old.id, cold.id]);
    const byErrors = await walk('ERROR_RATE', 'DESC');
    expect(byErrors.slice(0, 2)).toEqual([hot.id, warm.id]);
    expect(byErrors.slice(2).sort()).toEqual([old.id, cold.id].sort());
  });
});

const ORGS = `query ($filter: StaffOrganizationFilter, $sort: StaffOrganizationSort, $direction: SortDirection, $first: Int, $after: String) {
  staffOrganizations(filter: $filter, sort: $sort, direction: $direction, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id ${USAGE_FIELDS} }
  }
}`;

describe('usage in the staff inventory of organizations', () => {
  it("shows the organization's usage this month against its caps; filters and sorts by it", async () => {
    const { org, staff, product } = await tenant();
    const quiet = await orgWithMembers(server, { admins: 1 });
    const ids = [org.id, quiet.id];
    const data = await staff.client.ok<{
      staffOrganizations: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { id: string; usage: UsageFields }[];
      };
    }>(ORGS, { filter: { ids }, sort: 'REQUESTS_THIS_MONTH', direction: 'DESC', first: 1 });
    expect(data.staffOrganizations.totalCount).toBe(2);
    // 1,060 requests of the organization's 1,000: every app counts against the cap.
    expect(data.staffOrganizations.nodes[0]).toMatchObject({
      id: org.id,
      usage: {
        requests: 1_060,
        units: 5_100,
        percentOfCap: 106,
        suggestUpgrade: true,
        highestCap: { productId: product.id, metric: 'REQUESTS' },
      },
    });
    const next = await staff.client.ok<{
      staffOrganizations: { nodes: { id: string; usage: UsageFields }[] };
    }>(ORGS, {
      filter: { ids },
      sort: 'REQUESTS_THIS_MONTH',
      direction: 'DESC',
      after: data.staffOrganizations.pageInfo.endCursor,
    });
    expect(next.staffOrganizations.nodes).toMatchObject([
      { id: quiet.id, usage: { requests: 0, percentOfCap: null } },
    ]);
    const over = await staff.client.ok<{ staffOrganizations: { nodes: { id: string }[] } }>(ORGS, {
      filter: { ids, usageOverPercentOfCap: 100 },
      sort: 'PERCENT_OF_CAP',
    });
    expect(over.staffOrganizations.nodes.map((o) => o.id)).toEqual([org.id]);
    expect(
      await staff.client.fails(ORGS, { filter: { usageOverPercentOfCap: 2000 } }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'usageOverPercentOfCap' });
  });
});

const HIGH_USAGE = `query ($by: HighUsageMeasure, $top: Int, $filter: StaffAppFilter) {
  staffHighUsageApps(by: $by, top: $top, filter: $filter) {
    month by upgradeThreshold upgradeSuggestedCount
    apps { ${STAFF_APP_FIELDS} ${USAGE_FIELDS} }
  }
}`;

interface HighUsage {
  staffHighUsageApps: {
    month: string;
    by: string;
    upgradeThreshold: number;
    upgradeSuggestedCount: number;
    apps: { id: string; name: string; usage: UsageFields }[];
  };
}

describe('high-usage report', () => {
  it('lists the top apps by requests or share of a cap, suggesting an upgrade from 80 %', async () => {
    const { org, staff, apps } = await tenant();
    const filter = { organizationId: org.id };
    const byCap = await staff.client.ok<HighUsage>(HIGH_USAGE, {
      by: 'PERCENT_OF_CAP',
      top: 2,
      filter,
    });
    expect(byCap.staffHighUsageApps).toMatchObject({
      by: 'PERCENT_OF_CAP',
      upgradeThreshold: 80,
      upgradeSuggestedCount: 1,
    });
    expect(
      byCap.staffHighUsageApps.apps.map((a) => [
        a.id,
        a.usage.percentOfCap,
        a.usage.suggestUpgrade,
      ]),
    ).toEqual([
      [apps.hot.id, 85, true],
      [apps.warm.id, 50, false],
    ]);
    // By requests; an app that used nothing this month is not listed.
    const byRequests = await staff.client.ok<HighUsage>(HIGH_USAGE, { top: 10, filter });
    expect(byRequests.staffHighUsageApps.by).toBe('REQUESTS');
    expect(byRequests.staffHighUsageApps.apps.map((a) => a.id)).toEqual([
      apps.hot.id,
      apps.warm.id,
      apps.old.id,
    ]);
    for (const top of [0, 101]) {
      expect(await staff.client.fails(HIGH_USAGE, { top, filter })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'top',
      });
    }
  });
});

describe('usage criteria in bulk runs and exports', () => {
  it('plans and runs a suspension of the apps over an error rate, stored with the criteria', async () => {
    const { org, staff, apps } = await tenant();
    const criteria = { organizationId: org.id, errorRateOver: 5 };
    const plan = await planBulkRun(staff.client, {
      action: 'SUSPEND',
      criteria,
      reason: 'Error rate above 5 % for a month.',
    });
    expect(plan.criteria).toEqual(criteria);
    expect(plan.items.nodes.map((i) => [i.appId, i.plan])).toEqual([[apps.hot.id, 'CHANGE']]);
    await startBulkRun(staff.client, plan.id);
    const run = await finishedRun(staff.client, plan.id);
    expect(run).toMatchObject({ status: 'FINISHED', appliedCount: 1 });
    const rows = await sql<{ id: string; status: string }>(
      server,
      `select id, status::text as status from app where organization_id = ? order by name`,
      [org.id],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [apps.cold.id]: 'ACTIVE',
      [apps.hot.id]: 'SUSPENDED',
      [apps.old.id]: 'ACTIVE',
      [apps.warm.id]: 'ACTIVE',
    });
    expect(
      await staff.client.fails(
        `mutation ($input: PlanBulkRunInput!) { planBulkRun(input: $input) { run { id } } }`,
        {
          input: {
            action: 'SUSPEND',
            criteria: { organizationId: org.id, usageOverPercentOfCap: -5 },
            reason: 'Over the cap for a month.',
          },
        },
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'criteria.usageOverPercentOfCap' });
  });

  it('exports apps and organizations with usage, by usage criteria, and the high-usage report', async () => {
    const { org, staff, apps } = await tenant();
    const download = async (path: string) => {
      const response = await fetch(`${server.url}${path}`, {
        headers: { cookie: staff.client.cookieHeader ?? '' },
      });
      expect(response.status, path).toBe(200);
      return response.text();
    };
    const criteria = (value: Record<string, unknown>) => encodeURIComponent(JSON.stringify(value));
    const csv = await download(
      `/api/staff/exports/apps.csv?criteria=${criteria({ organizationId: org.id, usageOverPercentOfCap: 80 })}`,
    );
    const [header, ...rows] = csv.trim().split('\n');
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(
      header!.split(',').map((name, i) => [name, rows[0]!.split(',')[i]]),
    );
    expect(row).toMatchObject({
      id: apps.hot.id,
      requestsThisMonth: '850',
      unitsThisMonth: '100',
      errorRatePercentLast30Days: '10',
      percentOfCap: '85',
      capMetric: 'REQUESTS',
      suggestUpgrade: 'true',
    });

    const json = JSON.parse(
      await download(
        `/api/staff/exports/organizations.json?criteria=${criteria({ ids: [org.id] })}`,
      ),
    ) as Record<string, unknown>[];
    expect(json[0]).toMatchObject({ id: org.id, requestsThisMonth: 1_060, percentOfCap: 106 });

    const report = await download(
      `/api/staff/exports/high-usage-apps.csv?by=PERCENT_OF_CAP&top=2&criteria=${criteria({ organizationId: org.id })}`,
    );
    const lines = report.trim().split('\n');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([apps.hot.id, apps.warm.id]);
    expect(lines[1]).toMatch(/,true$/);
    expect(lines[2]).toMatch(/,false$/);

    const bad = await fetch(`${server.url}/api/staff/exports/high-usage-apps.csv?top=0`, {
      headers: { cookie: staff.client.cookieHeader ?? '' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(await bad.text())).toMatchObject({
      error: { code: 'BAD_USER_INPUT', field: 'top' },
    });

    const audited = await sql<{ target_id: string; data: { criteria: Record<string, unknown> } }>(
      server,
      `select target_id, data from audit_entry where action = 'export.create' and actor_id = ? order by created_at`,
      [staff.id],
    );
    expect(audited.map((e) => e.target_id)).toEqual(['apps', 'organizations', 'high-usage-apps']);
    expect(audited[2]?.data.criteria).toEqual({
      organizationId: org.id,
      by: 'PERCENT_OF_CAP',
      top: 2,
    });
  });
});
