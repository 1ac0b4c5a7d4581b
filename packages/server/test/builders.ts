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

/** Signs up a new user through the API and returns their signed-in client. */
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
  const data = await client.ok<{ signUp: { user: { id: string } } }>(
    `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
    { input: { email, name, password } },
  );
  const id = data.signUp.user.id;
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
