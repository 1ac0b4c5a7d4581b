import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import { issueCredential } from '../../../test/gateway-builders.js';
import {
  createProductRow,
  decideGrants,
  requestProducts,
  subscribePlan,
} from '../../../test/grant-builders.js';
import { setCreatedAt, setLastUsed, staffApps } from '../../../test/staff-builders.js';
import { auditEntriesFor } from '../../../test/app-builders.js';
import { ApprovalMode } from '../products/products.entity.js';

const server = useTestServer({ smtp: false });
const DAY = 86_400_000;

/** An organization with two members, apps in several states, and a staff member. */
async function portal() {
  const org = await orgWithMembers(server, { admins: 1, developers: 1 });
  const [admin] = org.admins as [SignedInUser];
  const [dev] = org.developers as [SignedInUser];
  const staff = await signUpUser(server, { staff: true });
  const manual = await createProductRow(server, { approvalMode: ApprovalMode.MANUAL });
  const active = await createApp(admin.client, org.id, { name: 'Alpha reader' });
  const pending = await createApp(dev.client, org.id, {
    name: 'Beta writer',
    productIds: [manual.id],
  });
  const idle = await createApp(dev.client, org.id, { name: 'Gamma idle' });
  await issueCredential(admin.client, active.id);
  await issueCredential(dev.client, idle.id);
  await setLastUsed(server, active.id, new Date(Date.now() - 2 * DAY));
  await setLastUsed(server, idle.id, new Date(Date.now() - 100 * DAY));
  await setCreatedAt(server, idle.id, new Date(Date.now() - 200 * DAY));
  return { org, admin, dev, staff, manual, active, pending, idle };
}

