import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSecondInstance,
  startTestServer,
  subscribe,
  type TestClient,
  type TestServer,
} from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { orgWithMembers } from '../../../test/app-builders.js';
import { membershipIdOf } from '../../../test/org-builders.js';
import { fineGrainedToken } from '../../../test/token-builders.js';
import { publish } from '../../events/events.service.js';
import { CASES } from '../../../test/domain-event-cases.js';
import { liveAccess } from './live.access.js';
import { UNAUTHORIZED_CLOSE_CODE } from './live.connections.js';

/*
 * A live stream lives only as long as the access it was opened with: the organization's
 * membership for `organizationEvents`, and for every stream the session or personal access
 * token that signed its socket in. Two instances share one database: what one changes ends
 * streams on the other.
 */

const ORG = `subscription ($organizationId: ID!) {
  organizationEvents(organizationId: $organizationId) { id kind subjectId }
}`;
const VIEWER = `subscription { viewerEvents { id kind subjectId } }`;

interface OrgData {
  organizationEvents: { id: string; kind: string; subjectId: string };
}
interface ViewerData {
  viewerEvents: { id: string; kind: string; subjectId: string };
}

const REMOVE_MEMBER = `mutation ($input: RemoveMemberInput!) {
  removeMember(input: $input) { removedMembershipId }
}`;
const LEAVE = `mutation ($input: LeaveOrganizationInput!) {
  leaveOrganization(input: $input) { organizationId }
}`;
const CHANGE_ROLE = `mutation ($input: ChangeMemberRoleInput!) {
  changeMemberRole(input: $input) { membership { id role } }
}`;
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`;
const SIGN_OUT = `mutation { signOut { signedOut } }`;
const CHANGE_PASSWORD = `mutation ($input: ChangePasswordInput!) {
  changePassword(input: $input) { user { id } }
}`;
const REVOKE_TOKEN = `mutation ($input: RevokePersonalAccessTokenInput!) {
  revokePersonalAccessToken(input: $input) { personalAccessToken { id } }
}`;

let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  a = await startTestServer({ smtp: false });
  b = await startSecondInstance(a, { smtp: false });
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

let counter = 0;

/**
 * Publishes an event in a transaction of its own on `server`, as a change would: a grant
 * decision of the organization, or a notification of the user. Returns the id of its row on
 * that stream (a grant decision is written to the review queue first).
 */
async function publishOn(
  server: TestServer,
  to: { organizationId: string } | { userId: string },
): Promise<string> {
  const subjectId = `sub_live${process.pid}x${++counter}`;
  const rows = await server.orm.em.fork().transactional((em) =>
    'organizationId' in to
      ? publish(em, 'grant.decided', { ...CASES['grant.decided'].input, ...to, subjectId })
      : publish(em, 'notification.created', {
          ...CASES['notification.created'].input,
          ...to,
          subjectId,
        }),
  );
  const row = rows[rows.length - 1];
  if (!row) throw new Error('nothing was published');
  return String(row.id);
}

/** An organization with its admin and a developer (with the id of their membership). */
async function team() {
  const org = await orgWithMembers(a, { developers: 1 });
  const [admin] = org.admins;
  const [member] = org.developers;
  if (!admin || !member) throw new Error('no members');
  const developer = { ...member, membershipId: await membershipIdOf(a, org.id, member.id) };
  return { admin, org, developer };
}

/** Another signed-in client (a second browser) of `user`. */
async function signInAgain(server: TestServer, user: SignedInUser): Promise<TestClient> {
  const client = server.client();
  await client.ok(SIGN_IN, { input: { email: user.email, password: user.password } });
  return client;
}

/** A fine-grained token of the user's own account that may follow their live events. */
function personalAccessToken(user: SignedInUser): Promise<{ id: string; token: string }> {
  return fineGrainedToken(user, {
    name: `live ${++counter}`,
    permissions: { NOTIFICATIONS: 'READ' },
  });
}

function withBearer(server: TestServer, token: string): TestClient {
  const client = server.client();
  client.bearer = token;
  return client;
}

describe("an organization's stream, when the membership changes", () => {
  it('ends with FORBIDDEN for a removed member, on another instance, and sends nothing after the removal', async () => {
    const { admin, org, developer } = await team();
    const sub = await subscribe<OrgData>(b, developer.client, ORG, { organizationId: org.id });
    try {
      const before = await publishOn(a, { organizationId: org.id });
      expect((await sub.waitFor(1))[0]?.organizationEvents.id).toBe(before);

      await admin.client.ok(REMOVE_MEMBER, { input: { membershipId: developer.membershipId } });
      // Events right after the removal, while instance b may not have heard of it yet.
      for (let i = 0; i < 3; i++) await publishOn(a, { organizationId: org.id });

      await sub.completion();
      expect(sub.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(sub.received.map((data) => data.organizationEvents.id)).toEqual([before]);
    } finally {
      await sub.close();
    }
  });

  it('ends with FORBIDDEN for a member who leaves, without waiting for another event', async () => {
    const { org, developer } = await team();
    const sub = await subscribe<OrgData>(a, developer.client, ORG, { organizationId: org.id });
    const onB = await subscribe<OrgData>(b, developer.client, ORG, { organizationId: org.id });
    try {
      await developer.client.ok(LEAVE, { input: { organizationId: org.id } });
      for (const stream of [sub, onB]) {
        expect((await stream.failure())[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
        await stream.completion();
      }
      // Subscribing again is refused as for anyone outside the organization.
      const again = await subscribe(a, developer.client, ORG, { organizationId: org.id });
      expect((await again.failure())[0]?.extensions?.code).toBe('NOT_FOUND');
      await again.close();
    } finally {
      await sub.close();
      await onB.close();
    }
  });

  it('goes on after a role change (every member reads the organization), checked again', async () => {
    const { admin, org, developer } = await team();
    const sub = await subscribe<OrgData>(b, developer.client, ORG, { organizationId: org.id });
    const access = liveAccess(b.app.services);
    try {
      const before = await publishOn(a, { organizationId: org.id });
      await sub.waitFor(1);
      const { queries, changes } = access.stats;
      await admin.client.ok(CHANGE_ROLE, {
        input: { membershipId: developer.membershipId, role: 'ADMIN' },
      });
      const after = await publishOn(a, { organizationId: org.id });
      const ids = (await sub.waitFor(2)).map((data) => data.organizationEvents.id);
      expect(ids).toEqual([before, after]);
      // Instance b heard of the change (before the event: they commit in that order) and let
      // the event through after asking the database again.
      expect(access.stats.changes).toBeGreaterThan(changes);
      expect(access.stats.queries).toBeGreaterThan(queries);
      expect(sub.errors).toBeNull();
    } finally {
      await sub.close();
    }
  });

  it("a member's streams of other organizations and of their own events go on", async () => {
    const { org, developer } = await team();
    const own = await team();
    const mine = own.developer;
    const removed = await subscribe<OrgData>(b, mine.client, ORG, { organizationId: own.org.id });
    const kept = await subscribe<OrgData>(b, developer.client, ORG, { organizationId: org.id });
    const viewer = await subscribe<ViewerData>(b, mine.client, VIEWER);
    try {
      await own.admin.client.ok(REMOVE_MEMBER, { input: { membershipId: mine.membershipId } });
      expect((await removed.failure())[0]?.extensions?.code).toBe('FORBIDDEN');
      const orgEvent = await publishOn(a, { organizationId: org.id });
      const userEvent = await publishOn(a, { userId: mine.id });
      expect((await kept.waitFor(1))[0]?.organizationEvents.id).toBe(orgEvent);
      expect((await viewer.waitFor(1))[0]?.viewerEvents.id).toBe(userEvent);
    } finally {
      await removed.close();
      await kept.close();
      await viewer.close();
    }
  });
});

describe('a socket, when the session or token it was opened with ends', () => {
  it('closes with 4401 on signing out, on both instances; another session of the user stays', async () => {
    const user = await signUpUser(a);
    const other = await signInAgain(a, user);
    const onA = await subscribe<ViewerData>(a, user.client, VIEWER);
    const onB = await subscribe<ViewerData>(b, user.client, VIEWER);
    const otherSession = await subscribe<ViewerData>(b, other, VIEWER);
    try {
      await user.client.ok(SIGN_OUT);
      expect((await onA.socketClosed()).code).toBe(UNAUTHORIZED_CLOSE_CODE);
      expect((await onB.socketClosed()).code).toBe(UNAUTHORIZED_CLOSE_CODE);
      expect(onA.received).toEqual([]);
      const event = await publishOn(a, { userId: user.id });
      expect((await otherSession.waitFor(1))[0]?.viewerEvents.id).toBe(event);
      expect(onB.received).toEqual([]);
    } finally {
      await onA.close();
      await onB.close();
      await otherSession.close();
    }
  });

  it("closes the other sessions' sockets with 4401 on a password change, not the changer's", async () => {
    const user = await signUpUser(a);
    const other = await signInAgain(a, user);
    const changer = await subscribe<ViewerData>(b, user.client, VIEWER);
    const elsewhere = await subscribe<ViewerData>(b, other, VIEWER);
    try {
      await user.client.ok(CHANGE_PASSWORD, {
        input: { currentPassword: user.password, newPassword: 'a brand new passphrase 2' },
      });
      expect((await elsewhere.socketClosed()).code).toBe(UNAUTHORIZED_CLOSE_CODE);
      const event = await publishOn(a, { userId: user.id });
      expect((await changer.waitFor(1))[0]?.viewerEvents.id).toBe(event);
    } finally {
      await changer.close();
      await elsewhere.close();
    }
  });

  it('closes with 4401 when the personal access token is revoked, and refuses it (4401) to a new socket', async () => {
    const user = await signUpUser(a);
    const { id, token } = await personalAccessToken(user);
    const onA = await subscribe<ViewerData>(a, withBearer(a, token), VIEWER);
    const onB = await subscribe<ViewerData>(b, withBearer(b, token), VIEWER);
    try {
      const before = await publishOn(a, { userId: user.id });
      expect((await onB.waitFor(1))[0]?.viewerEvents.id).toBe(before);
      await user.client.ok(REVOKE_TOKEN, { input: { id } });
      expect((await onA.socketClosed()).code).toBe(UNAUTHORIZED_CLOSE_CODE);
      expect((await onB.socketClosed()).code).toBe(UNAUTHORIZED_CLOSE_CODE);

      const refused = await subscribe(b, withBearer(b, token), VIEWER);
      expect(await refused.socketClosed()).toEqual({
        code: UNAUTHORIZED_CLOSE_CODE,
        reason: 'Unauthorized',
      });
      await refused.close();
    } finally {
      await onA.close();
      await onB.close();
    }
  });

  it('closes with 4401 when the personal access token expires', async () => {
    const user = await signUpUser(a);
    const { id, token } = await personalAccessToken(user);
    await a.orm.em
      .fork()
      .getConnection()
      .execute(
        `update personal_access_token set expires_at = now() + interval '1500 milliseconds' where id = ?`,
        [id],
      );
    const sub = await subscribe<ViewerData>(b, withBearer(b, token), VIEWER);
    try {
      expect((await sub.socketClosed(10_000)).code).toBe(UNAUTHORIZED_CLOSE_CODE);
    } finally {
      await sub.close();
    }
  });
});
