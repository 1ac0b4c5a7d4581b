import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import {
  createGatewayToken,
  deleteApp,
  gatewayProduct,
  revokeCredential,
} from '../../../test/gateway-builders.js';
import { auditEntriesFor } from '../../../test/app-builders.js';
import { hooksOffSoon } from '../../../test/promise-hooks.js';
import {
  authorizationUrl,
  authorizeInBrowser,
  browse,
  CALLBACK,
  clientCredentialsTokens,
  clientOptions,
  CookieJar,
  discover,
  exchangeCode,
  fetchVia,
  ISSUER,
  oauthApp,
  oauthError,
  rememberTokens,
} from '../../../test/oauth-builders.js';

const server = useTestServer();

function clientCredentials(
  as: oauth.AuthorizationServer,
  clientId: string,
  secret: string,
  scope: string,
): Promise<oauth.TokenEndpointResponse> {
  return clientCredentialsTokens(server, as, clientId, secret, scope);
}

async function introspect(
  as: oauth.AuthorizationServer,
  clientId: string,
  secret: string,
  token: string,
): Promise<oauth.IntrospectionResponse> {
  const client: oauth.Client = { client_id: clientId };
  const response = await oauth.introspectionRequest(
    as,
    client,
    oauth.ClientSecretBasic(secret),
    token,
    clientOptions(server),
  );
  return oauth.processIntrospectionResponse(as, client, response);
}

function jwks(as: oauth.AuthorizationServer) {
  return createRemoteJWKSet(new URL(as.jwks_uri ?? ''), { [customFetch]: fetchVia(server) });
}

describe('the authorization server', () => {
  it('publishes its discovery document at the portal origin', async () => {
    const as = await discover(server);
    expect(as.issuer).toBe(ISSUER);
    expect(as.token_endpoint).toBe(`${ISSUER}/oauth/token`);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.introspection_endpoint).toBe(`${ISSUER}/oauth/token/introspection`);
    expect(as.revocation_endpoint).toBe(`${ISSUER}/oauth/token/revocation`);
    expect(as.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
  });

  it('leaves no request context on once its requests are answered', async () => {
    // oidc-provider keeps each request's context in an AsyncLocalStorage (patched to switch
    // itself off, patches/oidc-provider@*.patch): left on, it would make every promise of the
    // process (GraphQL, the gateway, live events) pay for context tracking after one sign-in.
    const as = await discover(server);
    const app = await oauthApp(server);
    await clientCredentials(as, app.clientId, app.clientSecret, 'read');
    expect(await hooksOffSoon()).toBe(true);
  });

  it('issues app-only JWT access tokens for client credentials, checkable against the JWKS', async () => {
    const as = await discover(server);
    const app = await oauthApp(server);
    const tokens = await clientCredentials(as, app.clientId, app.clientSecret, 'read write');
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('read write');
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks(as), {
      issuer: ISSUER,
      audience: `${ISSUER}/v1`,
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload.client_id).toBe(app.clientId);
    expect(payload.sub).toBe(app.clientId);

    const active = await introspect(as, app.clientId, app.clientSecret, tokens.access_token);
    expect(active.active).toBe(true);
    expect(active.client_id).toBe(app.clientId);
  });

  it('signs a user in with authorization code and PKCE, then refreshes with rotation', async () => {
    const as = await discover(server);
    const app = await oauthApp(server);
    const user = await signUpUser(server, { name: 'Grace Hopper' });
    const start = await authorizationUrl(as, app.clientId, 'openid email offline_access read');
    const callback = await authorizeInBrowser(server, user.client, start);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    const tokens = await exchangeCode(server, as, app, callback, start);
    expect(tokens.refresh_token).toBeTruthy();
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    expect(claims?.sub).toBe(user.id);
    expect(claims?.email).toBe(user.email);
    const { payload } = await jwtVerify(tokens.access_token, jwks(as), { issuer: ISSUER });
    expect(payload.sub).toBe(user.id);
    expect(payload.scope).toBe('read');

    const client: oauth.Client = { client_id: app.clientId };
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(app.clientSecret),
        tokens.refresh_token ?? '',
        clientOptions(server),
      ),
    );
    rememberTokens(refreshed);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    // The rotated-out refresh token, used again: refused, and the whole grant goes with it.
    const reuse = oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(app.clientSecret),
      tokens.refresh_token ?? '',
      clientOptions(server),
    );
    expect(
      await oauthError(reuse.then((r) => oauth.processRefreshTokenResponse(as, client, r))),
    ).toBe('invalid_grant');
    const after = await introspect(as, app.clientId, app.clientSecret, refreshed.access_token);
    expect(after.active).toBe(false);
    const audit = await auditEntriesFor(server, app.appId);
    expect(audit.map((entry) => entry.action)).toContain('oauth.authorize');
  });
});

