import { describe, expect, it } from 'vitest';
import { linkIn, useTestServer, type ReceivedMail } from '../../../test/harness.js';
import { signedUpUserId, signUpUser, uniqueEmail } from '../../../test/builders.js';

/**
 * Signing up tells nobody whether an address has an account: the answer (status, body,
 * cookies) is the same, nobody is signed in, and only the mailbox learns which it was.
 */
const server = useTestServer();

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { sent user { id } } }`;
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`;
const VIEWER = `{ viewer { id name emailVerified } }`;
const VERIFY_EMAIL = `mutation ($input: VerifyEmailInput!) {
  verifyEmail(input: $input) { user { id emailVerified } }
}`;
const REQUEST_RESET = `mutation ($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { sent }
}`;
const RESET_PASSWORD = `mutation ($input: ResetPasswordInput!) {
  resetPassword(input: $input) { user { id } }
}`;

const VERIFY_SUBJECT = /^Verify your email for Portico$/;
const ATTEMPT_SUBJECT = /^Someone tried to sign up to Portico with your email$/;
const RESET_SUBJECT = /^Reset your Portico password$/;

interface RawAnswer {
  status: number;
  body: string;
  setCookie: string[];
  retryAfter: string | null;
}

/** Posts an operation as a signed-out browser and keeps the whole HTTP answer. */
/**
 * The answer without what is left of the caller's query budget (`extensions.cost.remaining`),
 * which every answer of one address counts down; the operation's cost itself stays.
 */
function withoutBudgetLeft(body: string): string {
  const parsed = JSON.parse(body) as { extensions?: { cost?: Record<string, unknown> } };
  if (parsed.extensions?.cost) delete parsed.extensions.cost.remaining;
  return JSON.stringify(parsed);
}

async function post(query: string, variables: Record<string, unknown>): Promise<RawAnswer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: withoutBudgetLeft(await response.text()),
    setCookie: response.headers.getSetCookie(),
    retryAfter: response.headers.get('retry-after'),
  };
}

function mailsTo(to: string, subject: RegExp): ReceivedMail[] {
  return server.mail.messages.filter(
    (m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject),
  );
}

