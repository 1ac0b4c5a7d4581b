import { describe, expect, it } from 'vitest';
import { Invitation } from './orgs.entity.js';
import { linkIn, useTestServer } from '../../../test/harness.js';
import { signUpUser, uniqueEmail } from '../../../test/builders.js';
import {
  ACCEPT_INVITATION,
  INVITE_MEMBER,
  createOrgWithAdmin,
  inviteAndJoin,
  inviteMember,
  invitationMail,
  invitationToken,
  auditActions,
} from '../../../test/org-builders.js';

const server = useTestServer();

const PREVIEW = `query ($token: String!) {
  invitationByToken(token: $token) { organizationName email role status invitedByName expiresAt }
}`;
const DECLINE = `mutation ($input: DeclineInvitationInput!) {
  declineInvitation(input: $input) { invitation { id status respondedAt } }
}`;
const RESEND = `mutation ($input: ResendInvitationInput!) {
  resendInvitation(input: $input) { invitation { id status expiresAt lastSentAt } }
}`;
const REVOKE = `mutation ($input: RevokeInvitationInput!) {
  revokeInvitation(input: $input) { invitation { id status } }
}`;
const INVITATIONS = `query ($id: ID!, $status: InvitationStatus) {
  organization(id: $id) {
    invitations(status: $status) {
      id email role status createdAt expiresAt respondedAt lastSentAt
      invitedBy { id name } organization { id }
    }
  }
}`;

interface InvitationRow {
  id: string;
  email: string;
  status: string;
  token_hash: string;
  expires_at: Date;
}

async function invitationRows(orgId: string): Promise<InvitationRow[]> {
  return server.orm.em
    .fork()
    .getConnection()
    .execute<InvitationRow[]>(
      'select id, email, status, token_hash, expires_at from invitation where organization_id = ? order by created_at',
      [orgId],
    );
}

async function membershipCount(orgId: string): Promise<number> {
  const rows = await server.orm.em
    .fork()
    .getConnection()
    .execute<{ n: number }[]>(
      'select count(*)::int as n from membership where organization_id = ?',
      [orgId],
    );
  return rows[0]?.n ?? 0;
}

async function expireInvitation(id: string): Promise<void> {
  const em = server.orm.em.fork();
  const invitation = await em.findOneOrFail(Invitation, { id });
  invitation.expiresAt = new Date(Date.now() - 60_000);
  await em.flush();
}