/** Where the authorization endpoint sends the browser (or the error page it shows instead). */
async function authorizationAnswer(
  app: { clientId: string },
  user: SignedInUser,
  scope: string,
  extra: Record<string, string | null> = {},
): Promise<{ error: string | null; status: number }> {
  const as = await discover(server);
  const start = await authorizationUrl(as, app.clientId, scope, extra);
  const jar = new CookieJar(user.client.cookieHeader);
  const response = await browse(server, jar, start.url.href);
  const location = response.headers.get('location');
  if (location?.startsWith('/oauth/consent/')) {
    const details = (await (await browse(server, jar, `${location}/details`)).json()) as {
      redirectTo?: string;
    };
    if (!details.redirectTo) return { error: null, status: 200 };
    const back = await browse(server, jar, details.redirectTo);
    const url = new URL(back.headers.get('location') ?? '', ISSUER);
    return { error: url.searchParams.get('error'), status: back.status };
  }
  if (location) {
    return { error: new URL(location, ISSUER).searchParams.get('error'), status: response.status };
  }
  const page = await response.text();
  return { error: /<code>([a-z_]+)<\/code>/.exec(page)?.[1] ?? null, status: response.status };
}

describe('refusals, with the standard error codes', () => {
  it('refuses a callback URL the app did not register', async () => {
    const app = await oauthApp(server);
    const user = await signUpUser(server);
    const answer = await authorizationAnswer(app, user, 'openid read', {
      redirect_uri: 'https://evil.example.com/callback',
    });
    expect(answer).toEqual({ error: 'invalid_redirect_uri', status: 400 });
  });

  it('requires PKCE with S256', async () => {
    const app = await oauthApp(server);
    const user = await signUpUser(server);
    const missing = await authorizationAnswer(app, user, 'openid read', {
      code_challenge: null,
      code_challenge_method: null,
    });
    expect(missing.error).toBe('invalid_request');
    const plain = await authorizationAnswer(app, user, 'openid read', {
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'plain',
    });
    expect(plain.error).toBe('invalid_request');
  });

  it('refuses users’ sign-in to an app with 3-legged OAuth off, but still gives it app-only tokens', async () => {
    const as = await discover(server);
    const app = await oauthApp(server, { threeLeggedOAuth: false });
    const user = await signUpUser(server);
    const answer = await authorizationAnswer(app, user, 'openid read');
    expect(answer.error).toBe('invalid_redirect_uri');
    const tokens = await clientCredentials(as, app.clientId, app.clientSecret, 'read');
    expect(tokens.access_token).toBeTruthy();
  });

  it('refuses scopes above the permission level or outside the granted products', async () => {
    const as = await discover(server);
    const app = await oauthApp(server, { permissionLevel: 'READ' });
    const user = await signUpUser(server);
    expect((await authorizationAnswer(app, user, 'openid write')).error).toBe('invalid_scope');
    const other = await gatewayProduct(server);
    await server.app.oauth.reload();
    expect((await authorizationAnswer(app, user, `openid read product:${other.slug}`)).error).toBe(
      'invalid_scope',
    );
    expect(await oauthError(clientCredentials(as, app.clientId, app.clientSecret, 'read dm'))).toBe(
      'invalid_scope',
    );
    expect(
      await oauthError(
        clientCredentials(as, app.clientId, app.clientSecret, `read product:${other.slug}`),
      ),
    ).toBe('invalid_scope');
    const granted = await clientCredentials(
      as,
      app.clientId,
      app.clientSecret,
      `read product:${app.product.slug}`,
    );
    expect(granted.scope).toBe(`read product:${app.product.slug}`);
  });

  it('asks for email only when the app requests email addresses', async () => {
    const app = await oauthApp(server, { requestEmail: false });
    const user = await signUpUser(server);
    expect((await authorizationAnswer(app, user, 'openid email read')).error).toBe('invalid_scope');
  });

  it('refuses suspended and deleted apps, and a revoked client secret', async () => {
    const as = await discover(server);
    const staff = await signUpUser(server, { staff: true });
    const suspended = await oauthApp(server);
    await staff.client.ok(
      `mutation ($id: ID!) { suspendApp(input: { appId: $id, reason: "Abuse report" }) { app { id } } }`,
      { id: suspended.appId },
    );
    expect(
      await oauthError(clientCredentials(as, suspended.clientId, suspended.clientSecret, 'read')),
    ).toBe('invalid_client');

    const deleted = await oauthApp(server);
    const token = await clientCredentials(as, deleted.clientId, deleted.clientSecret, 'read');
    await deleteApp(deleted.owner, deleted.appId);
    expect(
      await oauthError(clientCredentials(as, deleted.clientId, deleted.clientSecret, 'read')),
    ).toBe('invalid_client');
    // Its tokens are refused by introspection too (asked by a gateway).
    const gateway = await createGatewayToken(server);
    const response = await fetchVia(server)(`${ISSUER}/oauth/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${gateway.token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: token.access_token }),
    });
    expect(await response.json()).toEqual({ active: false });

    const revoked = await oauthApp(server);
    await revokeCredential(revoked.owner, revoked.credentialId);
    expect(
      await oauthError(clientCredentials(as, revoked.clientId, revoked.clientSecret, 'read')),
    ).toBe('invalid_client');
  });

  it('lets a gateway introspect any token with its gateway token, and refuses a wrong one', async () => {
    const as = await discover(server);
    const app = await oauthApp(server);
    const token = await clientCredentials(as, app.clientId, app.clientSecret, 'read');
    const gateway = await createGatewayToken(server);
    const ask = (bearer: string) =>
      fetchVia(server)(`${ISSUER}/oauth/token/introspection`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${bearer}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: token.access_token }),
      });
    const answer = (await (await ask(gateway.token)).json()) as Record<string, unknown>;
    expect(answer.active).toBe(true);
    expect(answer.client_id).toBe(app.clientId);
    const wrong = await ask(gateway.token.replace(/.$/, '0'));
    expect(wrong.status).toBe(401);
    // Another app may not introspect this app's tokens.
    const other = await oauthApp(server);
    const foreign = await introspect(as, other.clientId, other.clientSecret, token.access_token);
    expect(foreign.active).toBe(false);
  });

  it('refuses a reused authorization code and revokes what it issued', async () => {
    const as = await discover(server);
    const app = await oauthApp(server);
    const user = await signUpUser(server);
    const start = await authorizationUrl(as, app.clientId, 'openid read offline_access');
    const callback = await authorizeInBrowser(server, user.client, start);
    const tokens = await exchangeCode(server, as, app, callback, start);
    expect((await introspect(as, app.clientId, app.clientSecret, tokens.access_token)).active).toBe(
      true,
    );
    expect(await oauthError(exchangeCode(server, as, app, callback, start))).toBe('invalid_grant');
    expect((await introspect(as, app.clientId, app.clientSecret, tokens.access_token)).active).toBe(
      false,
    );
    expect(
      (await introspect(as, app.clientId, app.clientSecret, tokens.refresh_token ?? '')).active,
    ).toBe(false);
  });

  it('lets the user deny, and tells the app so', async () => {
    const as = await discover(server);
    const app = await oauthApp(server);
    const user = await signUpUser(server);
    const start = await authorizationUrl(as, app.clientId, 'openid read');
    const callback = await authorizeInBrowser(server, user.client, start, 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
  });
});
