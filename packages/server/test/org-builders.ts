import { App } from '../src/modules/apps/apps.entity.js';
import { Organization } from '../src/modules/orgs/orgs.entity.js';
import { User } from '../src/modules/accounts/accounts.entity.js';
import { signUpUser, uniqueEmail, type SignedInUser } from './builders.js';
import { linkIn, type ReceivedMail, type TestClient, type TestServer } from './harness.js';

export type Role = 'ADMIN' | 'DEVELOPER';

export interface TestOrg {
  id: string;
  name: string;
  slug: string;
}

export interface TestInvitation {
  id: string;
  email: string;
  role: Role;
  status: string;
}

let orgCounter = 0;

/** A name no other test uses. */
export function uniqueOrgName(label = 'Org'): string {
  return `${label} ${process.pid} ${Date.now().toString(36)} ${++orgCounter}`;
}

/** Creates a team organization through the API; the client's user becomes its admin. */
export async function createOrg(client: TestClient, name = uniqueOrgName()): Promise<TestOrg> {
  const data = await client.ok<{ createOrganization: { organization: TestOrg } }>(
    `mutation ($input: CreateOrganizationInput!) {
      createOrganization(input: $input) { organization { id name slug } }
    }`,
    { input: { name } },
  );
  return data.createOrganization.organization;
}

/** A new user with an organization of their own, of which they are the only admin. */
export async function createOrgWithAdmin(
  server: TestServer,
  options: { name?: string; adminName?: string } = {},
): Promise<{ admin: SignedInUser; org: TestOrg }> {
  const admin = await signUpUser(server, { name: options.adminName ?? 'Org Admin' });
  const org = await createOrg(admin.client, options.name);
  return { admin, org };
}

export const INVITE_MEMBER = `mutation ($input: InviteMemberInput!) {
  inviteMember(input: $input) { invitation { id email role status } }
}`;

/** Invites an email address through the API, as `admin`. */
export async function inviteMember(
  admin: SignedInUser,
  orgId: string,
  email: string,
  role: Role = 'DEVELOPER',
): Promise<TestInvitation> {
  const data = await admin.client.ok<{ inviteMember: { invitation: TestInvitation } }>(
    INVITE_MEMBER,
    { input: { organizationId: orgId, email, role } },
  );
  return data.inviteMember.invitation;
}

/** Waits until `count` invitation mails reached `email` and returns the latest one. */
export async function invitationMail(
  server: TestServer,
  email: string,
  count = 1,
  timeoutMs = 5000,
): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = server.mail.messages.filter(
      (m) => m.to.includes(email.toLowerCase()) && /^You're invited to join /.test(m.subject),
    );
    if (mails.length >= count) return mails[mails.length - 1] as ReceivedMail;
    if (Date.now() > deadline) {
      throw new Error(`Expected ${count} invitation mail(s) to ${email}, got ${mails.length}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The token of the `/invitations/<token>` link in the latest (or `count`th) invitation mail. */
export async function invitationToken(
  server: TestServer,
  email: string,
  count = 1,
): Promise<string> {
  const link = linkIn(await invitationMail(server, email, count), '/invitations/');
  return decodeURIComponent(link.pathname.slice('/invitations/'.length));
}

export const ACCEPT_INVITATION = `mutation ($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { membership { id role } organization { id } }
}`;

/**
 * Signs up a new user, invites them into the organization as `admin` with `role`, and accepts
 * the invitation from the link in the mail. Returns the member with `membershipId`.
 */
export async function inviteAndJoin(
  server: TestServer,
  admin: SignedInUser,
  orgId: string,
  role: Role = 'DEVELOPER',
  options: { name?: string } = {},
): Promise<SignedInUser & { membershipId: string }> {
  const email = uniqueEmail(role.toLowerCase());
  const member = await signUpUser(server, { email, name: options.name ?? `Org ${role}` });
  await inviteMember(admin, orgId, email, role);
  const token = await invitationToken(server, email);
  const data = await member.client.ok<{ acceptInvitation: { membership: { id: string } } }>(
    ACCEPT_INVITATION,
    { input: { token } },
  );
  return { ...member, membershipId: data.acceptInvitation.membership.id };
}

/** The id of a user's membership of the organization (read from the database). */
export async function membershipIdOf(
  server: TestServer,
  orgId: string,
  userId: string,
): Promise<string> {
  const rows = await server.orm.em
    .fork()
    .getConnection()
    .execute<{ id: string }[]>(
      'select id from membership where organization_id = ? and user_id = ?',
      [orgId, userId],
    );
  const id = rows[0]?.id;
  if (!id) throw new Error(`${userId} is not a member of ${orgId}`);
  return id;
}

/** An app row made directly with the ORM (for tests that only need an app to exist). */
export async function createAppRow(
  server: TestServer,
  orgId: string,
  ownerId: string,
  options: { name?: string; deleted?: boolean } = {},
): Promise<{ id: string; name: string }> {
  const em = server.orm.em.fork();
  const app = new App(
    em.getReference(Organization, orgId, { wrapped: true }),
    null,
    em.getReference(User, ownerId, { wrapped: true }),
    options.name ?? `App ${++orgCounter}`,
  );
  if (options.deleted) {
    app.deletedAt = new Date();
    app.deleteReason = 'test';
  }
  await em.persist(app).flush();
  return { id: app.id, name: app.name };
}

/** The actions in the organization's audit log, oldest first. */
export async function auditActions(server: TestServer, orgId: string): Promise<string[]> {
  const rows = await server.orm.em
    .fork()
    .getConnection()
    .execute<{ action: string }[]>(
      'select action from audit_entry where organization_id = ? order by created_at, id',
      [orgId],
    );
  return rows.map((row) => row.action);
}