describe('staff inventory of apps', () => {
  it('lists apps of an organization with owners, products and last verified request', async () => {
    const { org, staff, dev, manual, active, pending, idle } = await portal();
    const page = await staffApps(staff.client, { filter: { organizationId: org.id } });
    expect(page.totalCount).toBe(3);
    // Newest first by default.
    expect(page.nodes.map((a) => a.id)).toEqual([pending.id, active.id, idle.id]);
    const beta = page.nodes.find((a) => a.id === pending.id);
    expect(beta).toMatchObject({
      status: 'PENDING',
      organizationName: org.name,
      organizationVerified: false,
      ownerId: dev.id,
      products: [{ productId: manual.id, productName: manual.name, status: 'PENDING' }],
    });
    expect(page.nodes.find((a) => a.id === active.id)?.lastVerifiedAt).not.toBeNull();
    // Never a secret, a hash or a last four in the inventory.
    expect(JSON.stringify(page)).not.toMatch(/pcs_|secretHash|lastFour/);
  });

  it('filters by status, product, owner, name, created range, last verified and inactivity', async () => {
    const { org, staff, dev, manual, active, pending, idle } = await portal();
    const ids = async (filter: Record<string, unknown>) =>
      (await staffApps(staff.client, { filter: { organizationId: org.id, ...filter } })).nodes
        .map((a) => a.id)
        .sort();
    expect(await ids({ statuses: ['PENDING'] })).toEqual([pending.id]);
    expect(await ids({ productId: manual.id })).toEqual([pending.id]);
    expect(await ids({ ownerId: dev.id })).toEqual([pending.id, idle.id].sort());
    expect(await ids({ owner: dev.email.toUpperCase() })).toEqual([pending.id, idle.id].sort());
    expect(await ids({ search: 'alpha' })).toEqual([active.id]);
    expect(await ids({ createdBefore: new Date(Date.now() - 100 * DAY).toISOString() })).toEqual([
      idle.id,
    ]);
    expect(await ids({ lastVerifiedAfter: new Date(Date.now() - 10 * DAY).toISOString() })).toEqual(
      [active.id],
    );
    // Inactive for 30 days: no verified request since (the new pending app is too young).
    expect(await ids({ inactiveDays: 30 })).toEqual([idle.id]);
    expect(
      await staff.client.fails(`query { staffApps(filter: { inactiveDays: 0 }) { totalCount } }`),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inactiveDays' });
  });

  it('sorts and pages with a cursor, keeping the total', async () => {
    const { org, staff, active, pending, idle } = await portal();
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof staffApps>> = await staffApps(staff.client, {
        filter: { organizationId: org.id },
        sort: 'NAME',
        direction: 'ASC',
        first: 2,
        after,
      });
      expect(page.totalCount).toBe(3);
      seen.push(...page.nodes.map((a) => a.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([active.id, pending.id, idle.id]);
    const byLastVerified = await staffApps(staff.client, {
      filter: { organizationId: org.id },
      sort: 'LAST_VERIFIED_AT',
      direction: 'DESC',
      first: 1,
    });
    expect(byLastVerified.nodes[0]?.id).toBe(active.id);
    const next = await staffApps(staff.client, {
      filter: { organizationId: org.id },
      sort: 'LAST_VERIFIED_AT',
      direction: 'DESC',
      first: 5,
      after: byLastVerified.pageInfo.endCursor,
    });
    expect(next.nodes.map((a) => a.id)).toEqual([idle.id, pending.id]);
    expect(
      await staff.client.fails(`query { staffApps(after: "nope") { totalCount } }`),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

const STAFF_ORGS = `query ($filter: StaffOrganizationFilter, $sort: StaffOrganizationSort, $direction: SortDirection, $first: Int, $after: String) {
  staffOrganizations(filter: $filter, sort: $sort, direction: $direction, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id name kind verifiedAt memberCount appCount plans { productName planName } }
  }
}`;

interface OrgsPage {
  staffOrganizations: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: {
      id: string;
      name: string;
      verifiedAt: string | null;
      memberCount: number;
      appCount: number;
      plans: { productName: string; planName: string }[];
    }[];
  };
}

const SET_VERIFIED = `mutation ($input: SetOrganizationVerifiedInput!) {
  setOrganizationVerified(input: $input) { organization { id verifiedAt } }
}`;

describe('staff inventory of organizations', () => {
  it('lists organizations with members, apps and plans; filters by verified and plan', async () => {
    const { org, staff, manual } = await portal();
    await subscribePlan(server, org.id, manual.id, 'Pro');
    const other = await orgWithMembers(server, { admins: 3, name: `Other ${org.name}` });
    const data = await staff.client.ok<OrgsPage>(STAFF_ORGS, {
      filter: { ids: [org.id, other.id] },
      sort: 'MEMBER_COUNT',
      direction: 'DESC',
    });
    expect(data.staffOrganizations.totalCount).toBe(2);
    expect(data.staffOrganizations.nodes).toMatchObject([
      { id: other.id, memberCount: 3, appCount: 0, plans: [] },
      {
        id: org.id,
        memberCount: 2,
        appCount: 3,
        plans: [{ productName: manual.name, planName: 'Pro' }],
      },
    ]);
    const byApps = await staff.client.ok<OrgsPage>(STAFF_ORGS, {
      filter: { ids: [org.id, other.id] },
      sort: 'APP_COUNT',
      direction: 'ASC',
      first: 1,
    });
    expect(byApps.staffOrganizations.nodes.map((o) => o.id)).toEqual([other.id]);
    const page2 = await staff.client.ok<OrgsPage>(STAFF_ORGS, {
      filter: { ids: [org.id, other.id] },
      sort: 'APP_COUNT',
      direction: 'ASC',
      first: 1,
      after: byApps.staffOrganizations.pageInfo.endCursor,
    });
    expect(page2.staffOrganizations.nodes.map((o) => o.id)).toEqual([org.id]);
    const planned = await staff.client.ok<OrgsPage>(STAFF_ORGS, {
      filter: { ids: [org.id, other.id], productId: manual.id },
    });
    expect(planned.staffOrganizations.nodes.map((o) => o.id)).toEqual([org.id]);

    await staff.client.ok(SET_VERIFIED, {
      input: { organizationId: other.id, verified: true, reason: 'Known partner.' },
    });
    const verified = await staff.client.ok<OrgsPage>(STAFF_ORGS, {
      filter: { ids: [org.id, other.id], verified: true },
    });
    expect(verified.staffOrganizations.nodes.map((o) => o.id)).toEqual([other.id]);
  });

  it('verifies an organization with a reason (audited), which the approval rule reads, and takes it back', async () => {
    const { org, staff, dev } = await portal();
    const conditional = await createProductRow(server, {
      approvalMode: ApprovalMode.CONDITIONAL,
      approvalRules: { requireVerifiedOrg: true },
    });
    const before = await createApp(dev.client, org.id);
    const asked = await requestProducts(dev.client, before.id, [conditional.id]);
    expect(asked.grants[0]?.status).toBe('PENDING');

    await staff.client.ok(SET_VERIFIED, {
      input: { organizationId: org.id, verified: true, reason: 'Checked the company register.' },
    });
    const after = await createApp(dev.client, org.id);
    const approved = await requestProducts(dev.client, after.id, [conditional.id]);
    expect(approved.grants[0]).toMatchObject({
      status: 'APPROVED',
      decidedByRule: 'CONDITIONAL:requireVerifiedOrg',
    });
    expect(
      await staff.client.fails(SET_VERIFIED, {
        input: { organizationId: org.id, verified: true, reason: 'Again.' },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'verified' });

    await staff.client.ok(SET_VERIFIED, {
      input: { organizationId: org.id, verified: false, reason: 'Register entry lapsed.' },
    });
    const third = await createApp(dev.client, org.id);
    const pendingAgain = await requestProducts(dev.client, third.id, [conditional.id]);
    expect(pendingAgain.grants[0]?.status).toBe('PENDING');
    await decideGrants(staff, [pendingAgain.grants[0]!.id], 'REJECT');

    const audit = await auditEntriesFor(server, org.id);
    expect(
      audit
        .filter((e) => e.action.startsWith('organization.') && e.action !== 'organization.create')
        .map((e) => [e.action, e.data.reason, e.actor?.id]),
    ).toEqual([
      ['organization.verify', 'Checked the company register.', staff.id],
      ['organization.unverify', 'Register entry lapsed.', staff.id],
    ]);
    expect(
      await staff.client.fails(SET_VERIFIED, {
        input: { organizationId: org.id, verified: true, reason: '' },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });
});

describe('staff console authorization', () => {
  it('refuses every staff operation to developers, org admins and anonymous callers', async () => {
    const { admin, dev, org } = await portal();
    const operations: [string, Record<string, unknown>][] = [
      [`query { staffApps { totalCount } }`, {}],
      [`query { staffOrganizations { totalCount } }`, {}],
      [`query ($id: ID!) { staffOrganization(id: $id) { id } }`, { id: org.id }],
      [`query { staffAuditLog { totalCount } }`, {}],
      [`query { bulkRuns { totalCount } }`, {}],
      [`query { bulkRun(id: "blk_x") { id } }`, {}],
      [`query { staffInventorySummary { apps } }`, {}],
      [`query { staffPendingQueue { pendingCount } }`, {}],
      [`query { staffHighUsageApps { apps { id } } }`, {}],
      [
        `mutation ($input: PlanBulkRunInput!) { planBulkRun(input: $input) { run { id } } }`,
        { input: { action: 'SUSPEND', criteria: { organizationId: org.id }, reason: 'No way.' } },
      ],
      [`mutation { startBulkRun(input: { runId: "blk_x" }) { run { id } } }`, {}],
      [
        `mutation ($input: SetOrganizationVerifiedInput!) { setOrganizationVerified(input: $input) { organization { id } } }`,
        { input: { organizationId: org.id, verified: true, reason: 'Myself.' } },
      ],
    ];
    for (const [query, variables] of operations) {
      for (const caller of [admin.client, dev.client]) {
        expect((await caller.fails(query, variables)).code, query).toBe('FORBIDDEN');
      }
      expect((await server.client().fails(query, variables)).code, query).toBe('UNAUTHENTICATED');
    }
    const stored = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from organization where id = ? and verified_at is not null`,
        [org.id],
      );
    expect(stored[0]?.n).toBe(0);
  });
});
