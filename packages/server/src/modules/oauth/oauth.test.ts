import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import { auditEntriesFor } from '../../../test/app-builders.js';
import {
  authorizationUrl,
  authorizeInBrowser,
  CALLBACK,
  clientOptions,
  discover,
  exchangeCode,
  fetchVia,
  ISSUER,
  oauthApp,
  oauthError,
  rememberTokens,
} from '../../../test/oauth-builders.js';

const server = useTestServer();

async function clientCredentials(
  as: oauth.AuthorizationServer,
  clientId: string,
  secret: string,
  scope: string,
): Promise<oauth.TokenEndpointResponse> {
  const client: oauth.Client = { client_id: clientId };
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(secret),
    new URLSearchParams({ scope }),
    clientOptions(server),
  );
  const tokens = await oauth.processClientCredentialsResponse(as, client, response);
  rememberTokens(tokens);
  return tokens;
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
