import * as oauth from 'oauth4webapi';
import {
  createRemoteJWKSet,
  customFetch,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import { auditEntriesFor } from '../../../test/app-builders.js';
import {
  clientCredentialsTokens,
  clientOptions,
  discover,
  fetchVia,
  ISSUER,
  oauthApp,
  type OAuthApp,
  oauthError,
} from '../../../test/oauth-builders.js';

const server = useTestServer();

const ADD_KEY = `mutation ($input: AddAppKeyInput!) { addAppKey(input: $input) { appKey { id kid keyType jwksUrl } } }`;
const REMOVE_KEY = `mutation ($input: RemoveAppKeyInput!) { removeAppKey(input: $input) { appKey { id } } }`;

async function newKey() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { publicJwk: await exportJWK(publicKey), privateKey };
}

async function addKey(app: OAuthApp, publicKey: string): Promise<{ id: string; kid: string }> {
  const data = await app.owner.ok<{ addAppKey: { appKey: { id: string; kid: string } } }>(ADD_KEY, {
    input: { appId: app.appId, publicKey },
  });
  return data.addAppKey.appKey;
}

async function tokenWithKey(
  app: OAuthApp,
  privateKey: CryptoKey,
  kid: string,
): Promise<oauth.TokenEndpointResponse> {
  const as = await discover(server);
  const auth = oauth.PrivateKeyJwt({ key: privateKey, kid });
  return clientCredentialsTokens(server, as, app.clientId, auth, 'read');
}

