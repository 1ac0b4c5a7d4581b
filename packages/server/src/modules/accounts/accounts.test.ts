import { describe, expect, it } from 'vitest';
import { generateToken, sha256 } from '../../crypto.js';
import { linkIn, useTestServer, type ReceivedMail } from '../../../test/harness.js';
import { signUpUser, uniqueEmail } from '../../../test/builders.js';
import { createOrg } from '../../../test/org-builders.js';

const server = useTestServer();

const VIEWER = `{ viewer { id email name platformRole emailVerified emailVerifiedAt } }`;
const VERIFY_EMAIL = `mutation ($input: VerifyEmailInput!) {
  verifyEmail(input: $input) { user { id emailVerified emailVerifiedAt } }
}`;
const RESEND = `mutation { resendVerificationEmail { sent } }`;
const REQUEST_RESET = `mutation ($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { sent }
}`;
const RESET_PASSWORD = `mutation ($input: ResetPasswordInput!) {
  resetPassword(input: $input) { user { id email emailVerified } }
}`;
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`;
const UPDATE_PROFILE = `mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { id name } }
}`;
const CHANGE_PASSWORD = `mutation ($input: ChangePasswordInput!) {
  changePassword(input: $input) { user { id } }
}`;

const VERIFY_SUBJECT = /^Verify your email for Portico$/;
const RESET_SUBJECT = /^Reset your Portico password$/;

async function sql<T = Record<string, unknown>>(
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

/** Every mail received so far to `to` with a matching subject, oldest first. */
function mailsTo(to: string, subject: RegExp): ReceivedMail[] {
  return server.mail.messages.filter(
    (m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject),
  );
}

/** Waits until at least `count` matching mails arrived and returns the newest. */
async function waitForMail(to: string, subject: RegExp, count = 1): Promise<ReceivedMail> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = mailsTo(to, subject);
    if (found.length >= count) return found[found.length - 1] as ReceivedMail;
    if (Date.now() > deadline) {
      throw new Error(
        `Expected ${count} mail(s) to ${to} matching ${subject}, got ${found.length}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function tokenOf(mail: ReceivedMail, path: string): string {
  const link = linkIn(mail, path);
  expect(link.origin).toBe('http://portico.test');
  const token = link.searchParams.get('token');
  if (!token) throw new Error(`No token in ${link.href}`);
  // The full link stands on a line of its own, so it can be copied or clicked anywhere.
  expect(mail.text.split(/\r?\n/).map((line) => line.trim())).toContain(link.href);
  return token;
}

async function auditActions(targetId: string): Promise<string[]> {
  const rows = await sql<{ action: string }>(
    'select action from audit_entry where target_id = ? order by created_at',
    [targetId],
  );
  return rows.map((row) => row.action);
}

