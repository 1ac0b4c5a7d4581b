import { describe, expect, it } from 'vitest';
import { subscribe, useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { orgWithMembers } from '../../../test/app-builders.js';
import { createAppRow } from '../../../test/org-builders.js';
import { createProductRow, storedNotifications } from '../../../test/grant-builders.js';
import {
  bearerClient,
  classicToken,
  CREATE_FINE_GRAINED,
  fineGrainedToken,
  type Permissions,
} from '../../../test/token-builders.js';
import { sha256 } from '../../crypto.js';
import { PlatformRole } from '../../auth/roles.js';
import { User } from '../accounts/accounts.entity.js';
import { MemberRole, Membership, Organization, OrganizationKind } from '../orgs/orgs.entity.js';
import { UNAUTHORIZED_CLOSE_CODE } from '../live/live.connections.js';
import { ApiProduct } from '../products/products.entity.js';
import { LabsFeedback } from '../catalogue/catalogue.entity.js';

const server = useTestServer();

const VIEWER = `{ viewer { id } }`;
const ORG = `query ($id: ID!) { organization(id: $id) { id name } }`;
const MY_TOKENS = `{ viewer { personalAccessTokens {
  id name kind status scopes permissions { area level } organization { id } expiresAt
} } }`;
const POLICY = `mutation ($id: ID!, $policy: TokenPolicy!) {
  setOrganizationTokenPolicy(input: { organizationId: $id, policy: $policy }) {
    organization { id tokenPolicy }
  }
}`;
const REVIEW = `mutation ($input: ReviewPersonalAccessTokenInput!) {
  reviewPersonalAccessToken(input: $input) {
    personalAccessToken { id status reviewedAt reviewReason reviewedBy { id } }
  }
}`;
const ORG_TOKENS = `query ($id: ID!, $status: PersonalAccessTokenStatus) {
  organization(id: $id) {
    personalAccessTokens(status: $status) {
      id name status owner { id } permissions { area level } expiresAt
    }
  }
}`;

/** Every organization area at WRITE. */
const ALL_ORGANIZATION_AREAS: Permissions = {
  ORGANIZATION: 'WRITE',
  MEMBERS: 'WRITE',
  PROJECTS: 'WRITE',
  APPS: 'WRITE',
  CREDENTIALS: 'WRITE',
  SUBSCRIPTIONS: 'WRITE',
  USAGE: 'WRITE',
  WEBHOOKS: 'WRITE',
  AUDIT_LOG: 'WRITE',
};

async function sql<T = Record<string, unknown>>(
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

async function create(user: SignedInUser, input: Record<string, unknown>) {
  return user.client.execute<{
    createFineGrainedPersonalAccessToken: {
      token: string;
      personalAccessToken: { id: string; status: string };
    };
  }>(CREATE_FINE_GRAINED, {
    input: {
      name: 'ci',
      permissions: [{ area: 'APPS', level: 'READ' }],
      expiresInDays: 30,
      ...input,
    },
  });
}

async function tokenCount(userId: string): Promise<number> {
  const rows = await sql<{ n: number }>(
    'select count(*)::int as n from personal_access_token where user_id = ?',
    [userId],
  );
  return rows[0]?.n ?? -1;
}

async function personalOrganization(user: SignedInUser): Promise<string> {
  const em = server.orm.em.fork();
  const org = new Organization(`${user.name}'s own`, `own-${user.id}`, OrganizationKind.PERSONAL);
  em.persist(org);
  em.persist(
    new Membership(
      em.getReference(Organization, org.id, { wrapped: true }),
      em.getReference(User, user.id, { wrapped: true }),
      MemberRole.ADMIN,
    ),
  );
  await em.flush();
  return org.id;
}

describe('making a fine-grained token', () => {
  it('shows the secret once, stores its hash, and audits what it may do without it', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const made = await admin.client.ok<{
      createFineGrainedPersonalAccessToken: {
        token: string;
        personalAccessToken: Record<string, unknown> & { id: string };
      };
    }>(
      `mutation ($input: CreateFineGrainedPersonalAccessTokenInput!) {
        createFineGrainedPersonalAccessToken(input: $input) {
          token
          personalAccessToken {
            id name kind status scopes lastFour expiresAt approval
            permissions { area level } organization { id }
          }
        }
      }`,
      {
        input: {
          name: ' Deploy bot ',
          organizationId: org.id,
          permissions: [
            { area: 'CREDENTIALS', level: 'WRITE' },
            { area: 'APPS', level: 'READ' },
            { area: 'USAGE', level: 'NONE' },
          ],
          expiresInDays: 90,
        },
      },
    );
    const { token, personalAccessToken: pat } = made.createFineGrainedPersonalAccessToken;
    expect(token).toMatch(/^ptf_[0-9A-Za-z]{38}$/);
    expect(pat).toMatchObject({
      name: 'Deploy bot',
      kind: 'FINE_GRAINED',
      status: 'ACTIVE',
      scopes: [],
      lastFour: token.slice(-4),
      approval: 'NOT_REQUIRED',
      // In the areas' order, NONE left out.
      permissions: [
        { area: 'APPS', level: 'READ' },
        { area: 'CREDENTIALS', level: 'WRITE' },
      ],
      organization: { id: org.id },
    });
    const days = (new Date(String(pat.expiresAt)).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);

    const listed = await admin.client.ok<{ viewer: { personalAccessTokens: { id: string }[] } }>(
      MY_TOKENS,
    );
    expect(listed.viewer.personalAccessTokens.map((t) => t.id)).toEqual([pat.id]);
    expect(JSON.stringify(listed)).not.toContain(token);
    const rows = await sql('select * from personal_access_token where id = ?', [pat.id]);
    expect(rows[0]).toMatchObject({ token_hash: sha256(token), organization_id: org.id });
    expect(JSON.stringify(rows)).not.toContain(token);

    const audit = await sql<{ action: string; organization_id: string; data: unknown }>(
      'select action, organization_id, data from audit_entry where target_id = ?',
      [pat.id],
    );
    expect(audit).toEqual([
      {
        action: 'token.create',
        organization_id: org.id,
        data: expect.objectContaining({
          kind: 'FINE_GRAINED',
          organizationId: org.id,
          permissions: { APPS: 'READ', CREDENTIALS: 'WRITE' },
        }),
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain(token.slice(4));
  });

  it('must expire, within a year', async () => {
    const user = await signUpUser(server);
    for (const expiresInDays of [0, -5, 366, 1000]) {
      const result = await create(user, { expiresInDays });
      expect(result.errors?.[0]?.extensions, String(expiresInDays)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'expiresInDays',
      });
    }
    const missing = await user.client.execute(CREATE_FINE_GRAINED, {
      input: { name: 'ci', permissions: [{ area: 'APPS', level: 'READ' }] },
    });
    expect(missing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await tokenCount(user.id)).toBe(0);

    for (const expiresInDays of [1, 365]) {
      const made = await create(user, { expiresInDays });
      expect(made.errors).toBeUndefined();
    }
    const expiries = await sql<{ days: number }>(
      `select round(extract(epoch from expires_at - created_at) / 86400)::int as days
       from personal_access_token where user_id = ? order by days`,
      [user.id],
    );
    expect(expiries).toEqual([{ days: 1 }, { days: 365 }]);
  });

  it('refuses permissions it cannot have, naming the field, and makes nothing', async () => {
    const org = await orgWithMembers(server);
    const admin = org.admins[0]!;
    const staff = await signUpUser(server, { staff: true });
    const cases: [SignedInUser, Record<string, unknown>, string][] = [
      [admin, { permissions: [] }, 'permissions'],
      [admin, { permissions: [{ area: 'APPS', level: 'NONE' }] }, 'permissions'],
      [
        admin,
        {
          permissions: [
            { area: 'APPS', level: 'READ' },
            { area: 'APPS', level: 'WRITE' },
          ],
        },
        'permissions.1.area',
      ],
      // Account areas are for tokens of your own account.
      [
        admin,
        { organizationId: org.id, permissions: [{ area: 'NOTIFICATIONS', level: 'READ' }] },
        'permissions.0.area',
      ],
      // Staff areas for staff, on tokens of their own account.
      [admin, { permissions: [{ area: 'STAFF_REVIEW', level: 'READ' }] }, 'permissions.0.area'],
      [admin, { name: '  ' }, 'name'],
    ];
    for (const [user, input, field] of cases) {
      const result = await create(user, input);
      expect(result.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    const staffInOrg = await orgWithMembers(server);
    await sql(
      `insert into membership (id, created_at, organization_id, user_id, role)
      values ('mem_staff' || md5(random()::text), now(), ?, ?, 'DEVELOPER')`,
      [staffInOrg.id, staff.id],
    );
    const boundStaff = await create(staff, {
      organizationId: staffInOrg.id,
      permissions: [{ area: 'STAFF_CONSOLE', level: 'READ' }],
    });
    expect(boundStaff.errors?.[0]?.extensions).toMatchObject({ field: 'permissions.0.area' });
    expect(await tokenCount(admin.id)).toBe(0);
    expect(await tokenCount(staff.id)).toBe(0);

    // Not a member: the organization does not exist for them.
    const outsider = await signUpUser(server);
    const notMember = await create(outsider, { organizationId: org.id });
    expect(notMember.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'organizationId',
    });

    const staffToken = await create(staff, {
      permissions: [{ area: 'STAFF_CONSOLE', level: 'READ' }],
    });
    expect(staffToken.errors).toBeUndefined();
  });
});

describe('a token bound to one organization', () => {
  it('reaches nothing of another organization, however it asks', async () => {
    const x = await orgWithMembers(server, { name: 'X Corp' });
    const admin = x.admins[0]!;
    const y = await orgWithMembers(server, { name: 'Y Corp' });
    // The same person is an admin of Y too.
    await sql(
      `insert into membership (id, created_at, organization_id, user_id, role)
       values ('mem_y' || md5(random()::text), now(), ?, ?, 'ADMIN')`,
      [y.id, admin.id],
    );
    const appX = await createAppRow(server, x.id, admin.id);
    const appY = await createAppRow(server, y.id, admin.id);
    const { token } = await fineGrainedToken(admin, {
      organizationId: x.id,
      permissions: ALL_ORGANIZATION_AREAS,
    });
    const api = bearerClient(server, token);

    const mine = await api.ok<{ viewer: { organizations: { id: string }[] } }>(
      `{ viewer { organizations { id } } }`,
    );
    expect(mine.viewer.organizations).toEqual([{ id: x.id }]);
    const inX = await api.ok<{ organization: { apps: { id: string }[] } }>(
      `query ($id: ID!) { organization(id: $id) { apps { id credentials { id } } } }`,
      { id: x.id },
    );
    expect(inX.organization.apps.map((app) => app.id)).toEqual([appX.id]);

    const refusals: [string, Record<string, unknown>][] = [
      [ORG, { id: y.id }],
      [`query ($id: ID!) { app(id: $id) { id } }`, { id: appY.id }],
      [
        `query ($id: ID!) { usage(of: $id, period: LAST_24_HOURS) { totals { requests } } }`,
        { id: y.id },
      ],
      [`query ($id: ID!) { auditLog(organizationId: $id) { totalCount } }`, { id: y.id }],
      [`query ($id: ID!) { webhookEndpoints(organizationId: $id) { id } }`, { id: y.id }],
      [
        `mutation ($id: ID!) { createApp(input: { organizationId: $id, name: "Planted" }) { app { id } } }`,
        { id: y.id },
      ],
      [
        `mutation ($id: ID!) { updateApp(input: { appId: $id, name: "Hijacked" }) { app { id } } }`,
        { id: appY.id },
      ],
      [
        `mutation ($id: ID!) { createCredential(input: { appId: $id, kind: BEARER_TOKEN }) { secret } }`,
        { id: appY.id },
      ],
    ];
    for (const [operation, variables] of refusals) {
      const refused = await api.fails(operation, variables);
      expect(refused.code, operation).toBe('NOT_FOUND');
    }
    const node = await api.ok<{ node: null }>(`query ($id: ID!) { node(id: $id) { id } }`, {
      id: appY.id,
    });
    expect(node.node).toBeNull();
    const live = await subscribe(
      server,
      api,
      `subscription ($id: ID!) { organizationEvents(organizationId: $id) { id } }`,
      { id: y.id },
    );
    try {
      expect((await live.failure())[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      await live.close();
    }
    // Nothing of Y changed; the session still sees both.
    const both = await admin.client.ok<{ viewer: { organizations: { id: string }[] } }>(
      `{ viewer { organizations { id } } }`,
    );
    expect(both.viewer.organizations.map((o) => o.id).sort()).toEqual([x.id, y.id].sort());
    const yApps = await admin.client.ok<{ organization: { apps: { name: string }[] } }>(
      `query ($id: ID!) { organization(id: $id) { apps { name credentials { id } } } }`,
      { id: y.id },
    );
    expect(yApps.organization.apps).toEqual([{ name: appY.name, credentials: [] }]);
  });

  it('checks the area of every field that leads into another area', async () => {
    const x = await orgWithMembers(server);
    const admin = x.admins[0]!;
    await createAppRow(server, x.id, admin.id);
    const orgOnly = bearerClient(
      server,
      (
        await fineGrainedToken(admin, {
          organizationId: x.id,
          permissions: { ORGANIZATION: 'READ' },
        })
      ).token,
    );
    await orgOnly.ok(ORG, { id: x.id });
    const apps = await orgOnly.execute<{ organization: null }>(
      `query ($id: ID!) { organization(id: $id) { id apps { id } } }`,
      { id: x.id },
    );
    expect(apps.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'TOKEN_PERMISSION',
      area: 'APPS',
    });
    expect(apps.data?.organization).toBeNull();
    const members = await orgOnly.execute(
      `query ($id: ID!) { organization(id: $id) { members { id } } }`,
      { id: x.id },
    );
    expect(members.errors?.[0]?.extensions).toMatchObject({ area: 'MEMBERS' });
    const notifications = await orgOnly.execute(
      `{ viewer { unreadNotificationCount notifications { totalCount } } }`,
    );
    expect(notifications.errors?.[0]?.extensions).toMatchObject({ area: 'NOTIFICATIONS' });

    const appsOnly = bearerClient(
      server,
      (
        await fineGrainedToken(admin, {
          organizationId: x.id,
          permissions: { APPS: 'READ', ORGANIZATION: 'READ' },
        })
      ).token,
    );
    const credentials = await appsOnly.execute(
      `query ($id: ID!) { organization(id: $id) { apps { id credentials { id } } } }`,
      { id: x.id },
    );
    expect(credentials.errors?.[0]?.extensions).toMatchObject({ area: 'CREDENTIALS' });
    const usage = await appsOnly.execute(
      `query ($id: ID!) { organization(id: $id) { apps { usageThisMonth { requests } } } }`,
      { id: x.id },
    );
    expect(usage.errors?.[0]?.extensions).toMatchObject({ area: 'USAGE' });
    await appsOnly.ok(`query ($id: ID!) { organization(id: $id) { apps { id name } } }`, {
      id: x.id,
    });
  });

  it("never does more than the user's role allows", async () => {
    const x = await orgWithMembers(server, { developers: 1 });
    const developer = x.developers[0]!;
    const { token } = await fineGrainedToken(developer, {
      organizationId: x.id,
      permissions: ALL_ORGANIZATION_AREAS,
    });
    const api = bearerClient(server, token);
    const invite = await api.fails(
      `mutation ($id: ID!) { inviteMember(input: { organizationId: $id, email: "new@example.com", role: ADMIN }) { invitation { id } } }`,
      { id: x.id },
    );
    expect(invite.code).toBe('FORBIDDEN');
    const rename = await api.fails(
      `mutation ($id: ID!) { updateOrganization(input: { organizationId: $id, name: "Taken over" }) { organization { id } } }`,
      { id: x.id },
    );
    expect(rename.code).toBe('FORBIDDEN');
    const audit = await api.fails(
      `query ($id: ID!) { auditLog(organizationId: $id) { totalCount } }`,
      { id: x.id },
    );
    expect(audit.code).toBe('FORBIDDEN');
    expect((await sql('select name from organization where id = ?', [x.id]))[0]).toEqual({
      name: x.name,
    });

    // Staff areas last as long as the user is staff.
    const staff = await signUpUser(server, { staff: true });
    const staffApi = bearerClient(
      server,
      (await fineGrainedToken(staff, { permissions: { STAFF_CONSOLE: 'READ' } })).token,
    );
    await staffApi.ok(`{ staffInventorySummary { apps } }`);
    await server.orm.em
      .fork()
      .nativeUpdate(User, { id: staff.id }, { platformRole: PlatformRole.DEVELOPER });
    expect((await staffApi.fails(`{ staffInventorySummary { apps } }`)).code).toBe('FORBIDDEN');
  });
  it('reaches nothing once its user leaves the organization', async () => {
    const x = await orgWithMembers(server, { developers: 1 });
    const developer = x.developers[0]!;
    const { token, id } = await fineGrainedToken(developer, {
      organizationId: x.id,
      permissions: { ORGANIZATION: 'READ', MEMBERS: 'WRITE' },
    });
    const api = bearerClient(server, token);
    await api.ok(ORG, { id: x.id });
    await developer.client.ok(
      `mutation ($id: ID!) { leaveOrganization(input: { organizationId: $id }) { organizationId } }`,
      { id: x.id },
    );
    expect((await api.fails(ORG, { id: x.id })).code).toBe('NOT_FOUND');
    const listed = await developer.client.ok<{
      viewer: {
        personalAccessTokens: {
          id: string;
          boundToOrganization: boolean;
          organization: null;
        }[];
      };
    }>(`{ viewer { personalAccessTokens { id boundToOrganization organization { id } } } }`);
    expect(listed.viewer.personalAccessTokens).toEqual([
      { id, boundToOrganization: true, organization: null },
    ]);
  });
});

describe('a token bound to the user’s own account', () => {
  it('reaches their personal organizations and account, and no team organization', async () => {
    const team = await orgWithMembers(server);
    const user = team.admins[0]!;
    const personal = await personalOrganization(user);
    const { token } = await fineGrainedToken(user, {
      permissions: { ORGANIZATION: 'READ', ACCOUNT: 'WRITE' },
    });
    const api = bearerClient(server, token);
    const mine = await api.ok<{ viewer: { organizations: { id: string }[] } }>(
      `{ viewer { organizations { id } } }`,
    );
    expect(mine.viewer.organizations).toEqual([{ id: personal }]);
    await api.ok(ORG, { id: personal });
    expect((await api.fails(ORG, { id: team.id })).code).toBe('NOT_FOUND');
    const renamed = await api.ok<{ updateProfile: { user: { name: string } } }>(
      `mutation { updateProfile(input: { name: "By token" }) { user { name } } }`,
    );
    expect(renamed.updateProfile.user.name).toBe('By token');
  });
});

describe('a staff member’s token', () => {
  it('sees the catalogue as staff only when it may read the staff catalogue', async () => {
    const staff = await signUpUser(server, { name: 'Staff', staff: true });
    const developer = await signUpUser(server, { name: 'Developer' });
    const product = await createProductRow(server);
    const em = server.orm.em.fork();
    const feedbackBy = (author: SignedInUser) =>
      new LabsFeedback({
        product: em.getReference(ApiProduct, product.id, { wrapped: true }),
        author: em.getReference(User, author.id, { wrapped: true }),
        rating: 4,
        text: `From ${author.name}`,
      });
    const own = feedbackBy(staff);
    const theirs = feedbackBy(developer);
    await em.persist([own, theirs]).flush();
    const FEEDBACK = `query ($id: ID!) { labsFeedback(productId: $id) { id } }`;
    const idsWith = async (permissions: Permissions) => {
      const { token } = await fineGrainedToken(staff, { permissions });
      const data = await bearerClient(server, token).ok<{ labsFeedback: { id: string }[] }>(
        FEEDBACK,
        { id: product.id },
      );
      return data.labsFeedback.map((feedback) => feedback.id).sort();
    };

    expect(await idsWith({ ACCOUNT: 'READ' })).toEqual([own.id]);
    expect(await idsWith({ ACCOUNT: 'READ', STAFF_CATALOG: 'READ' })).toEqual(
      [own.id, theirs.id].sort(),
    );
    const session = await staff.client.ok<{ labsFeedback: { id: string }[] }>(FEEDBACK, {
      id: product.id,
    });
    expect(session.labsFeedback).toHaveLength(2);
  });
});

describe("an organization's token policy", () => {
  it('forbids: its fine-grained tokens stop working, new ones are refused, sockets close', async () => {
    const x = await orgWithMembers(server, { developers: 1 });
    const admin = x.admins[0]!;
    const developer = x.developers[0]!;
    const bound = await fineGrainedToken(developer, {
      organizationId: x.id,
      permissions: { ORGANIZATION: 'READ' },
    });
    const own = await fineGrainedToken(developer, { permissions: { ACCOUNT: 'READ' } });
    const api = bearerClient(server, bound.token);
    await api.ok(ORG, { id: x.id });
    const live = await subscribe(
      server,
      api,
      `subscription ($id: ID!) { organizationEvents(organizationId: $id) { id } }`,
      { id: x.id },
    );
    const classic = await classicToken(server, developer.id);
    const classicLive = await subscribe(
      server,
      bearerClient(server, classic.token),
      `subscription ($id: ID!) { organizationEvents(organizationId: $id) { id } }`,
      { id: x.id },
    );
    try {
      const refused = await developer.client.fails(POLICY, { id: x.id, policy: 'FORBID' });
      expect(refused.code).toBe('FORBIDDEN');
      const set = await admin.client.ok<{
        setOrganizationTokenPolicy: { organization: { tokenPolicy: string } };
      }>(POLICY, { id: x.id, policy: 'FORBID' });
      expect(set.setOrganizationTokenPolicy.organization.tokenPolicy).toBe('FORBID');

      expect((await live.socketClosed()).code).toBe(UNAUTHORIZED_CLOSE_CODE);
      // A classic token's stream of the organization ends; the socket stays for the rest.
      expect((await classicLive.failure())[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await live.close();
      await classicLive.close();
    }
    const after = await api.fails(VIEWER);
    expect(after.code).toBe('UNAUTHENTICATED');
    expect(after.message).toMatch(/forbids/);
    // A token of the developer's own account is not the organization's.
    await bearerClient(server, own.token).ok(VIEWER);
    const listed = await developer.client.ok<{
      viewer: { personalAccessTokens: { id: string; status: string }[] };
    }>(MY_TOKENS);
    expect(listed.viewer.personalAccessTokens.find((t) => t.id === bound.id)?.status).toBe(
      'BLOCKED',
    );
    const created = await create(developer, { organizationId: x.id });
    expect(created.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'organizationId',
    });

    // Allowed again, the token works again.
    await admin.client.ok(POLICY, { id: x.id, policy: 'ALLOW' });
    await api.ok(ORG, { id: x.id });
    const audit = await sql<{ action: string; data: unknown }>(
      `select action, data from audit_entry where organization_id = ? and action = 'organization.token_policy' order by created_at`,
      [x.id],
    );
    expect(audit).toEqual([
      { action: 'organization.token_policy', data: { from: 'ALLOW', to: 'FORBID' } },
      { action: 'organization.token_policy', data: { from: 'FORBID', to: 'ALLOW' } },
    ]);
  });

  it('requires approval: a new token waits for an admin, who approves or refuses it', async () => {
    const x = await orgWithMembers(server, { admins: 2, developers: 1 });
    const [admin, otherAdmin] = x.admins as [SignedInUser, SignedInUser];
    const developer = x.developers[0]!;
    await admin.client.ok(POLICY, { id: x.id, policy: 'REQUIRE_APPROVAL' });

    const asked = await fineGrainedToken(developer, {
      name: 'deploy',
      organizationId: x.id,
      permissions: { APPS: 'WRITE', CREDENTIALS: 'READ' },
    });
    expect(asked.status).toBe('PENDING_APPROVAL');
    const api = bearerClient(server, asked.token);
    const waiting = await api.fails(VIEWER);
    expect(waiting.code).toBe('UNAUTHENTICATED');
    expect(waiting.message).toMatch(/approval/);
    // An admin's own token needs nobody's approval.
    const adminsOwn = await fineGrainedToken(admin, {
      organizationId: x.id,
      permissions: { APPS: 'READ' },
    });
    expect(adminsOwn.status).toBe('ACTIVE');

    // Both admins are told, in-app and by mail.
    for (const each of [admin, otherAdmin]) {
      const notices = await storedNotifications(server, each.id);
      expect(notices.map((n) => n.kind)).toContain('token.requested');
      await server.mail.waitFor(each.email, /asks for a personal access token/);
    }
    const pending = await admin.client.ok<{
      organization: {
        personalAccessTokens: {
          id: string;
          owner: { id: string };
          permissions: { area: string; level: string }[];
        }[];
      };
    }>(ORG_TOKENS, { id: x.id, status: 'PENDING_APPROVAL' });
    expect(pending.organization.personalAccessTokens).toEqual([
      expect.objectContaining({
        id: asked.id,
        owner: { id: developer.id },
        permissions: [
          { area: 'APPS', level: 'WRITE' },
          { area: 'CREDENTIALS', level: 'READ' },
        ],
      }),
    ]);
    const notAdmin = await developer.client.execute<{
      organization: { personalAccessTokens: null };
    }>(ORG_TOKENS, { id: x.id, status: 'PENDING_APPROVAL' });
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(notAdmin.data?.organization.personalAccessTokens).toBeNull();
    const developerReviews = await developer.client.fails(REVIEW, {
      input: { tokenId: asked.id, decision: 'APPROVE' },
    });
    expect(developerReviews.code).toBe('FORBIDDEN');

    const approved = await otherAdmin.client.ok<{
      reviewPersonalAccessToken: {
        personalAccessToken: { status: string; reviewedBy: { id: string } };
      };
    }>(REVIEW, { input: { tokenId: asked.id, decision: 'APPROVE' } });
    expect(approved.reviewPersonalAccessToken.personalAccessToken).toMatchObject({
      status: 'ACTIVE',
      reviewedBy: { id: otherAdmin.id },
    });
    await api.ok(VIEWER);
    const again = await admin.client.fails(REVIEW, {
      input: { tokenId: asked.id, decision: 'APPROVE' },
    });
    expect(again.code).toBe('CONFLICT');
    await server.mail.waitFor(developer.email, /deploy was approved/);

    // Another one, refused with a reason; and the approved one withdrawn.
    const second = await fineGrainedToken(developer, {
      name: 'broad',
      organizationId: x.id,
      permissions: ALL_ORGANIZATION_AREAS,
    });
    const refused = await admin.client.ok<{
      reviewPersonalAccessToken: { personalAccessToken: { status: string; reviewReason: string } };
    }>(REVIEW, { input: { tokenId: second.id, decision: 'REFUSE', reason: 'Too broad.' } });
    expect(refused.reviewPersonalAccessToken.personalAccessToken).toMatchObject({
      status: 'REFUSED',
      reviewReason: 'Too broad.',
    });
    expect((await bearerClient(server, second.token).fails(VIEWER)).code).toBe('UNAUTHENTICATED');
    const reviewed = await server.mail.waitFor(developer.email, /broad was refused/);
    expect(reviewed.text).toContain('Too broad.');
    await admin.client.ok(REVIEW, { input: { tokenId: asked.id, decision: 'REFUSE' } });
    expect((await api.fails(VIEWER)).code).toBe('UNAUTHENTICATED');

    const audit = await sql<{ action: string; target_id: string; data: { ownerId?: string } }>(
      `select action, target_id, data from audit_entry where organization_id = ? and action like 'token.%' order by created_at`,
      [x.id],
    );
    expect(audit.map((a) => [a.action, a.target_id])).toEqual([
      ['token.create', asked.id],
      ['token.create', adminsOwn.id],
      ['token.approve', asked.id],
      ['token.create', second.id],
      ['token.refuse', second.id],
      ['token.refuse', asked.id],
    ]);
    for (const token of [asked.token, second.token]) {
      expect(JSON.stringify(audit)).not.toContain(token.slice(4));
    }
    const events = await sql<{ kind: string }>(
      `select kind from domain_event where topic = ? and kind like 'personal_access_token.%' order by id`,
      [`org:${x.id}`],
    );
    expect(events.map((e) => e.kind)).toEqual([
      'personal_access_token.requested',
      'personal_access_token.reviewed',
      'personal_access_token.requested',
      'personal_access_token.reviewed',
      'personal_access_token.reviewed',
    ]);
  });
});