describe('inviting and joining', () => {
  it('invites by email, mails a link, previews it, and accepts it', async () => {
    const { admin, org } = await createOrgWithAdmin(server, { adminName: 'Ada Admin' });
    const email = uniqueEmail('invitee');
    const invitee = await signUpUser(server, { email, name: 'Ivy Invitee' });

    const invitation = await inviteMember(admin, org.id, email.toUpperCase(), 'ADMIN');
    expect(invitation).toMatchObject({ email, role: 'ADMIN', status: 'PENDING' });
    expect(invitation.id).toMatch(/^inv_/);

    const mail = await invitationMail(server, email);
    expect(mail.subject).toBe(`You're invited to join ${org.name} on Portico`);
    expect(mail.text).toContain('Ada Admin invited you');
    const token = await invitationToken(server, email);
    expect(token).toMatch(/^pti_/);
    expect(mail.text).toContain(`http://portico.test/invitations/${token}`);

    // Only the hash is stored, the expiry is 7 days away.
    const [row] = await invitationRows(org.id);
    expect(row?.token_hash).not.toContain(token);
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const days = (new Date(row!.expires_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    // Anyone holding the link sees the preview.
    const preview = await server
      .client()
      .ok<{ invitationByToken: Record<string, unknown> }>(PREVIEW, { token });
    expect(preview.invitationByToken).toMatchObject({
      organizationName: org.name,
      email,
      role: 'ADMIN',
      status: 'PENDING',
      invitedByName: 'Ada Admin',
    });

    const accepted = await invitee.client.ok<{
      acceptInvitation: { membership: { id: string; role: string }; organization: { id: string } };
    }>(ACCEPT_INVITATION, { input: { token } });
    expect(accepted.acceptInvitation.membership.role).toBe('ADMIN');
    expect(accepted.acceptInvitation.organization.id).toBe(org.id);

    const listed = await admin.client.ok<{
      organization: { invitations: Record<string, unknown>[] };
    }>(INVITATIONS, { id: org.id });
    expect(listed.organization.invitations).toEqual([
      expect.objectContaining({
        id: invitation.id,
        status: 'ACCEPTED',
        invitedBy: { id: admin.id, name: 'Ada Admin' },
        organization: { id: org.id },
        respondedAt: expect.any(String),
        lastSentAt: expect.any(String),
      }),
    ]);
    const mine = await invitee.client.ok<{ viewer: { organizations: { viewerRole: string }[] } }>(
      `{ viewer { organizations { id viewerRole } } }`,
    );
    expect(mine.viewer.organizations).toEqual([{ id: org.id, viewerRole: 'ADMIN' }]);

    // The link is single-use.
    const again = await invitee.client.fails(ACCEPT_INVITATION, { input: { token } });
    expect(again).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(await auditActions(server, org.id)).toEqual([
      'organization.create',
      'invitation.create',
      'invitation.accept',
    ]);
  });

  it('lets a person with no account sign up from the mail and then accept', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const email = uniqueEmail('newcomer');
    await inviteMember(admin, org.id, email, 'DEVELOPER');
    const token = await invitationToken(server, email);

    const visitor = server.client();
    const preview = await visitor.ok<{ invitationByToken: { email: string } }>(PREVIEW, { token });
    expect(preview.invitationByToken.email).toBe(email);
    const notYet = await visitor.fails(ACCEPT_INVITATION, { input: { token } });
    expect(notYet.code).toBe('UNAUTHENTICATED');

    await visitor.ok(`mutation ($input: SignUpInput!) { signUp(input: $input) { sent } }`, {
      input: { email, name: 'New Comer', password: 'a long enough password' },
    });
    // Signing up signs in from the link it mails (which proves the address).
    const verification = await server.mail.waitFor(email, /^Verify your email for Portico$/);
    await visitor.ok(
      `mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) { user { id } } }`,
      { input: { token: linkIn(verification, '/verify-email').searchParams.get('token') } },
    );
    const data = await visitor.ok<{ acceptInvitation: { membership: { role: string } } }>(
      ACCEPT_INVITATION,
      { input: { token } },
    );
    expect(data.acceptInvitation.membership.role).toBe('DEVELOPER');
    expect(await membershipCount(org.id)).toBe(2);
  });

  it('refuses someone signed in with another email (FORBIDDEN) and changes nothing', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const email = uniqueEmail('target');
    const invitation = await inviteMember(admin, org.id, email);
    const token = await invitationToken(server, email);
    const stranger = await signUpUser(server);
    expect((await stranger.client.fails(ACCEPT_INVITATION, { input: { token } })).code).toBe(
      'FORBIDDEN',
    );
    expect((await stranger.client.fails(DECLINE, { input: { token } })).code).toBe('FORBIDDEN');
    expect(await membershipCount(org.id)).toBe(1);
    expect((await invitationRows(org.id))[0]).toMatchObject({
      id: invitation.id,
      status: 'PENDING',
    });
  });

  it('answers unknown and malformed tokens plainly', async () => {
    const user = await signUpUser(server);
    for (const token of ['pti_nope', 'pti_' + 'a'.repeat(38), 'garbage']) {
      const preview = await server.client().ok<{ invitationByToken: null }>(PREVIEW, { token });
      expect(preview.invitationByToken).toBeNull();
      expect(await user.client.fails(ACCEPT_INVITATION, { input: { token } })).toMatchObject({
        code: 'NOT_FOUND',
        field: 'token',
      });
    }
    expect(await user.client.fails(ACCEPT_INVITATION, { input: { token: ' ' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'token',
    });
  });
});

describe('invitation rules', () => {
  it('refuses a bad email or role and an existing member or pending invitation, creating nothing', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const email = uniqueEmail('dup');
    await inviteMember(admin, org.id, email);

    const duplicate = await admin.client.fails(INVITE_MEMBER, {
      input: { organizationId: org.id, email: email.toUpperCase(), role: 'ADMIN' },
    });
    expect(duplicate).toMatchObject({ code: 'CONFLICT', field: 'email' });
    const self = await admin.client.fails(INVITE_MEMBER, {
      input: { organizationId: org.id, email: admin.email, role: 'ADMIN' },
    });
    expect(self).toMatchObject({ code: 'CONFLICT', field: 'email' });
    const bad = await admin.client.fails(INVITE_MEMBER, {
      input: { organizationId: org.id, email: 'not-an-email', role: 'ADMIN' },
    });
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const badRole = await admin.client.execute(INVITE_MEMBER, {
      input: { organizationId: org.id, email: uniqueEmail(), role: 'OWNER' },
    });
    expect(badRole.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    expect(await invitationRows(org.id)).toHaveLength(1);
    expect(await auditActions(server, org.id)).toEqual([
      'organization.create',
      'invitation.create',
    ]);
    expect(server.mail.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
  });

  it('shows an expired invitation as EXPIRED and refuses it, then allows a new one', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const email = uniqueEmail('late');
    const invitee = await signUpUser(server, { email });
    const invitation = await inviteMember(admin, org.id, email);
    const token = await invitationToken(server, email);
    await expireInvitation(invitation.id);

    const listed = await admin.client.ok<{ organization: { invitations: { status: string }[] } }>(
      INVITATIONS,
      { id: org.id },
    );
    expect(listed.organization.invitations.map((i) => i.status)).toEqual(['EXPIRED']);
    const expiredOnly = await admin.client.ok<{ organization: { invitations: unknown[] } }>(
      INVITATIONS,
      { id: org.id, status: 'EXPIRED' },
    );
    expect(expiredOnly.organization.invitations).toHaveLength(1);
    const pendingOnly = await admin.client.ok<{ organization: { invitations: unknown[] } }>(
      INVITATIONS,
      { id: org.id, status: 'PENDING' },
    );
    expect(pendingOnly.organization.invitations).toHaveLength(0);
    const preview = await server.client().ok<{ invitationByToken: { status: string } }>(PREVIEW, {
      token,
    });
    expect(preview.invitationByToken.status).toBe('EXPIRED');

    const refused = await invitee.client.fails(ACCEPT_INVITATION, { input: { token } });
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(await invitee.client.fails(DECLINE, { input: { token } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'token',
    });
    expect(await membershipCount(org.id)).toBe(1);

    // An expired invitation no longer blocks a new one to the same address.
    const fresh = await inviteMember(admin, org.id, email);
    expect(fresh.status).toBe('PENDING');
    const statuses = (await invitationRows(org.id)).map((row) => row.status);
    expect(statuses).toEqual(['EXPIRED', 'PENDING']);
  });

  it('resends with a new link and expiry; the old link stops working', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const email = uniqueEmail('resend');
    const invitee = await signUpUser(server, { email });
    const invitation = await inviteMember(admin, org.id, email);
    const oldToken = await invitationToken(server, email, 1);
    await expireInvitation(invitation.id);
    const [before] = await invitationRows(org.id);

    const data = await admin.client.ok<{
      resendInvitation: { invitation: { status: string; expiresAt: string } };
    }>(RESEND, { input: { invitationId: invitation.id } });
    expect(data.resendInvitation.invitation.status).toBe('PENDING');
    expect(new Date(data.resendInvitation.invitation.expiresAt).getTime()).toBeGreaterThan(
      Date.now() + 6.9 * 86_400_000,
    );
    const newToken = await invitationToken(server, email, 2);
    expect(newToken).not.toBe(oldToken);
    const [after] = await invitationRows(org.id);
    expect(after?.token_hash).not.toBe(before?.token_hash);

    expect(
      (await invitee.client.fails(ACCEPT_INVITATION, { input: { token: oldToken } })).code,
    ).toBe('NOT_FOUND');
    await invitee.client.ok(ACCEPT_INVITATION, { input: { token: newToken } });
    expect(await auditActions(server, org.id)).toEqual([
      'organization.create',
      'invitation.create',
      'invitation.resend',
      'invitation.accept',
    ]);

    // An accepted invitation cannot be resent or revoked.
    for (const op of [RESEND, REVOKE]) {
      expect(
        await admin.client.fails(op, { input: { invitationId: invitation.id } }),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'invitationId' });
    }
  });

  it('revokes: the link stops working and the invitation shows REVOKED', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const email = uniqueEmail('revoked');
    const invitee = await signUpUser(server, { email });
    const invitation = await inviteMember(admin, org.id, email);
    const token = await invitationToken(server, email);

    const data = await admin.client.ok<{ revokeInvitation: { invitation: { status: string } } }>(
      REVOKE,
      { input: { invitationId: invitation.id } },
    );
    expect(data.revokeInvitation.invitation.status).toBe('REVOKED');
    const preview = await server.client().ok<{ invitationByToken: { status: string } }>(PREVIEW, {
      token,
    });
    expect(preview.invitationByToken.status).toBe('REVOKED');
    expect(await invitee.client.fails(ACCEPT_INVITATION, { input: { token } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'token',
    });
    expect(await membershipCount(org.id)).toBe(1);
    expect(await auditActions(server, org.id)).toEqual([
      'organization.create',
      'invitation.create',
      'invitation.revoke',
    ]);
    // A revoked invitation does not block inviting again.
    await inviteMember(admin, org.id, email);
  });

  it('declines: the invitation shows DECLINED and can no longer be accepted', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const email = uniqueEmail('decliner');
    const invitee = await signUpUser(server, { email });
    const invitation = await inviteMember(admin, org.id, email);
    const token = await invitationToken(server, email);

    const data = await invitee.client.ok<{
      declineInvitation: { invitation: { id: string; status: string; respondedAt: string } };
    }>(DECLINE, { input: { token } });
    expect(data.declineInvitation.invitation).toMatchObject({
      id: invitation.id,
      status: 'DECLINED',
      respondedAt: expect.any(String),
    });
    expect(await invitee.client.fails(ACCEPT_INVITATION, { input: { token } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'token',
    });
    expect(await membershipCount(org.id)).toBe(1);
    expect(await auditActions(server, org.id)).toContain('invitation.decline');
  });
});

describe('invitation permissions', () => {
  it('lets developers read invitations but not invite, resend or revoke', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const dev = await inviteAndJoin(server, admin, org.id, 'DEVELOPER');
    const invitation = await inviteMember(admin, org.id, uniqueEmail());

    const read = await dev.client.ok<{ organization: { invitations: unknown[] } }>(INVITATIONS, {
      id: org.id,
    });
    expect(read.organization.invitations).toHaveLength(2);

    const invite = await dev.client.fails(INVITE_MEMBER, {
      input: { organizationId: org.id, email: uniqueEmail(), role: 'DEVELOPER' },
    });
    expect(invite.code).toBe('FORBIDDEN');
    for (const op of [RESEND, REVOKE]) {
      expect((await dev.client.fails(op, { input: { invitationId: invitation.id } })).code).toBe(
        'FORBIDDEN',
      );
    }
    const rows = await invitationRows(org.id);
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row.status)).toEqual(['ACCEPTED', 'PENDING']);
  });

  it('hides invitations from members of other organizations (NOT_FOUND); staff read only', async () => {
    const { admin, org } = await createOrgWithAdmin(server);
    const invitation = await inviteMember(admin, org.id, uniqueEmail());
    const outsider = await createOrgWithAdmin(server);
    const staff = await signUpUser(server, { staff: true });

    for (const user of [outsider.admin, staff]) {
      expect(
        await user.client.fails(INVITE_MEMBER, {
          input: { organizationId: org.id, email: uniqueEmail(), role: 'ADMIN' },
        }),
      ).toMatchObject({ code: 'NOT_FOUND', field: 'organizationId' });
      for (const op of [RESEND, REVOKE]) {
        expect(
          await user.client.fails(op, { input: { invitationId: invitation.id } }),
        ).toMatchObject({ code: 'NOT_FOUND', field: 'invitationId' });
      }
    }
    expect(await outsider.admin.client.fails(INVITATIONS, { id: org.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
    const asStaff = await staff.client.ok<{ organization: { invitations: unknown[] } }>(
      INVITATIONS,
      { id: org.id },
    );
    expect(asStaff.organization.invitations).toHaveLength(1);

    const NODE = `query ($id: ID!) { node(id: $id) { id } }`;
    expect(
      (await outsider.admin.client.ok<{ node: null }>(NODE, { id: invitation.id })).node,
    ).toBeNull();
    expect(
      (await admin.client.ok<{ node: { id: string } }>(NODE, { id: invitation.id })).node.id,
    ).toBe(invitation.id);
    expect((await invitationRows(org.id)).map((row) => row.status)).toEqual(['PENDING']);
  });
});
