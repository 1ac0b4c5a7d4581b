import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestClient, type TestServer } from '../../test/harness.js';
import { User } from '../modules/accounts/accounts.entity.js';
import { Credential } from '../modules/credentials/credentials.entity.js';
import { ApiProduct } from '../modules/products/products.entity.js';
import { CreateProductSchema } from '../modules/products/products.validation.js';
import { DEMO_PASSWORD, seedDemoData, type SeedResult } from './seed.js';
import { DEMO_CAP_SHARE_SO_FAR } from './usage.js';

let server: TestServer;
let seeded: SeedResult;

beforeAll(async () => {
  server = await startTestServer();
  seeded = await seedDemoData(server.orm);
});
afterAll(async () => {
  await server.close();
});

async function signIn(email: string): Promise<TestClient> {
  const client = server.client();
  await client.ok(`mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`, {
    input: { email, password: DEMO_PASSWORD },
  });
  return client;
}

type GrantItem = {
  kind: 'GRANT';
  grant: {
    status: string;
    unmetRules: string[];
    product: { name: string };
    app: { name: string; status: string };
  };
};
type ApplicationItem = {
  kind: 'APPLICATION';
  application: { status: string; user: { email: string }; messages: { fromStaff: boolean }[] };
};

const REVIEW_QUEUE = `{ reviewQueue(first: 20) { totalCount nodes {
  id kind
  ... on GrantReviewItem { grant { status unmetRules product { name } app { name status } } }
  ... on ApplicationReviewItem { application { status user { email } messages { fromStaff } } }
} } }`;

async function engines(client: TestClient): Promise<string> {
  const data = await client.ok<{ viewer: { organizations: { id: string; name: string }[] } }>(
    `{ viewer { organizations { id name } } }`,
  );
  return data.viewer.organizations.find((org) => org.name === 'Analytical Engines')!.id;
}

