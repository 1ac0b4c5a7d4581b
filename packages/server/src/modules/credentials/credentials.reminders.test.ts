import { describe, expect, it } from 'vitest';
import { linkIn, useTestServer, type ReceivedMail } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { createApp, orgWithMembers } from '../../../test/app-builders.js';
import { storedNotifications } from '../../../test/grant-builders.js';
import { sendExpiryReminders, type ExpiryReminders } from './credentials.reminders.js';

const server = useTestServer();

const HOUR_MS = 3_600_000;
const CREATE = `mutation ($input: CreateCredentialInput!) {
  createCredential(input: $input) { credential { id lastFour } }
}`;
const CREATE_TOKEN = `mutation ($input: CreateFineGrainedPersonalAccessTokenInput!) {
  createFineGrainedPersonalAccessToken(input: $input) { personalAccessToken { id lastFour } }
}`;

function remind(now = new Date()): Promise<ExpiryReminders> {
  return sendExpiryReminders(server.orm.em.fork(), now, server.app.services);
}

async function sql<T = Record<string, unknown>>(
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

/** A credential of the app whose grace period ends `hours` from now. */
async function credentialEndingIn(
  owner: SignedInUser,
  appId: string,
  hours: number,
): Promise<{ id: string; lastFour: string }> {
  const data = await owner.client.ok<{
    createCredential: { credential: { id: string; lastFour: string } };
  }>(CREATE, { input: { appId, kind: 'CONSUMER_KEY' } });
  const credential = data.createCredential.credential;
  await sql(`update credential set expires_at = now() + make_interval(secs => ?) where id = ?`, [
    hours * 3600,
    credential.id,
  ]);
  return credential;
}

/** A personal access token of the user that expires `hours` from now. */
async function tokenExpiringIn(
  user: SignedInUser,
  name: string,
  hours: number,
): Promise<{ id: string; lastFour: string }> {
  const data = await user.client.ok<{
    createFineGrainedPersonalAccessToken: {
      personalAccessToken: { id: string; lastFour: string };
    };
  }>(CREATE_TOKEN, {
    input: { name, permissions: [{ area: 'ACCOUNT', level: 'READ' }], expiresInDays: 30 },
  });
  const token = data.createFineGrainedPersonalAccessToken.personalAccessToken;
  await sql(
    `update personal_access_token set expires_at = now() + make_interval(secs => ?) where id = ?`,
    [hours * 3600, token.id],
  );
  return token;
}

function mailsTo(email: string, subject: RegExp): ReceivedMail[] {
  return server.mail.messages.filter((m) => m.to.includes(email) && subject.test(m.subject));
}

describe('expiry reminders', () => {
  it('reminds the app owner once of a credential whose grace ends within 24 hours', async () => {
    const org = await orgWithMembers(server, { admins: 1, developers: 1 });
    const [owner] = org.developers as [SignedInUser];
    const app = await createApp(owner.client, org.id);
    const soon = await credentialEndingIn(owner, app.id, 12);
    const later = await credentialEndingIn(owner, app.id, 72);
    const revoked = await credentialEndingIn(owner, app.id, 12);
    await sql(`update credential set revoked_at = now() where id = ?`, [revoked.id]);
    const over = await credentialEndingIn(owner, app.id, -1);
    const active = await owner.client.ok<{ createCredential: { credential: { id: string } } }>(
      CREATE,
      { input: { appId: app.id, kind: 'BEARER_TOKEN' } },
    );

    const first = await remind();
    expect(first.credentials).toContain(soon.id);
    for (const id of [later.id, revoked.id, over.id, active.createCredential.credential.id]) {
      expect(first.credentials).not.toContain(id);
    }
    const [row] = await sql<{ expiry_reminded_at: Date | null }>(
      `select expiry_reminded_at from credential where id = ?`,
      [soon.id],
    );
    expect(row?.expiry_reminded_at).not.toBeNull();

    // Long subjects are folded; the catcher reads the first line of the header.
    const subject = new RegExp(
      `^A credential of ${app.name} stops working on \\d{4}-\\d{2}-\\d{2}`,
    );
    const mail = await server.mail.waitFor(owner.email, subject);
    expect(mail.text).toContain(`ending in ${soon.lastFour}`);
    const link = linkIn(mail, '/orgs/');
    expect(`${link.pathname}${link.search}`).toBe(`/orgs/${org.id}/apps/${app.id}?tab=keys`);

    // Running again (even an hour later) reminds no one twice.
    const second = await remind(new Date(Date.now() + HOUR_MS));
    expect(second.credentials).not.toContain(soon.id);
    const notices = (await storedNotifications(server, owner.id)).filter(
      (n) => n.kind === 'credential.expiring',
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ link: `/orgs/${org.id}/apps/${app.id}?tab=keys` });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(owner.email, subject)).toHaveLength(1);

    // The 3-day one is reminded once it comes within a day.
    const inTwoDays = await remind(new Date(Date.now() + 50 * HOUR_MS));
    expect(inTwoDays.credentials).toContain(later.id);
    expect(inTwoDays.credentials).not.toContain(revoked.id);
  });

  it('does not remind about credentials of a deleted app', async () => {
    const org = await orgWithMembers(server, { admins: 1 });
    const [owner] = org.admins as [SignedInUser];
    const app = await createApp(owner.client, org.id);
    const credential = await credentialEndingIn(owner, app.id, 6);
    await sql(`update app set deleted_at = now() where id = ?`, [app.id]);
    expect((await remind()).credentials).not.toContain(credential.id);
  });

  it('reminds a user once of a personal access token that expires within 24 hours', async () => {
    const user = await signUpUser(server, { name: 'Tok Holder' });
    const soon = await tokenExpiringIn(user, 'deploy bot', 20);
    const later = await tokenExpiringIn(user, 'nightly', 72);
    const revoked = await tokenExpiringIn(user, 'old', 20);
    await sql(`update personal_access_token set revoked_at = now() where id = ?`, [revoked.id]);

    const first = await remind();
    expect(first.personalAccessTokens).toContain(soon.id);
    expect(first.personalAccessTokens).not.toContain(later.id);
    expect(first.personalAccessTokens).not.toContain(revoked.id);

    const subject = /^Your personal access token deploy bot stops working on \d{4}-/;
    const mail = await server.mail.waitFor(user.email, subject);
    expect(mail.text).toContain(`ending in ${soon.lastFour}`);
    expect(linkIn(mail, '/account').pathname).toBe('/account');

    expect((await remind()).personalAccessTokens).not.toContain(soon.id);
    const notices = (await storedNotifications(server, user.id)).filter(
      (n) => n.kind === 'credential.expiring',
    );
    expect(notices.map((n) => n.link)).toEqual(['/account']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(user.email, subject)).toHaveLength(1);
  });

  it('skips credentials another transaction holds, not those whose app is held', async () => {
    const org = await orgWithMembers(server, { admins: 1 });
    const [owner] = org.admins as [SignedInUser];
    const app = await createApp(owner.client, org.id);
    const held = await credentialEndingIn(owner, app.id, 3);
    const free = await credentialEndingIn(owner, app.id, 3);
    await server.orm.em.fork().transactional(async (tx) => {
      await tx.execute(`select id from credential where id = ? for update`, [held.id]);
      await tx.execute(`select id from app where id = ? for update`, [app.id]);
      const reminded = await remind();
      expect(reminded.credentials).toContain(free.id);
      expect(reminded.credentials).not.toContain(held.id);
    });
    expect((await remind()).credentials).toContain(held.id);
  });

  it('skips tokens another transaction holds and reminds them on the next run', async () => {
    const user = await signUpUser(server);
    const token = await tokenExpiringIn(user, 'busy', 2);
    const em = server.orm.em.fork();
    await em.transactional(async (tx) => {
      await tx.execute(`select id from personal_access_token where id = ? for update`, [token.id]);
      expect((await remind()).personalAccessTokens).not.toContain(token.id);
    });
    expect((await remind()).personalAccessTokens).toContain(token.id);
  });
});