/** Posts a hand-made client assertion to the token endpoint; returns the error code or 'ok'. */
async function postAssertion(app: OAuthApp, assertion: string): Promise<string> {
  const response = await fetchVia(server)(`${ISSUER}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'read',
      client_id: app.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  const body = (await response.json()) as { error?: string; access_token?: string };
  return body.error ?? (body.access_token ? 'ok' : 'no answer');
}

function assertion(app: OAuthApp, kid: string, jti: string, expiresIn = '60s') {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer(app.clientId)
    .setSubject(app.clientId)
    .setAudience(`${ISSUER}/oauth/token`)
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
}

describe('app key pairs (private_key_jwt)', () => {
  it('authenticates with a registered public key instead of the secret, and rotates', async () => {
    const as = await discover(server);
    const app = await oauthApp(server);
    const first = await newKey();
    const key = await addKey(app, JSON.stringify(first.publicJwk));
    const tokens = await tokenWithKey(app, first.privateKey, key.kid);
    const { payload } = await jwtVerify(
      tokens.access_token,
      createRemoteJWKSet(new URL(as.jwks_uri ?? ''), { [customFetch]: fetchVia(server) }),
      { issuer: ISSUER },
    );
    expect(payload.client_id).toBe(app.clientId);

    // With a key, the secret no longer authenticates the app.
    const client: oauth.Client = { client_id: app.clientId };
    const withSecret = oauth
      .clientCredentialsGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(app.clientSecret),
        new URLSearchParams({ scope: 'read' }),
        clientOptions(server),
      )
      .then((response) => oauth.processClientCredentialsResponse(as, client, response));
    expect(await oauthError(withSecret)).toBe('invalid_client');

    // Rotation: add a second key, remove the first.
    const second = await newKey();
    const secondKey = await addKey(app, JSON.stringify(second.publicJwk));
    await app.owner.ok(REMOVE_KEY, { input: { appKeyId: key.id } });
    expect(await oauthError(tokenWithKey(app, first.privateKey, key.kid))).toBe('invalid_client');
    expect((await tokenWithKey(app, second.privateKey, secondKey.kid)).access_token).toBeTruthy();

    const actions = (await auditEntriesFor(server, app.appId)).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['app_key.add', 'app_key.remove']));
    for (const entry of await auditEntriesFor(server, app.appId)) {
      expect(JSON.stringify(entry.data)).not.toMatch(/"x"|"y"|"d"/);
    }
  });

  it('refuses an assertion signed with a wrong key, an expired one, and a replayed one', async () => {
    const app = await oauthApp(server);
    const registered = await newKey();
    const key = await addKey(app, JSON.stringify(registered.publicJwk));
    const stranger = await newKey();

    const wrong = await assertion(app, key.kid, 'wrong-1').sign(stranger.privateKey);
    expect(await postAssertion(app, wrong)).toBe('invalid_client');

    const expired = await assertion(
      app,
      key.kid,
      'expired-1',
      Math.floor(Date.now() / 1000) - 60 + 's',
    )
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(registered.privateKey);
    expect(await postAssertion(app, expired)).toBe('invalid_client');

    const once = await assertion(app, key.kid, `once-${Date.now()}`).sign(registered.privateKey);
    expect(await postAssertion(app, once)).toBe('ok');
    expect(await postAssertion(app, once)).toBe('invalid_client');
  });

  it('takes a PEM public key, refuses private keys, small RSA keys and other curves', async () => {
    const app = await oauthApp(server);
    const { publicKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const { exportSPKI, exportPKCS8 } = await import('jose');
    const pem = await exportSPKI(publicKey);
    const added = await app.owner.ok<{ addAppKey: { appKey: { keyType: string } } }>(ADD_KEY, {
      input: { appId: app.appId, publicKey: pem },
    });
    expect(added.addAppKey.appKey.keyType).toBe('RSA 2048');

    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const refusedPrivate = await app.owner.fails(ADD_KEY, {
      input: { appId: app.appId, publicKey: await exportPKCS8(privateKey) },
    });
    expect(refusedPrivate).toMatchObject({ code: 'BAD_USER_INPUT', field: 'publicKey' });

    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const refusedSmall = await app.owner.fails(ADD_KEY, {
      input: {
        appId: app.appId,
        publicKey: small.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    expect(refusedSmall).toMatchObject({ code: 'BAD_USER_INPUT', field: 'publicKey' });

    const p384 = await generateKeyPair('ES384', { extractable: true });
    const refusedCurve = await app.owner.fails(ADD_KEY, {
      input: { appId: app.appId, publicKey: JSON.stringify(await exportJWK(p384.publicKey)) },
    });
    expect(refusedCurve).toMatchObject({ code: 'BAD_USER_INPUT', field: 'publicKey' });

    const outsider = await signUpUser(server);
    const refusedOutsider = await outsider.client.fails(ADD_KEY, {
      input: { appId: app.appId, publicKey: pem },
    });
    expect(refusedOutsider.code).toBe('NOT_FOUND');
  });
});

describe('signing keys', () => {
  it('keeps tokens signed with a rotated-out key verifiable against the JWKS', async () => {
    const as = await discover(server);
    const app = await oauthApp(server);
    const issue = async () =>
      (await clientCredentialsTokens(server, as, app.clientId, app.clientSecret, 'read'))
        .access_token;
    const before = await issue();
    const staff = await signUpUser(server, { staff: true });
    const rotated = await staff.client.ok<{ rotateOAuthSigningKey: { kid: string } }>(
      `mutation { rotateOAuthSigningKey { kid } }`,
    );
    await server.app.oauth.reload();
    const after = await issue();
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri ?? ''), {
      [customFetch]: fetchVia(server),
    });
    const old = await jwtVerify(before, jwks, { issuer: ISSUER });
    const fresh = await jwtVerify(after, jwks, { issuer: ISSUER });
    expect(fresh.protectedHeader.kid).toBe(rotated.rotateOAuthSigningKey.kid);
    expect(old.protectedHeader.kid).not.toBe(fresh.protectedHeader.kid);
    const audit = await auditEntriesFor(
      server,
      (
        await server.orm.em
          .fork()
          .getConnection()
          .execute<{ id: string }[]>(`select id from oauth_signing_key where kid = ?`, [
            rotated.rotateOAuthSigningKey.kid,
          ])
      )[0]?.id ?? '',
    );
    expect(audit.map((entry) => entry.action)).toEqual(['oauth.signing_key.rotate']);
  });
});