describe('demo data', () => {
  it('prints every demo account, Charles as the applicant waiting for approval', () => {
    expect(seeded.password).toBe(DEMO_PASSWORD);
    expect(seeded.accounts).toEqual([
      { email: 'staff@portico.local', label: 'portal staff' },
      { email: 'ada@portico.local', label: 'admin of Analytical Engines' },
      {
        email: 'grace@portico.local',
        label: 'developer in Analytical Engines, admin of Grace Labs',
      },
      { email: 'charles@portico.local', label: 'applicant waiting for approval' },
    ]);
  });

  it('seeds only into an empty database', async () => {
    const before = await server.orm.em.fork().count(User, {});
    expect(before).toBe(4);
    await seedDemoData(server.orm);
    expect(await server.orm.em.fork().count(User, {})).toBe(before);
    const staff = await signIn('staff@portico.local');
    const data = await staff.ok<{ products: unknown[]; reasonTemplates: unknown[] }>(
      `{ products { id } reasonTemplates { id } }`,
    );
    expect(data.products).toHaveLength(4);
    expect(data.reasonTemplates).toHaveLength(2);
  });

  it('seeds products that the API would accept as they are', async () => {
    const products = await server.orm.em.fork().find(ApiProduct, {}, { orderBy: { slug: 'asc' } });
    expect(products.map((p) => p.slug)).toEqual([
      'direct-messages',
      'enterprise-search',
      'public-posts',
      'semantic-search-labs',
    ]);
    for (const product of products) {
      const parsed = CreateProductSchema.safeParse({ ...product });
      expect(parsed.error, product.slug).toBeUndefined();
      expect(parsed.data).toMatchObject({
        pathPrefixes: product.pathPrefixes,
        dmPathPrefixes: product.dmPathPrefixes,
      });
    }
  });

  it('gives staff a review queue with the pending requests and the application, oldest first', async () => {
    const staff = await signIn('staff@portico.local');
    const data = await staff.ok<{
      reviewQueue: { totalCount: number; nodes: (GrantItem | ApplicationItem)[] };
    }>(REVIEW_QUEUE);
    expect(data.reviewQueue.totalCount).toBe(3);
    expect(data.reviewQueue.nodes.map(({ kind, ...rest }) => ({ kind, ...rest }))).toEqual([
      {
        id: expect.any(String),
        kind: 'GRANT',
        grant: {
          status: 'PENDING',
          unmetRules: [],
          product: { name: 'Direct Messages API' },
          app: { name: 'Helpdesk Bridge', status: 'PENDING' },
        },
      },
      {
        id: expect.any(String),
        kind: 'APPLICATION',
        application: {
          status: 'QUESTION',
          user: { email: 'charles@portico.local' },
          messages: [{ fromStaff: true }],
        },
      },
      {
        id: expect.any(String),
        kind: 'GRANT',
        grant: {
          status: 'PENDING',
          unmetRules: ['minimumPlanRank'],
          product: { name: 'Enterprise Search' },
          app: { name: 'Release Bot', status: 'PENDING' },
        },
      },
    ]);
    const templates = await staff.ok<{ reasonTemplates: { title: string }[] }>(
      `{ reasonTemplates { title } }`,
    );
    expect(templates.reasonTemplates.map((t) => t.title)).toEqual([
      'Approved for production',
      'Use case unclear',
    ]);
    const notices = await staff.ok<{
      viewer: { unreadNotificationCount: number; notifications: { nodes: { kind: string }[] } };
    }>(`{ viewer { unreadNotificationCount notifications(first: 10) { nodes { kind } } } }`);
    expect(notices.viewer.notifications.nodes.map((n) => n.kind).sort()).toEqual([
      'app.submitted',
      'app.submitted',
      'application.submitted',
    ]);
    expect(notices.viewer.unreadNotificationCount).toBe(3);
  });

  it('shows Analytical Engines its plan, approved products and staging environment', async () => {
    const ada = await signIn('ada@portico.local');
    const orgId = await engines(ada);
    const data = await ada.ok<{
      organization: {
        planSubscriptions: { product: { slug: string }; plan: { name: string } }[];
        devEnvironments: { label: string; product: { slug: string }; app: { name: string } }[];
        apps: {
          name: string;
          status: string;
          grants: { status: string; decidedByRule: string | null; product: { slug: string } }[];
        }[];
      };
    }>(
      `query ($id: ID!) { organization(id: $id) {
        planSubscriptions { product { slug } plan { name } }
        devEnvironments { label product { slug } app { name } }
        apps { name status grants { status decidedByRule product { slug } } }
      } }`,
      { id: orgId },
    );
    expect(data.organization.planSubscriptions).toEqual([
      { product: { slug: 'public-posts' }, plan: { name: 'Basic' } },
    ]);
    expect(data.organization.devEnvironments).toEqual([
      { label: 'staging', product: { slug: 'public-posts' }, app: { name: 'Trend Radar' } },
    ]);
    const apps = Object.fromEntries(data.organization.apps.map((app) => [app.name, app]));
    expect(apps['Trend Radar']).toMatchObject({
      status: 'ACTIVE',
      grants: [{ status: 'APPROVED', decidedByRule: 'AUTO', product: { slug: 'public-posts' } }],
    });
    expect(apps['Sentiment Notebook']).toMatchObject({
      status: 'ACTIVE',
      grants: [{ status: 'APPROVED', decidedByRule: 'AUTO', product: { slug: 'public-posts' } }],
    });
    expect(apps['Helpdesk Bridge']?.grants).toEqual([
      { status: 'PENDING', decidedByRule: null, product: { slug: 'direct-messages' } },
    ]);
    expect(apps['Release Bot']?.grants).toEqual([
      { status: 'PENDING', decidedByRule: null, product: { slug: 'enterprise-search' } },
    ]);
    const catalogue = await ada.ok<{
      products: {
        slug: string;
        approvalMode: string;
        requiresProject: boolean;
        pathPrefixes: string[];
        dmPathPrefixes: string[];
        approvalRules: { minimumPlanRank: number | null } | null;
      }[];
      plans: { name: string; rank: number }[];
    }>(
      `{ products { slug approvalMode requiresProject pathPrefixes dmPathPrefixes approvalRules { minimumPlanRank } }
         plans { name rank } }`,
    );
    expect(catalogue.plans.map((p) => p.name)).toEqual(['Free', 'Basic', 'Pro', 'Enterprise']);
    const pro = catalogue.plans.find((p) => p.name === 'Pro')!.rank;
    expect(
      Object.fromEntries(catalogue.products.map(({ slug, ...rest }) => [slug, rest])),
    ).toMatchObject({
      'public-posts': {
        approvalMode: 'AUTO',
        requiresProject: false,
        pathPrefixes: ['/2/tweets', '/2/users'],
        dmPathPrefixes: [],
      },
      'direct-messages': {
        approvalMode: 'MANUAL',
        requiresProject: true,
        pathPrefixes: ['/2/dm_conversations'],
        dmPathPrefixes: ['/2/dm_conversations'],
      },
      'enterprise-search': {
        approvalMode: 'CONDITIONAL',
        pathPrefixes: ['/2/search'],
        approvalRules: { minimumPlanRank: pro },
      },
    });
  });

  it("gives Ada's apps keys: active ones in use, a rotation in its grace period, a revoked token", async () => {
    const ada = await signIn('ada@portico.local');
    const orgId = await engines(ada);
    type Row = {
      id: string;
      kind: string;
      status: string;
      publicId: string | null;
      lastFour: string;
      lastUsedAt: string | null;
      expiresAt: string | null;
      rotatedFromId: string | null;
    };
    const data = await ada.ok<{
      organization: { apps: { name: string; viewerCanManage: boolean; credentials: Row[] }[] };
    }>(
      `query ($id: ID!) { organization(id: $id) { apps { name viewerCanManage credentials {
        id kind status publicId lastFour lastUsedAt expiresAt rotatedFromId
      } } } }`,
      { id: orgId },
    );
    const apps = Object.fromEntries(data.organization.apps.map((app) => [app.name, app]));
    const trendRadar = apps['Trend Radar']!;
    expect(trendRadar.viewerCanManage).toBe(true);
    const rows = trendRadar.credentials;
    expect(rows.map((row) => [row.kind, row.status])).toEqual([
      ['CONSUMER_KEY', 'ACTIVE'],
      ['BEARER_TOKEN', 'ACTIVE'],
      ['CONSUMER_KEY', 'IN_GRACE'],
      ['CONSUMER_KEY', 'ACTIVE'],
      ['BEARER_TOKEN', 'REVOKED'],
    ]);
    for (const row of rows) {
      expect(row.lastFour).toMatch(/^[0-9A-Za-z]{4}$/);
      if (row.kind === 'BEARER_TOKEN') expect(row.publicId).toBeNull();
      else expect(row.publicId).toMatch(/^pck_[0-9A-Za-z]{38}$/);
    }
    const active = rows.filter((row) => row.status === 'ACTIVE');
    expect(active.every((row) => row.lastUsedAt !== null)).toBe(true);

    // The rotation: the replacement points at the old key, which works for about 5 more days.
    const [replacement, , rotatedOut] = rows;
    expect(replacement!.rotatedFromId).toBe(rotatedOut!.id);
    const graceLeft = Date.parse(rotatedOut!.expiresAt!) - Date.now();
    expect(graceLeft).toBeGreaterThan(4.9 * 86_400_000);
    expect(graceLeft).toBeLessThanOrEqual(5 * 86_400_000);
    expect(rotatedOut!.lastUsedAt).not.toBeNull();
    expect(replacement!.lastUsedAt).not.toBeNull();

    expect(apps['Helpdesk Bridge']!.credentials.map((row) => [row.kind, row.status])).toEqual(
      expect.arrayContaining([
        ['ACCESS_TOKEN', 'ACTIVE'],
        ['OAUTH2_CLIENT', 'ACTIVE'],
      ]),
    );

    // Only hashes are stored: the seeded secrets are real tokens that nobody knows.
    const stored = await server.orm.em
      .fork()
      .find(Credential, { app: { name: 'Trend Radar' } }, { fields: ['secretHash', 'lastFour'] });
    expect(stored).toHaveLength(5);
    for (const row of stored) expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);

    // Grace, a developer in the org, sees the keys of Ada's app but may not manage them.
    const grace = await signIn('grace@portico.local');
    const seen = await grace.ok<{
      organization: { apps: { name: string; viewerCanManage: boolean; credentials: unknown[] }[] };
    }>(
      `query ($id: ID!) { organization(id: $id) { apps { name viewerCanManage credentials { id } } } }`,
      { id: orgId },
    );
    const graceView = seen.organization.apps.find((app) => app.name === 'Trend Radar')!;
    expect(graceView.viewerCanManage).toBe(false);
    expect(graceView.credentials).toHaveLength(5);
  });

  it('lets the demo developers create apps, approved at once for Public Posts', async () => {
    const ada = await signIn('ada@portico.local');
    const orgId = await engines(ada);
    const products = await ada.ok<{ products: { id: string; slug: string }[] }>(
      `{ products { id slug } }`,
    );
    const publicPosts = products.products.find((p) => p.slug === 'public-posts')!.id;
    const created = await ada.ok<{
      createApp: { app: { status: string; grants: { status: string; decidedByRule: string }[] } };
    }>(
      `mutation ($input: CreateAppInput!) { createApp(input: $input) { app { status grants { status decidedByRule } } } }`,
      { input: { organizationId: orgId, name: 'Demo Explorer', productIds: [publicPosts] } },
    );
    expect(created.createApp.app).toEqual({
      status: 'ACTIVE',
      grants: [{ status: 'APPROVED', decidedByRule: 'AUTO' }],
    });
    const grace = await signIn('grace@portico.local');
    const viewer = await grace.ok<{
      viewer: { canCreateApps: boolean; developerApplication: { status: string } };
    }>(`{ viewer { canCreateApps developerApplication { status } } }`);
    expect(viewer.viewer).toEqual({
      canCreateApps: true,
      developerApplication: { status: 'APPROVED' },
    });
  });

  it('keeps Charles waiting: he may not create apps and has the question to answer', async () => {
    const charles = await signIn('charles@portico.local');
    const data = await charles.ok<{
      viewer: {
        name: string;
        canCreateApps: boolean;
        unreadNotificationCount: number;
        developerApplication: { status: string; messages: { fromStaff: boolean; body: string }[] };
        notifications: { nodes: { kind: string; link: string }[] };
      };
    }>(
      `{ viewer { name canCreateApps unreadNotificationCount
          developerApplication { status messages { fromStaff body } }
          notifications(first: 5) { nodes { kind link } } } }`,
    );
    expect(data.viewer).toMatchObject({
      name: 'Charles Babbage',
      canCreateApps: false,
      unreadNotificationCount: 1,
      developerApplication: { status: 'QUESTION', messages: [{ fromStaff: true }] },
      notifications: { nodes: [{ kind: 'application.question', link: '/developer-application' }] },
    });
  });

  it('lets staff decide the seeded requests: approving Helpdesk Bridge makes it ACTIVE', async () => {
    const staff = await signIn('staff@portico.local');
    const queue = await staff.ok<{ reviewQueue: { nodes: (GrantItem & { id: string })[] } }>(
      REVIEW_QUEUE,
    );
    const helpdesk = queue.reviewQueue.nodes.find(
      (item) => item.kind === 'GRANT' && item.grant.app.name === 'Helpdesk Bridge',
    )!;
    const decided = await staff.ok<{
      decideGrants: { grants: { status: string; app: { status: string } }[] };
    }>(
      `mutation ($ids: [ID!]!) { decideGrants(input: { grantIds: $ids, decision: APPROVE }) { grants { status app { status } } } }`,
      { ids: [helpdesk.id] },
    );
    expect(decided.decideGrants.grants).toEqual([
      { status: 'APPROVED', app: { status: 'ACTIVE' } },
    ]);
  });
});

