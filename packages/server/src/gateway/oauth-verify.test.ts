import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpUser, type SignedInUser } from '../../test/builders.js';
import {
  eventually,
  gatewayProduct,
  outcome,
  planFor,
  revokeGrant,
  sql,
  verify,
  type VerifyCall,
} from '../../test/gateway-builders.js';
import { storedGrants } from '../../test/grant-builders.js';
import { startSecondInstance, useTestServer, type TestServer } from '../../test/harness.js';
import {
  authorizationUrl,
  authorizeInBrowser,
  clientCredentialsTokens,
  clientOptions,
  discover,
  exchangeCode,
  type OAuthApp,
  oauthApp,
} from '../../test/oauth-builders.js';
import { writeMinutes } from '../../test/usage-builders.js';
import { rollUpUsage } from '../modules/usage/usage.rollup.js';

/** Instance A (the authorization server and every change) and B, on the same database. */
const server = useTestServer({ smtp: false });
let second: TestServer;
let staff: SignedInUser;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  second = await startSecondInstance(server, { smtp: false });
  staff = await signUpUser(server, { staff: true });
  as = await discover(server);
});

afterAll(async () => {
  await second.close();
});

async function appOnBoth(options: { permissionLevel?: string } = {}): Promise<OAuthApp> {
  const product = await gatewayProduct(server, { alsoReload: [second] });
  return oauthApp(server, { product, ...options });
}

async function appToken(app: OAuthApp, scope: string): Promise<string> {
  return (await clientCredentialsTokens(server, as, app.clientId, app.clientSecret, scope))
    .access_token;
}

async function userToken(
  app: OAuthApp,
  user: SignedInUser,
  scope: string,
): Promise<oauth.TokenEndpointResponse> {
  const start = await authorizationUrl(as, app.clientId, scope);
  const callback = await authorizeInBrowser(server, user.client, start);
  return exchangeCode(server, as, app, callback, start);
}

const call = (token: string, app: OAuthApp, method = 'GET'): VerifyCall => ({
  token,
  method,
  uri: `${app.product.prefix}/items`,
});

async function refusedOnB(request: VerifyCall, expected: string): Promise<void> {
  await eventually(async () => {
    expect(outcome(await verify(second.url, request))).toBe(expected);
  });
}

describe('/v1/verify with an OAuth access token (JWT)', () => {
  it('allows an app-only token within its scope, on every instance, with the app headers', async () => {
    const app = await appOnBoth();
    const token = await appToken(app, 'read');
    const answers = await Promise.all([
      verify(server.url, call(token, app)),
      verify(second.url, call(token, app)),
    ]);
    expect(answers.map(outcome)).toEqual(['200 allowed', '200 allowed']);
    expect(answers[0]?.headers.get('x-portico-app')).toBe(app.appId);
    expect(answers[0]?.headers.get('x-portico-org')).toBe(app.org.id);
    expect(answers[0]?.headers.get('x-portico-product')).toBe(app.product.slug);
    expect(answers[0]?.headers.get('x-portico-user')).toBeNull();
    // The scope says read: a write is refused although the app may write.
    expect(outcome(await verify(server.url, call(token, app, 'POST')))).toBe(
      '403 insufficient_permission',
    );
  });

  it('answers with the user on whose behalf the app acts', async () => {
    const app = await appOnBoth();
    const user = await signUpUser(server);
    const tokens = await userToken(app, user, 'openid read write');
    const answer = await verify(second.url, call(tokens.access_token, app, 'POST'));
    expect(outcome(answer)).toBe('200 allowed');
    expect(answer.headers.get('x-portico-user')).toBe(user.id);
  });

  it('refuses a token whose authorization the user revoked, within a second on the other instance', async () => {
    const app = await appOnBoth();
    const user = await signUpUser(server);
    const tokens = await userToken(app, user, 'openid read');
    const request = call(tokens.access_token, app);
    expect(outcome(await verify(second.url, request))).toBe('200 allowed');
    const list = await user.client.ok<{ authorizedApps: { id: string; app: { name: string } }[] }>(
      `{ authorizedApps { id app { name } } }`,
    );
    expect(list.authorizedApps).toHaveLength(1);
    await user.client.ok(
      `mutation ($id: ID!) { revokeAuthorizedApp(input: { authorizationId: $id }) { authorization { id } } }`,
      { id: list.authorizedApps[0]?.id },
    );
    expect(outcome(await verify(server.url, request))).toBe('401 revoked_credential');
    await refusedOnB(request, '401 revoked_credential');
  });

  it('refuses a token revoked at the revocation endpoint, on the other instance', async () => {
    const app = await appOnBoth();
    const token = await appToken(app, 'read');
    expect(outcome(await verify(second.url, call(token, app)))).toBe('200 allowed');
    const response = await oauth.revocationRequest(
      as,
      { client_id: app.clientId },
      oauth.ClientSecretBasic(app.clientSecret),
      token,
      clientOptions(server),
    );
    await oauth.processRevocationResponse(response);
    await refusedOnB(call(token, app), '401 revoked_credential');
  });

  it('refuses a token for a product the app lost, and after the permission level is lowered', async () => {
    const app = await appOnBoth();
    const token = await appToken(app, 'read write');
    expect(outcome(await verify(second.url, call(token, app, 'POST')))).toBe('200 allowed');
    await app.owner.ok(
      `mutation ($id: ID!) { updateApp(input: { appId: $id, permissionLevel: READ }) { app { id } } }`,
      { id: app.appId },
    );
    await refusedOnB(call(token, app), '401 revoked_credential');

    const other = await appOnBoth();
    const readToken = await appToken(other, 'read');
    expect(outcome(await verify(second.url, call(readToken, other)))).toBe('200 allowed');
    const [grant] = await storedGrants(server, other.appId);
    await revokeGrant(staff.client, grant?.id ?? '');
    await refusedOnB(call(readToken, other), '403 grant_revoked');
  });

  it('refuses a JWT that is not signed by the authorization server', async () => {
    const app = await appOnBoth();
    const token = await appToken(app, 'read');
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    expect(outcome(await verify(server.url, call(forged, app)))).toBe('401 malformed_credential');
  });

  it('counts the month’s requests already rolled up (minutes gone) against the cap', async () => {
    const app = await appOnBoth();
    await planFor([server, second], app.org.id, app.product.id, { monthlyRequestCap: 3 });
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    await writeMinutes(server, [
      {
        bucket: monthStart,
        organizationId: app.org.id,
        appId: app.appId,
        productId: app.product.id,
        requests: 3,
      },
    ]);
    await rollUpUsage(server.orm.em.fork());
    // Retention drops the minutes after a few days; the hour and day rows hold them.
    for (const table of ['usage_minute', 'usage_org_minute']) {
      await sql(server, `delete from ${table} where organization_id = ?`, [app.org.id]);
    }
    const token = await appToken(app, 'read');
    expect(outcome(await verify(second.url, call(token, app)))).toBe('429 request_cap_exceeded');
  });
});
