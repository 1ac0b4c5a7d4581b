import type { MikroORM } from '@mikro-orm/postgresql';
import { User } from '../../packages/server/src/modules/accounts/accounts.entity.js';

export interface BenchUser {
  id: string;
  /** `name=value` of the session cookie. */
  cookie: string;
}

async function post(url: string, query: string, input: Record<string, unknown>) {
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
    body: JSON.stringify({ query, variables: { input } }),
  });
}

/**
 * Signs a user up through the API, activates the account straight in the database (as if the
 * mailed link had been opened, as the test builders do) and signs in: the session cookie.
 */
export async function signUpAndSignIn(
  url: string,
  orm: MikroORM,
  input: { email: string; name: string; password: string },
): Promise<BenchUser> {
  const signUp = await post(
    url,
    'mutation ($input: SignUpInput!) { signUp(input: $input) { sent } }',
    input,
  );
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status}`);
  // Sign-up does its work after answering: wait for the account.
  let id: string | null = null;
  for (let i = 0; i < 100 && !id; i++) {
    const user = await orm.em.fork().findOne(User, { email: input.email.toLowerCase() });
    if (user) id = user.id;
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!id) throw new Error('sign-up made no account');
  await orm.em.fork().nativeUpdate(User, { id }, { activatedAt: new Date() });
  const signIn = await post(
    url,
    'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }',
    { email: input.email, password: input.password },
  );
  const cookie = signIn.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error(`sign-in set no session cookie: ${signIn.status}`);
  return { id, cookie };
}
