import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { signUpUser, uniqueEmail } from '../../../test/builders.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const VIEWER = `{ viewer { id email name platformRole } }`;

describe('sign up and sign in', () => {
  it('signs up, is the viewer, signs out, and signs back in', async () => {
    const user = await signUpUser(server, { name: 'Ada' });
    const me = await user.client.ok<{ viewer: { id: string; name: string } }>(VIEWER);
    expect(me.viewer).toMatchObject({ id: user.id, name: 'Ada', platformRole: 'DEVELOPER' });

    await user.client.ok(`mutation { signOut { signedOut } }`);
    expect((await user.client.ok<{ viewer: null }>(VIEWER)).viewer).toBeNull();

    const wrong = await user.client.fails(
      `mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`,
      { input: { email: user.email, password: 'not the password' } },
    );
    expect(wrong).toMatchObject({ code: 'UNAUTHENTICATED', field: 'password' });

    await user.client.ok(
      `mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`,
      {
        input: { email: user.email.toUpperCase(), password: user.password },
      },
    );
    expect((await user.client.ok<{ viewer: { id: string } }>(VIEWER)).viewer.id).toBe(user.id);
  });

  it('refuses a taken email and a short password, creating nothing', async () => {
    const user = await signUpUser(server);
    const client = server.client();
    const taken = await client.fails(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
      { input: { email: user.email, name: 'X', password: 'long enough password' } },
    );
    expect(taken).toMatchObject({ code: 'CONFLICT', field: 'email' });

    const email = uniqueEmail();
    const short = await client.fails(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
      { input: { email, name: 'X', password: 'short' } },
    );
    expect(short).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const rows = await server.orm.em
      .fork()
      .getConnection()
      .execute('select count(*)::int as n from users where email = ?', [email]);
    expect(rows[0]).toEqual({ n: 0 });
    expect(client.hasSession).toBe(false);
  });
});
