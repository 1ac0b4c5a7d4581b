import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { createApp, createProject, orgWithMembers } from '../../../test/app-builders.js';
import { signUpUser } from '../../../test/builders.js';
import { gatewayProduct } from '../../../test/gateway-builders.js';
import { USAGE_FIELDS, writeMinutes, type UsageStatsFields } from '../../../test/usage-builders.js';
import { minutesAgoThisMonth } from '../../../test/usage-times.js';

const server = useTestServer();

const USAGE = `query Usage($of: ID, $period: UsagePeriod!, $month: String, $productId: ID) {
  usage(of: $of, period: $period, month: $month, productId: $productId) {
    period from to granularity
    totals { ${USAGE_FIELDS} }
    series { at requests errors }
    byApp { id label deleted requests }
    byProduct { id label requests }
    byEnvironment { id label requests }
    byCredential { id label requests }
  }
}`;

interface UsageData {
  usage: {
    period: string;
    from: string;
    to: string;
    granularity: string;
    totals: UsageStatsFields;
    series: { at: string; requests: number; errors: number }[];
    byApp: { id: string | null; label: string; deleted: boolean; requests: number }[];
    byProduct: { id: string | null; label: string; requests: number }[];
    byEnvironment: { id: string | null; label: string; requests: number }[];
    byCredential: { id: string | null; label: string; requests: number }[];
  };
}

describe('usage query', () => {
  it('reads an app, its organization and its product over the last 120 minutes and the month', async () => {
    const org = await orgWithMembers(server, { admins: 1, developers: 1 });
    const admin = org.admins[0]!;
    const app = await createApp(admin.client, org.id);
    const product = await gatewayProduct(server);
    const minute = minutesAgoThisMonth(5);
    await writeMinutes(server, [
      {
        bucket: minute,
        organizationId: org.id,
        appId: app.id,
        productId: product.id,
        requests: 10,
        responseTimes: [10, 20, 30, 400],
        errors: 1,
        units: 7,
      },
    ]);
    for (const period of ['LAST_120_MINUTES', 'LAST_24_HOURS', 'CURRENT_MONTH', 'LAST_30_DAYS']) {
      for (const subject of [org.id, app.id]) {
        const { usage } = await org.developers[0]!.client.ok<UsageData>(USAGE, {
          of: subject,
          period,
        });
        expect(usage.totals, `${period} of ${subject}`).toMatchObject({
          requests: 10,
          responses: 4,
          errors: 1,
          units: 7,
          errorRate: 0.25,
          responseTimeMin: 10,
          responseTimeMax: 400,
          responseTimeAvg: 115,
        });
        expect(usage.series.reduce((sum, p) => sum + p.requests, 0)).toBe(10);
        expect(usage.byApp).toEqual([
          { id: app.id, label: app.name, deleted: false, requests: 10 },
        ]);
        expect(usage.byProduct[0]).toMatchObject({ id: product.id, requests: 10 });
        expect(usage.byEnvironment[0]).toMatchObject({ id: null, label: 'No environment' });
      }
    }
    const { usage } = await admin.client.ok<UsageData>(USAGE, {
      of: org.id,
      period: 'LAST_120_MINUTES',
    });
    expect(usage.granularity).toBe('MINUTE');
    expect(usage.series).toHaveLength(120);

    const outsider = await signUpUser(server);
    const denied = await outsider.client.fails(USAGE, { of: app.id, period: 'CURRENT_MONTH' });
    expect(denied).toMatchObject({ code: 'NOT_FOUND', field: 'of' });
    const all = await outsider.client.fails(USAGE, { period: 'CURRENT_MONTH' });
    expect(all.code).toBe('FORBIDDEN');
    const staff = await signUpUser(server, { staff: true });
    const everyone = await staff.client.ok<UsageData>(USAGE, {
      period: 'CURRENT_MONTH',
      productId: product.id,
    });
    expect(everyone.usage.totals.requests).toBe(10);
  });
  it('reads an organization from its organization rows exactly as from its apps’ rows', async () => {
    const org = await orgWithMembers(server, { admins: 1 });
    const admin = org.admins[0]!;
    const project = await createProject(admin.client, org.id);
    const [first, second] = [
      await createApp(admin.client, org.id, { projectId: project.id }),
      await createApp(admin.client, org.id, { projectId: project.id }),
    ];
    const [product, other] = [await gatewayProduct(server), await gatewayProduct(server)];
    const now = Date.now();
    const minute = (ago: number) => minutesAgoThisMonth(ago, now);
    const staging = `env_${first!.id.slice(4)}`;
    await writeMinutes(server, [
      {
        bucket: minute(3),
        organizationId: org.id,
        appId: first!.id,
        productId: product.id,
        credentialId: 'crd_first1',
        requests: 4,
        responseTimes: [3, 70, 800],
        errors: 1,
        units: 2,
      },
      {
        bucket: minute(3),
        organizationId: org.id,
        appId: first!.id,
        productId: product.id,
        credentialId: 'crd_first2',
        requests: 1,
        responseTimes: [9],
      },
      {
        bucket: minute(5),
        organizationId: org.id,
        appId: second!.id,
        productId: other.id,
        requests: 6,
        responseTimes: [1_500, 20],
        units: 5,
      },
      {
        bucket: minute(1),
        organizationId: org.id,
        appId: first!.id,
        productId: other.id,
        environmentId: staging,
        requests: 2,
        responseTimes: [44],
      },
    ]);
    // Every app of the organization is in the project: the project reads the per-app rows.
    const query = `query ($of: ID, $period: UsagePeriod!) {
      usage(of: $of, period: $period) {
        totals { ${USAGE_FIELDS} }
        series { at ${USAGE_FIELDS} }
        byProduct { id label ${USAGE_FIELDS} }
        byEnvironment { id label ${USAGE_FIELDS} }
      }
    }`;
    for (const period of ['LAST_120_MINUTES', 'LAST_24_HOURS', 'LAST_30_DAYS', 'CURRENT_MONTH']) {
      server.queries.length = 0;
      const { usage } = await admin.client.ok<{ usage: Record<string, unknown> }>(query, {
        of: org.id,
        period,
      });
      const organizationSql = server.queries.filter((q) => q.includes('usage_'));
      expect(organizationSql.join('\n')).toContain('usage_org_');
      expect(organizationSql.join('\n')).not.toMatch(/usage_(minute|hour|day)\b/);
      const fromApps = await admin.client.ok<{ usage: Record<string, unknown> }>(query, {
        of: project.id,
        period,
      });
      expect(usage, period).toEqual(fromApps.usage);
      expect(usage.totals, period).toMatchObject({
        requests: 13,
        responses: 7,
        errors: 1,
        units: 7,
        responseTimeMin: 3,
        responseTimeMax: 1_500,
      });
    }
  });
});
