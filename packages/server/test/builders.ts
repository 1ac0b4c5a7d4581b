import { PlatformRole } from '../src/auth/roles.js';
import { User } from '../src/modules/accounts/accounts.entity.js';
import {
  ApplicationStatus,
  DeveloperApplication,
} from '../src/modules/applications/applications.entity.js';
import type { TestClient, TestServer } from './harness.js';
import { rememberSecret } from './log-capture.js';

let userCounter = 0;

export interface SignedInUser {
  client: TestClient;
  id: string;
  email: string;
  name: string;
  password: string;
}

export function uniqueEmail(label = 'user'): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${++userCounter}@example.com`;
}

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { sent } }`;
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`;

/**
 * The id of the account a sign-up made, once its verification mail has been tried (or kept):
 * a sign-up does its work after answering, so that the answer tells nothing, and the builder
 * waits for it as an operation's caller used to.
 */
export async function signedUpUserId(server: TestServer, email: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  const address = email.toLowerCase();
  for (;;) {
    const em = server.orm.em.fork();
    const user = await em.findOne(User, { email: address });
    const [mail] = user
      ? await em
          .getConnection()
          .execute<{ settled: boolean }[]>(
            `select (status <> 'PENDING' or attempts > 0) as settled from mail_message where "to" = ? order by created_at limit 1`,
            [address],
          )
      : [];
    if (user && mail?.settled) return user.id;
    if (Date.now() > deadline) throw new Error(`Signing up ${email} made no account and mail`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Waits until every mail in the outbox has been sent, so that its delivery (which reads and
 * writes through the same ORM) does not fall into a count of a request's SQL statements.
 */
export async function mailOutboxSent(server: TestServer, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ pending: number }[]>(
        `select count(*)::int as pending from mail_message where status = 'PENDING'`,
      );
    if (row?.pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.pending ?? '?'} mails are still unsent`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Signs up a new user through the API and returns their signed-in client. A sign-up's account
 * is usable once the link mailed to it is opened; the builder activates it in the database
 * instead and signs in with the password, so the link stays unused and the email unverified.
 */
export async function signUpUser(
  server: TestServer,
  options: {
    email?: string;
    name?: string;
    staff?: boolean;
    /** Marks the email verified directly in the database (default: left unverified). */
    verifyEmail?: boolean;
    /**
     * Gives the user an APPROVED developer account application, written through the ORM, so
     * they may create apps (default true; false for a user who has not applied).
     */
    approved?: boolean;
  } = {},
): Promise<SignedInUser> {
  const client = server.client();
  const email = options.email ?? uniqueEmail();
  const name = options.name ?? 'Test User';
  const password = 'correct horse battery staple';
  rememberSecret(password);
  await client.ok(SIGN_UP, { input: { email, name, password } });
  const id = await signedUpUserId(server, email);
  await server.orm.em.fork().nativeUpdate(User, { id }, { activatedAt: new Date() });
  await client.ok(SIGN_IN, { input: { email, password } });
  if (options.staff) {
    await server.orm.em.fork().nativeUpdate(User, { id }, { platformRole: PlatformRole.STAFF });
  }
  if (options.verifyEmail) {
    await server.orm.em.fork().nativeUpdate(User, { id }, { emailVerifiedAt: new Date() });
  }
  if (options.approved ?? true) {
    const em = server.orm.em.fork();
    const application = new DeveloperApplication(
      em.getReference(User, id, { wrapped: true }),
      'Approved by the test builder so that this user may create apps.',
    );
    application.status = ApplicationStatus.APPROVED;
    application.decidedAt = new Date();
    await em.persist(application).flush();
  }
  return { client, id, email, name, password };
}