describe('demo usage', () => {
  it('gives every chart, gauge and alert of Analytical Engines something to show', async () => {
    const ada = await signIn('ada@portico.local');
    const { viewer } = await ada.ok<{ viewer: { organizations: { id: string; name: string }[] } }>(
      '{ viewer { organizations { id name } } }',
    );
    const org = viewer.organizations.find((o) => o.name === 'Analytical Engines')!;
    const QUERY = `query ($of: ID, $period: UsagePeriod!) {
      usage(of: $of, period: $period) {
        totals { requests errors responseTimeP95 }
        series { at requests errors responseTimeP50 }
        byApp { label requests }
        caps { metric used cap percentage projectedTotal capReachedAt projectionConfidence }
      }
    }`;
    type Data = {
      usage: {
        totals: { requests: number; errors: number; responseTimeP95: number | null };
        series: { at: string; requests: number; errors: number; responseTimeP50: number | null }[];
        byApp: { label: string; requests: number }[];
        caps: {
          metric: string;
          used: number;
          cap: number;
          percentage: number;
          projectedTotal: number;
          capReachedAt: string | null;
        }[];
      };
    };
    const days = await ada.ok<Data>(QUERY, { of: org.id, period: 'LAST_120_DAYS' });
    expect(days.usage.series).toHaveLength(120);
    expect(days.usage.series.filter((p) => p.requests > 0).length).toBeGreaterThanOrEqual(118);
    expect(days.usage.byApp.map((a) => a.label).sort()).toEqual([
      'Sentiment Notebook',
      'Trend Radar',
    ]);
    // The slow week shows in the median.
    const medians = days.usage.series.map((p) => p.responseTimeP50 ?? 0);
    expect(Math.max(...medians)).toBeGreaterThan(2 * Math.min(...medians.filter((m) => m > 0)));

    for (const period of ['LAST_120_MINUTES', 'LAST_24_HOURS', 'LAST_30_DAYS']) {
      const { usage } = await ada.ok<Data>(QUERY, { of: org.id, period });
      expect(usage.totals.requests, period).toBeGreaterThan(0);
    }
    const month = await ada.ok<Data>(QUERY, { of: org.id, period: 'CURRENT_MONTH' });
    const requests = month.usage.caps.find((c) => c.metric === 'REQUESTS')!;
    const units = month.usage.caps.find((c) => c.metric === 'UNITS')!;
    expect(requests.cap).toBe(100_000);
    // Room is left (the demo apps can be called), and the rate heads past the cap: within the
    // month, unless the month is nearly over.
    expect(requests.used).toBeLessThan(requests.cap);
    const monthEnd = new Date();
    monthEnd.setUTCMonth(monthEnd.getUTCMonth() + 1, 1);
    monthEnd.setUTCHours(0, 0, 0, 0);
    const monthStart = new Date(monthEnd);
    monthStart.setUTCMonth(monthStart.getUTCMonth() - 1);
    const elapsed = Date.now() - monthStart.getTime();
    const rest = monthEnd.getTime() - Date.now();
    const capInMonth = elapsed + rest * 0.25 >= (elapsed * 1.12) / DEMO_CAP_SHARE_SO_FAR;
    if (capInMonth) {
      expect(requests.projectedTotal).toBeGreaterThan(requests.cap);
      expect(requests.capReachedAt).not.toBeNull();
      expect(Date.parse(requests.capReachedAt!)).toBeLessThan(monthEnd.getTime());
    } else {
      expect(requests.percentage).toBeGreaterThanOrEqual(50);
    }
    expect(units.percentage).toBeGreaterThanOrEqual(80);
  });
});