describe('sign up and sign in', () => {
  it('signs up, is the viewer, signs out, and signs back in', async () => {
    const user = await signUpUser(server, { name: 'Ada' });
    const me = await user.client.ok<{ viewer: { id: string; name: string } }>(VIEWER);
    expect(me.viewer).toMatchObject({ id: user.id, name: 'Ada', platformRole: 'DEVELOPER' });

    await user.client.ok(`mutation { signOut { signedOut } }`);
    expect((await user.client.ok<{ viewer: null }>(VIEWER)).viewer).toBeNull();

    const wrong = await user.client.fails(SIGN_IN, {
      input: { email: user.email, password: 'not the password' },
    });
    expect(wrong).toMatchObject({ code: 'UNAUTHENTICATED', field: 'password' });

    await user.client.ok(SIGN_IN, {
      input: { email: user.email.toUpperCase(), password: user.password },
    });
    expect((await user.client.ok<{ viewer: { id: string } }>(VIEWER)).viewer.id).toBe(user.id);
  });

  it('answers a taken email as a new one and refuses a short password, creating nothing', async () => {
    const user = await signUpUser(server);
    const client = server.client();
    // A taken email is not refused (that would tell that it has an account): see sign-up.test.ts.
    const taken = await client.ok(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { sent user { id } } }`,
      { input: { email: user.email, name: 'X', password: 'long enough password' } },
    );
    expect(taken).toEqual({ signUp: { sent: true, user: null } });

    const email = uniqueEmail();
    const short = await client.fails(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
      { input: { email, name: 'X', password: 'short' } },
    );
    expect(short).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const rows = await sql('select count(*)::int as n from users where email = ?', [email]);
    expect(rows[0]).toEqual({ n: 0 });
    expect(client.hasSession).toBe(false);
    expect(mailsTo(email, /./)).toHaveLength(0);
  });
});

describe('email verification', () => {
  it('mails a link on sign-up that verifies the email once and only once', async () => {
    const user = await signUpUser(server, { name: 'Grace' });
    const before = await user.client.ok<{ viewer: { emailVerified: boolean } }>(VIEWER);
    expect(before.viewer).toMatchObject({ emailVerified: false, emailVerifiedAt: null });

    const mail = await server.mail.waitFor(user.email, VERIFY_SUBJECT);
    expect(mail.text).toContain('Hi Grace,');
    const token = tokenOf(mail, '/verify-email');
    // Only the hash is stored.
    const stored = await sql<{ token_hash: string; purpose: string; expires_at: Date }>(
      'select token_hash, purpose, expires_at from email_token where user_id = ?',
      [user.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ token_hash: sha256(token), purpose: 'VERIFY_EMAIL' });
    const hoursLeft = (new Date(stored[0]!.expires_at).getTime() - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(47.9);
    expect(hoursLeft).toBeLessThanOrEqual(48);

    // The link may be opened anywhere, signed in or not.
    const browser = server.client();
    const verified = await browser.ok<{ verifyEmail: { user: { id: string } } }>(VERIFY_EMAIL, {
      input: { token },
    });
    expect(verified.verifyEmail.user).toMatchObject({ id: user.id, emailVerified: true });
    const after = await user.client.ok<{ viewer: { emailVerified: boolean } }>(VIEWER);
    expect(after.viewer.emailVerified).toBe(true);
    expect(await auditActions(user.id)).toContain('user.email_verify');

    const again = await browser.fails(VERIFY_EMAIL, { input: { token } });
    expect(again).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(again.message).toMatch(/already used/);
  });

  it('refuses expired, unknown, malformed and wrong-purpose tokens, changing nothing', async () => {
    const user = await signUpUser(server);
    const token = tokenOf(await server.mail.waitFor(user.email, VERIFY_SUBJECT), '/verify-email');
    await sql(
      `update email_token set expires_at = now() - interval '1 second' where token_hash = ?`,
      [sha256(token)],
    );
    const client = server.client();
    const expired = await client.fails(VERIFY_EMAIL, { input: { token } });
    expect(expired).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(expired.message).toMatch(/expired/);

    for (const bad of [generateToken('pte'), 'not-a-token', `${token.slice(0, -1)}x`]) {
      const refused = await client.fails(VERIFY_EMAIL, { input: { token: bad } });
      expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    }
    const empty = await client.fails(VERIFY_EMAIL, { input: { token: '' } });
    expect(empty).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });

    const rows = await sql<{ verified: boolean }>(
      'select email_verified_at is not null as verified from users where id = ?',
      [user.id],
    );
    expect(rows[0]).toEqual({ verified: false });
    const used = await sql(
      'select count(*)::int as n from email_token where user_id = ? and used_at is not null',
      [user.id],
    );
    expect(used[0]).toEqual({ n: 0 });
  });

  it('resends a fresh link (the older one stops working), and not once verified', async () => {
    const anonymous = await server.client().fails(RESEND);
    expect(anonymous.code).toBe('UNAUTHENTICATED');

    const user = await signUpUser(server);
    const first = tokenOf(await waitForMail(user.email, VERIFY_SUBJECT, 1), '/verify-email');
    const resent = await user.client.ok<{ resendVerificationEmail: { sent: boolean } }>(RESEND);
    expect(resent.resendVerificationEmail.sent).toBe(true);
    const second = tokenOf(await waitForMail(user.email, VERIFY_SUBJECT, 2), '/verify-email');
    expect(second).not.toBe(first);

    const old = await server.client().fails(VERIFY_EMAIL, { input: { token: first } });
    expect(old).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    await server.client().ok(VERIFY_EMAIL, { input: { token: second } });

    const again = await user.client.ok<{ resendVerificationEmail: { sent: boolean } }>(RESEND);
    expect(again.resendVerificationEmail.sent).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(user.email, VERIFY_SUBJECT)).toHaveLength(2);
  });
});

describe('password reset', () => {
  it('resets the password from the mailed link: old sessions and password stop working', async () => {
    const user = await signUpUser(server, { name: 'Linus' });
    const otherDevice = server.client();
    await otherDevice.ok(SIGN_IN, { input: { email: user.email, password: user.password } });

    const browser = server.client();
    const requested = await browser.ok<{ requestPasswordReset: { sent: boolean } }>(REQUEST_RESET, {
      input: { email: `  ${user.email.toUpperCase()} ` },
    });
    expect(requested.requestPasswordReset.sent).toBe(true);
    const mail = await server.mail.waitFor(user.email, RESET_SUBJECT);
    expect(mail.text).toContain('Hi Linus,');
    const token = tokenOf(mail, '/reset-password');
    const [stored] = await sql<{ expires_at: Date }>(
      'select expires_at from email_token where token_hash = ?',
      [sha256(token)],
    );
    const minutesLeft = (new Date(stored!.expires_at).getTime() - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(59);
    expect(minutesLeft).toBeLessThanOrEqual(60);

    // A bad new password is refused and the link stays usable.
    const short = await browser.fails(RESET_PASSWORD, { input: { token, password: 'short' } });
    expect(short).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const unused = await sql('select used_at from email_token where token_hash = ?', [
      sha256(token),
    ]);
    expect(unused[0]).toEqual({ used_at: null });

    const newPassword = 'a brand new passphrase';
    const reset = await browser.ok<{ resetPassword: { user: { id: string } } }>(RESET_PASSWORD, {
      input: { token, password: newPassword },
    });
    // Resetting through the mailed link proves the address too.
    expect(reset.resetPassword.user).toMatchObject({ id: user.id, emailVerified: true });
    expect(browser.hasSession).toBe(true);
    expect((await browser.ok<{ viewer: { id: string } }>(VIEWER)).viewer.id).toBe(user.id);

    // Every earlier session ended.
    expect((await user.client.ok<{ viewer: null }>(VIEWER)).viewer).toBeNull();
    expect((await otherDevice.ok<{ viewer: null }>(VIEWER)).viewer).toBeNull();
    const sessions = await sql('select count(*)::int as n from session where user_id = ?', [
      user.id,
    ]);
    expect(sessions[0]).toEqual({ n: 1 });

    const oldPassword = await server.client().fails(SIGN_IN, {
      input: { email: user.email, password: user.password },
    });
    expect(oldPassword).toMatchObject({ code: 'UNAUTHENTICATED', field: 'password' });
    await server.client().ok(SIGN_IN, { input: { email: user.email, password: newPassword } });

    const reused = await server.client().fails(RESET_PASSWORD, {
      input: { token, password: 'yet another passphrase' },
    });
    expect(reused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(await auditActions(user.id)).toContain('user.password_reset');
  });

  it('answers sent for an unknown email and sends nothing', async () => {
    const unknown = uniqueEmail('nobody');
    const user = await signUpUser(server);
    const client = server.client();
    const answer = await client.ok<{ requestPasswordReset: { sent: boolean } }>(REQUEST_RESET, {
      input: { email: unknown },
    });
    expect(answer.requestPasswordReset.sent).toBe(true);
    // A known address afterwards: once its mail is in, the unknown one would have been too.
    await client.ok(REQUEST_RESET, { input: { email: user.email } });
    await server.mail.waitFor(user.email, RESET_SUBJECT);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(unknown, /./)).toHaveLength(0);

    const malformed = await client.fails(REQUEST_RESET, { input: { email: 'not an email' } });
    expect(malformed).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it('refuses expired, unknown and verification tokens', async () => {
    const user = await signUpUser(server);
    const verifyToken = tokenOf(
      await server.mail.waitFor(user.email, VERIFY_SUBJECT),
      '/verify-email',
    );
    await server.client().ok(REQUEST_RESET, { input: { email: user.email } });
    const token = tokenOf(await server.mail.waitFor(user.email, RESET_SUBJECT), '/reset-password');
    await sql(
      `update email_token set expires_at = now() - interval '1 second' where token_hash = ?`,
      [sha256(token)],
    );
    const password = 'a brand new passphrase';
    for (const bad of [token, verifyToken, generateToken('pte'), 'garbage']) {
      const refused = await server.client().fails(RESET_PASSWORD, {
        input: { token: bad, password },
      });
      expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    }
    // Nothing changed: the old password works and the session is still alive.
    await server.client().ok(SIGN_IN, { input: { email: user.email, password: user.password } });
    expect((await user.client.ok<{ viewer: { id: string } }>(VIEWER)).viewer.id).toBe(user.id);
  });
});

describe('profile and password', () => {
  it('updates the name, refusing an empty one', async () => {
    const user = await signUpUser(server, { name: 'Old Name' });
    const updated = await user.client.ok<{ updateProfile: { user: { name: string } } }>(
      UPDATE_PROFILE,
      { input: { name: '  New Name ' } },
    );
    expect(updated.updateProfile.user).toEqual({ id: user.id, name: 'New Name' });

    const empty = await user.client.fails(UPDATE_PROFILE, { input: { name: '   ' } });
    expect(empty).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const long = await user.client.fails(UPDATE_PROFILE, { input: { name: 'x'.repeat(101) } });
    expect(long).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const rows = await sql('select name from users where id = ?', [user.id]);
    expect(rows[0]).toEqual({ name: 'New Name' });

    const anonymous = await server.client().fails(UPDATE_PROFILE, { input: { name: 'X' } });
    expect(anonymous.code).toBe('UNAUTHENTICATED');
  });

  it('changes the password after checking the current one; other sessions end', async () => {
    const user = await signUpUser(server);
    const otherDevice = server.client();
    await otherDevice.ok(SIGN_IN, { input: { email: user.email, password: user.password } });
    const [{ password_hash: hashBefore }] = (await sql<{ password_hash: string }>(
      'select password_hash from users where id = ?',
      [user.id],
    )) as [{ password_hash: string }];

    const wrong = await user.client.fails(CHANGE_PASSWORD, {
      input: { currentPassword: 'not my password', newPassword: 'a brand new passphrase' },
    });
    expect(wrong).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    const short = await user.client.fails(CHANGE_PASSWORD, {
      input: { currentPassword: user.password, newPassword: 'short' },
    });
    expect(short).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    const same = await user.client.fails(CHANGE_PASSWORD, {
      input: { currentPassword: user.password, newPassword: user.password },
    });
    expect(same).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    const unchanged = await sql('select password_hash from users where id = ?', [user.id]);
    expect(unchanged[0]).toEqual({ password_hash: hashBefore });
    expect((await otherDevice.ok<{ viewer: { id: string } }>(VIEWER)).viewer.id).toBe(user.id);

    const newPassword = 'a brand new passphrase';
    await user.client.ok(CHANGE_PASSWORD, {
      input: { currentPassword: user.password, newPassword },
    });
    const [{ password_hash: hashAfter }] = (await sql<{ password_hash: string }>(
      'select password_hash from users where id = ?',
      [user.id],
    )) as [{ password_hash: string }];
    expect(hashAfter).toMatch(/^\$argon2id\$/);
    expect(hashAfter).not.toBe(hashBefore);

    expect((await user.client.ok<{ viewer: { id: string } }>(VIEWER)).viewer.id).toBe(user.id);
    expect((await otherDevice.ok<{ viewer: null }>(VIEWER)).viewer).toBeNull();
    const old = await server.client().fails(SIGN_IN, {
      input: { email: user.email, password: user.password },
    });
    expect(old.code).toBe('UNAUTHENTICATED');
    await server.client().ok(SIGN_IN, { input: { email: user.email, password: newPassword } });
    expect(await auditActions(user.id)).toContain('user.password_change');
  });
});

describe('sign-in attempts', () => {
  it('refuses the eleventh attempt in a row for one email, even with the right password', async () => {
    const user = await signUpUser(server);
    const client = server.client();
    const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`;
    for (let attempt = 0; attempt < 10; attempt++) {
      const wrong = await client.fails(SIGN_IN, {
        input: { email: user.email, password: 'wrong password' },
      });
      expect(wrong.code).toBe('UNAUTHENTICATED');
    }
    const limited = await client.fails(SIGN_IN, {
      input: { email: user.email, password: user.password },
    });
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', field: 'email' });
    expect(client.hasSession).toBe(false);
  });
});

describe('the sign-in payload', () => {
  it('is answered as the user who just signed in, organizations included', async () => {
    const user = await signUpUser(server);
    const org = await createOrg(user.client, 'Payload Org');
    const browser = server.client();
    const data = await browser.ok<{
      signIn: { user: { id: string; organizations: { id: string; viewerRole: string }[] } };
    }>(
      `mutation ($input: SignInInput!) { signIn(input: $input) { user { id organizations { id viewerRole } } } }`,
      { input: { email: user.email, password: user.password } },
    );
    expect(data.signIn.user).toEqual({
      id: user.id,
      organizations: [{ id: org.id, viewerRole: 'ADMIN' }],
    });
  });
});