/** Waits until `count` matching mails arrived. */
async function waitForMails(to: string, subject: RegExp, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (mailsTo(to, subject).length < count) {
    if (Date.now() > deadline) {
      throw new Error(`Expected ${count} mail(s) to ${to}, got ${mailsTo(to, subject).length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Lets mail that would have been sent arrive before counting what did. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

async function sql<T = Record<string, unknown>>(
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return server.orm.em.fork().getConnection().execute<T[]>(query, params);
}

function tokenOf(mail: ReceivedMail, path: string): string {
  const token = linkIn(mail, path).searchParams.get('token');
  if (!token) throw new Error(`No token in the ${path} link`);
  return token;
}

describe('signing up', () => {
  it('answers a new and a taken address alike and signs nobody in; only the mail differs', async () => {
    const existing = await signUpUser(server, { name: 'Already Here' });
    const fresh = uniqueEmail('fresh');
    const input = (email: string) => ({
      input: { email, name: 'Someone', password: 'long enough password' },
    });

    const forFresh = await post(SIGN_UP, input(fresh));
    const forTaken = await post(SIGN_UP, input(existing.email));
    expect(forTaken).toEqual(forFresh);
    expect(forFresh).toMatchObject({ status: 200, setCookie: [] });
    expect(JSON.parse(forFresh.body)).toMatchObject({
      data: { signUp: { sent: true, user: null } },
    });

    // The address with an account is told someone tried, with the way to sign in or reset.
    const attempt = await server.mail.waitFor(existing.email, ATTEMPT_SUBJECT);
    expect(attempt.text).toContain('Hi Already Here,');
    expect(linkIn(attempt, '/signin').origin).toBe('http://portico.test');
    expect(linkIn(attempt, '/forgot-password').origin).toBe('http://portico.test');
    // ... and nothing of the account changed: one account, same name, same password.
    const rows = await sql('select count(*)::int as n from users where email = ?', [
      existing.email,
    ]);
    expect(rows[0]).toEqual({ n: 1 });
    expect((await existing.client.ok<{ viewer: { name: string } }>(VIEWER)).viewer.name).toBe(
      'Already Here',
    );
    await server.client().ok(SIGN_IN, {
      input: { email: existing.email, password: existing.password },
    });
    const other = await server.client().fails(SIGN_IN, {
      input: { email: existing.email, password: 'long enough password' },
    });
    expect(other).toMatchObject({ code: 'UNAUTHENTICATED', field: 'password' });

    // The new address gets the verification link; its account cannot sign in until it is opened.
    const verification = await server.mail.waitFor(fresh, VERIFY_SUBJECT);
    expect(verification.text).toContain('Hi Someone,');
    const beforeLink = await server.client().fails(SIGN_IN, {
      input: { email: fresh, password: 'long enough password' },
    });
    const wrongPassword = await server.client().fails(SIGN_IN, {
      input: { email: existing.email, password: 'not the password at all' },
    });
    expect(beforeLink).toEqual(wrongPassword);
    await settle();
    expect(mailsTo(fresh, /./)).toHaveLength(1);
    expect(mailsTo(existing.email, ATTEMPT_SUBJECT)).toHaveLength(1);
  });

  it('finishes from the mailed link: the account is activated, verified and signed in', async () => {
    const email = uniqueEmail('finisher');
    const browser = server.client();
    await browser.ok(SIGN_UP, {
      input: { email, name: 'Fin Isher', password: 'long enough password' },
    });
    expect(browser.hasSession).toBe(false);
    const id = await signedUpUserId(server, email);
    const token = tokenOf(await server.mail.waitFor(email, VERIFY_SUBJECT), '/verify-email');

    // Opened in another browser, as a mail link may be.
    const elsewhere = server.client();
    const verified = await elsewhere.ok<{ verifyEmail: { user: { id: string } } }>(VERIFY_EMAIL, {
      input: { token },
    });
    expect(verified.verifyEmail.user).toEqual({ id, emailVerified: true });
    expect(elsewhere.hasSession).toBe(true);
    expect((await elsewhere.ok<{ viewer: { id: string } }>(VIEWER)).viewer).toMatchObject({ id });
    const audit = await sql<{ action: string }>(
      'select action from audit_entry where target_id = ? order by created_at',
      [id],
    );
    expect(audit.map((row) => row.action).sort()).toEqual(['user.activate', 'user.email_verify']);

    // From now on the password signs in too.
    await server.client().ok(SIGN_IN, { input: { email, password: 'long enough password' } });
    const again = await server.client().fails(VERIFY_EMAIL, { input: { token } });
    expect(again).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });

  it('does not let a second sign-up take over an account not activated yet; a reset finishes it', async () => {
    const email = uniqueEmail('prehijack');
    // Someone else signs the address up first, with a password of their own.
    await server.client().ok(SIGN_UP, {
      input: { email, name: 'Squatter', password: 'the squatter password' },
    });
    const id = await signedUpUserId(server, email);
    await server.mail.waitFor(email, VERIFY_SUBJECT);
    const [before] = await sql<{ password_hash: string }>(
      'select password_hash from users where id = ?',
      [id],
    );

    // The owner of the address signs up: they are told an account exists; nothing changes.
    await server.client().ok(SIGN_UP, {
      input: { email, name: 'Owner', password: 'the owner password' },
    });
    await server.mail.waitFor(email, ATTEMPT_SUBJECT);
    const [after] = await sql<{ name: string; password_hash: string; activated_at: Date | null }>(
      'select name, password_hash, activated_at from users where id = ?',
      [id],
    );
    expect(after).toEqual({
      name: 'Squatter',
      password_hash: before?.password_hash,
      activated_at: null,
    });
    for (const password of ['the squatter password', 'the owner password']) {
      const refused = await server.client().fails(SIGN_IN, { input: { email, password } });
      expect(refused.code).toBe('UNAUTHENTICATED');
    }

    // A password reset proves the address: it activates the account with the owner's password.
    await server.client().ok(REQUEST_RESET, { input: { email } });
    const token = tokenOf(await server.mail.waitFor(email, RESET_SUBJECT), '/reset-password');
    const owner = server.client();
    await owner.ok(RESET_PASSWORD, { input: { token, password: 'the owner password' } });
    expect((await owner.ok<{ viewer: { id: string } }>(VIEWER)).viewer.id).toBe(id);
    await server.client().ok(SIGN_IN, { input: { email, password: 'the owner password' } });
    const squatter = await server.client().fails(SIGN_IN, {
      input: { email, password: 'the squatter password' },
    });
    expect(squatter.code).toBe('UNAUTHENTICATED');
  });
});

describe('mail anyone can make the portal send', () => {
  it('mails "someone tried to sign up" three times an hour at most; every sign-up answers alike', async () => {
    const existing = await signUpUser(server);
    const answers = new Set<string>();
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = await post(SIGN_UP, {
        input: { email: existing.email, name: 'Again', password: 'long enough password' },
      });
      answers.add(JSON.stringify(answer));
    }
    expect(answers.size).toBe(1);
    const [answer] = [...answers].map((text) => JSON.parse(text) as RawAnswer);
    expect(answer).toMatchObject({ status: 200, setCookie: [], retryAfter: null });
    expect(JSON.parse(answer?.body ?? '')).toMatchObject({
      data: { signUp: { sent: true, user: null } },
    });
    await waitForMails(existing.email, ATTEMPT_SUBJECT, 3);
    await settle();
    expect(mailsTo(existing.email, ATTEMPT_SUBJECT)).toHaveLength(3);
  });

  it('mails a password reset three times an hour at most; every request answers sent', async () => {
    const user = await signUpUser(server);
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = await server
        .client()
        .ok<{ requestPasswordReset: { sent: boolean } }>(REQUEST_RESET, {
          input: { email: user.email },
        });
      expect(answer.requestPasswordReset.sent).toBe(true);
    }
    await waitForMails(user.email, RESET_SUBJECT, 3);
    await settle();
    expect(mailsTo(user.email, RESET_SUBJECT)).toHaveLength(3);
  });
});

describe('attempts per email', () => {
  it('refuses the eleventh sign-up or reset request for one email: RATE_LIMITED, 429', async () => {
    for (const [operation, variables] of [
      [SIGN_UP, { input: { email: uniqueEmail('many'), name: 'M', password: 'long enough one' } }],
      [REQUEST_RESET, { input: { email: uniqueEmail('many') } }],
    ] as const) {
      for (let attempt = 0; attempt < 10; attempt++) {
        expect((await post(operation, variables)).status).toBe(200);
      }
      const limited = await post(operation, variables);
      expect(limited.status).toBe(429);
      const error = (
        JSON.parse(limited.body) as {
          errors: { extensions: { code: string; field: string; retryAfter: number } }[];
        }
      ).errors[0];
      expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', field: 'email' });
      expect(error?.extensions.retryAfter).toBeGreaterThan(0);
      expect(error?.extensions.retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(limited.retryAfter).toBe(String(error?.extensions.retryAfter));
      expect(limited.setCookie).toEqual([]);
    }
  });
});