describe('demo staff reports', () => {
  it('gives every staff report rows: inventory, inactive apps, high-usage apps, pending queue', async () => {
    const staff = await signIn('staff@portico.local');
    type App = {
      name: string;
      usage: {
        percentOfCap: number | null;
        suggestUpgrade: boolean;
        highestCap: { metric: string } | null;
      };
    };
    const data = await staff.ok<{
      staffInventorySummary: { apps: number; inactiveApps30d: number };
      inactive: { nodes: { name: string }[] };
      staffHighUsageApps: { upgradeSuggestedCount: number; apps: App[] };
      byRequests: { apps: App[] };
      staffPendingQueue: { pendingCount: number; decidedCount: number };
      failing: { nodes: { name: string }[] };
    }>(`{
      staffInventorySummary { apps inactiveApps30d }
      inactive: staffApps(filter: { inactiveDays: 30 }) { nodes { name } }
      staffHighUsageApps(by: PERCENT_OF_CAP, top: 10) {
        upgradeSuggestedCount
        apps { name usage { percentOfCap suggestUpgrade highestCap { metric } } }
      }
      byRequests: staffHighUsageApps(by: REQUESTS, top: 10) { apps { name usage { percentOfCap suggestUpgrade highestCap { metric } } } }
      staffPendingQueue { pendingCount decidedCount }
      failing: staffApps(filter: { errorRateOver: 5 }) { nodes { name } }
    }`);
    expect(data.staffInventorySummary.apps).toBeGreaterThan(0);
    expect(data.staffInventorySummary.inactiveApps30d).toBeGreaterThan(0);
    expect(data.inactive.nodes.map((a) => a.name)).toContain('Legacy Importer');
    // Sentiment Notebook is past 80 % of the Basic plan's units: the one upgrade to suggest.
    const high = data.staffHighUsageApps;
    expect(high.upgradeSuggestedCount).toBe(1);
    expect(high.apps[0]).toMatchObject({
      name: 'Sentiment Notebook',
      usage: { suggestUpgrade: true, highestCap: { metric: 'UNITS' } },
    });
    expect(high.apps.filter((a) => a.usage.suggestUpgrade)).toHaveLength(1);
    expect(data.byRequests.apps[0]?.name).toBe('Trend Radar');
    expect(data.byRequests.apps.map((a) => a.name)).toContain('Ops Dashboard');
    // Ops Dashboard fails about 7 % of its calls: the error-rate criterion finds it.
    expect(data.failing.nodes.map((a) => a.name)).toEqual(['Ops Dashboard']);
    expect(data.staffPendingQueue.pendingCount).toBeGreaterThan(0);
    expect(data.staffPendingQueue.decidedCount).toBeGreaterThan(0);
  });
});
