import * as oauth from 'oauth4webapi';
import { expect, field, graphql, newPage, shot, signIn, test } from './helpers.js';

// From the demo seed: Ada is admin of Analytical Engines; Grace has her own account.
const ORG_NAME = 'Analytical Engines';
const GRACE = 'grace@portico.local';

interface Client {
  clientId: string;
  clientSecret: string;
}

test('an app signs a user in through the consent page, and the user revokes it', async ({
  browser,
  baseURL,
}) => {
  test.slow();
  if (!baseURL) throw new Error('no baseURL');
  const callback = `${baseURL}/demo/oauth/callback`;

  // Ada makes an app with 3-legged OAuth on, and its OAuth 2.0 client credential.
  const ada = await newPage(browser, baseURL);
  await signIn(ada, 'ada@portico.local');
  const { viewer } = await graphql<{ viewer: { organizations: { id: string; name: string }[] } }>(
    ada,
    `
      query Orgs {
        viewer {
          organizations {
            id
            name
          }
        }
      }
    `,
    {},
    { organization: ORG_NAME },
  );
  const orgId = viewer.organizations.find((org) => org.name === ORG_NAME)?.id;
  if (!orgId) throw new Error(`Not a member of ${ORG_NAME}: is the demo seed current?`);
  const created = await graphql<{ createApp: { app: { id: string } } }>(
    ada,
    `
      mutation CreateApp($input: CreateAppInput!) {
        createApp(input: $input) {
          app {
            id
          }
        }
      }
    `,
    {
      input: {
        organizationId: orgId,
        name: `Sky Notes ${Date.now().toString(36)}`,
        description: 'Notes about the sky, shared with friends.',
        websiteUrl: 'https://skynotes.example.com',
        termsOfServiceUrl: 'https://skynotes.example.com/terms',
        privacyPolicyUrl: 'https://skynotes.example.com/privacy',
        organizationName: 'Sky Notes Ltd',
        callbackUrls: [callback],
        permissionLevel: 'READ_WRITE',
        threeLeggedOAuth: true,
        requestEmail: true,
      },
    },
    { organization: ORG_NAME },
  );
  const issued = await graphql<{ createCredential: { secret: string; publicId: string } }>(
    ada,
    `
      mutation Cred($input: CreateCredentialInput!) {
        createCredential(input: $input) {
          secret
          publicId
        }
      }
    `,
    { input: { appId: created.createApp.app.id, kind: 'OAUTH2_CLIENT' } },
    { organization: ORG_NAME },
  );
  const client: Client = {
    clientId: issued.createCredential.publicId,
    clientSecret: issued.createCredential.secret,
  };

  // The app sends Grace (signed out) to the authorization endpoint, with PKCE.
  const issuer = new URL(baseURL);
  const options = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options }),
  );
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const authorize = new URL(as.authorization_endpoint ?? '');
  for (const [key, value] of Object.entries({
    client_id: client.clientId,
    redirect_uri: callback,
    response_type: 'code',
    scope: 'openid email read write offline_access',
    prompt: 'consent',
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  })) {
    authorize.searchParams.set(key, value);
  }

  const grace = await newPage(browser, baseURL);
  await grace.goto(authorize.href);
  // No session: sign in first, then back to the consent page.
  await expect(grace).toHaveURL(/\/signin\?next=%2Foauth%2Fconsent%2F/);
  await field(grace, 'Email').fill(GRACE);
  await field(grace, 'Password').fill('portico-demo-1');
  await grace.getByRole('button', { name: 'Sign in' }).click();
  await expect(grace).toHaveURL(/\/oauth\/consent\//);
  await expect(grace.getByRole('heading', { name: /Sky Notes .* wants to access/ })).toBeVisible();
  await expect(grace.getByText('by Sky Notes Ltd')).toBeVisible();
  await expect(grace.getByText('Read data through the APIs on your behalf.')).toBeVisible();
  await expect(
    grace.getByText('Create, change and delete data through the APIs on your behalf.'),
  ).toBeVisible();
  await expect(grace.getByText(/Share your email address \(grace@portico\.local\)/)).toBeVisible();
  await expect(grace.getByRole('link', { name: 'privacy policy' })).toHaveAttribute(
    'href',
    'https://skynotes.example.com/privacy',
  );
  await shot(grace, 'oauth-consent');

  await grace.getByRole('button', { name: 'Authorize' }).click();
  await expect(grace).toHaveURL(/\/demo\/oauth\/callback\?code=/);
  const callbackUrl = new URL(grace.url());

  // The app exchanges the code (oauth4webapi checks the answer, the ID token included).
  const oauthClient: oauth.Client = { client_id: client.clientId };
  const params = oauth.validateAuthResponse(as, oauthClient, callbackUrl, state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    oauthClient,
    await oauth.authorizationCodeGrantRequest(
      as,
      oauthClient,
      oauth.ClientSecretBasic(client.clientSecret),
      params,
      callback,
      verifier,
      options,
    ),
  );
  expect(oauth.getValidatedIdTokenClaims(tokens)?.email).toBe(GRACE);
  expect(tokens.refresh_token).toBeTruthy();

  // Grace sees the app in her account settings, and revokes it.
  await grace.goto('/account');
  const row = grace.getByRole('row', { name: /Sky Notes/ });
  await expect(row).toBeVisible();
  await expect(row.getByText('Read data through the APIs on your behalf.')).toBeVisible();
  await shot(grace, 'oauth-authorized-apps');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await grace.getByRole('dialog').getByRole('button', { name: 'Revoke access' }).click();
  await expect(grace.getByText('No authorized apps')).toBeVisible();

  const introspection = await oauth.processIntrospectionResponse(
    as,
    oauthClient,
    await oauth.introspectionRequest(
      as,
      oauthClient,
      oauth.ClientSecretBasic(client.clientSecret),
      tokens.access_token,
      options,
    ),
  );
  expect(introspection.active).toBe(false);
});
