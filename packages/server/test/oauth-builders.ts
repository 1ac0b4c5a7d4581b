import * as oauth from 'oauth4webapi';
import { expect } from 'vitest';
import { createApp, orgWithMembers, type OrgWithMembers } from './app-builders.js';
import { gatewayProduct, issueCredential, type GatewayProduct } from './gateway-builders.js';
import { requestProducts } from './grant-builders.js';
import type { TestClient, TestServer } from './harness.js';
import { rememberSecret } from './log-capture.js';

/** The issuer the test servers run with (their PUBLIC_URL). */
export const ISSUER = 'http://portico.test';
export const CALLBACK = 'http://localhost:8765/callback';

/**
 * A `fetch` that sends requests for the issuer (`http://portico.test`) to `server`, as a DNS
 * entry would: the client library sees the real issuer in every document.
 */
export function fetchVia(server: TestServer): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(ISSUER)) return fetch(request);
    const headers = new Headers(request.headers);
    return fetch(`${server.url}${request.url.slice(ISSUER.length)}`, {
      method: request.method,
      headers,
      body: request.body,
      redirect: request.redirect,
      duplex: 'half',
    } as RequestInit);
  };
}

/** Options every oauth4webapi call takes here: plain http, and requests sent to `server`. */
export function clientOptions(server: TestServer): {
  [oauth.customFetch]: typeof fetch;
  [oauth.allowInsecureRequests]: true;
} {
  return { [oauth.customFetch]: fetchVia(server), [oauth.allowInsecureRequests]: true };
}

export async function discover(server: TestServer): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(ISSUER);
  const response = await oauth.discoveryRequest(issuer, {
    algorithm: 'oidc',
    ...clientOptions(server),
  });
  return oauth.processDiscoveryResponse(issuer, response);
}

export interface OAuthApp {
  org: OrgWithMembers;
  owner: TestClient;
  appId: string;
  clientId: string;
  clientSecret: string;
  credentialId: string;
  product: GatewayProduct;
}

/**
 * An ACTIVE app with 3-legged OAuth on (unless told), a callback URL, granted one product of
 * its own, with an OAuth 2.0 client credential.
 */
export async function oauthApp(
  server: TestServer,
  options: {
    threeLeggedOAuth?: boolean;
    permissionLevel?: string;
    requestEmail?: boolean;
    product?: GatewayProduct;
  } = {},
): Promise<OAuthApp> {
  const org = await orgWithMembers(server);
  const admin = org.admins[0];
  if (!admin) throw new Error('no admin');
  const product = options.product ?? (await gatewayProduct(server));
  // The authorization server learns product scopes from catalog events; this product was
  // written straight to the database.
  await server.app.oauth.reload();
  const app = await createApp(admin.client, org.id, {
    permissionLevel: options.permissionLevel ?? 'READ_WRITE',
    threeLeggedOAuth: options.threeLeggedOAuth ?? true,
    callbackUrls: [CALLBACK],
    websiteUrl: 'https://example.com',
    termsOfServiceUrl: 'https://example.com/terms',
    privacyPolicyUrl: 'https://example.com/privacy',
    requestEmail: options.requestEmail ?? true,
  });
  await requestProducts(admin.client, app.id, [product.id]);
  const credential = await issueCredential(admin.client, app.id, 'OAUTH2_CLIENT');
  if (!credential.publicId) throw new Error('no client id');
  return {
    org,
    owner: admin.client,
    appId: app.id,
    clientId: credential.publicId,
    clientSecret: credential.secret,
    credentialId: credential.id,
    product,
  };
}

/** A cookie jar for plain fetch calls (the browser of a sign-in). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  constructor(header?: string) {
    for (const pair of (header ?? '').split(';')) {
      const [name, ...rest] = pair.trim().split('=');
      if (name) this.cookies.set(name, rest.join('='));
    }
  }

  take(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      if (!name) continue;
      const value = rest.join('=');
      rememberSecret(value);
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(cookie) || value === '') {
        this.cookies.delete(name);
      } else this.cookies.set(name, value);
    }
  }

  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** GET `url` (on the issuer) without following redirects, keeping cookies. */
export async function browse(
  server: TestServer,
  jar: CookieJar,
  url: string,
  init: RequestInit = {},
): Promise<Response> {
  const absolute = url.startsWith('/') ? `${ISSUER}${url}` : url;
  const response = await fetchVia(server)(absolute, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header },
  });
  jar.take(response);
  return response;
}

export interface AuthorizationStart {
  url: URL;
  state: string;
  verifier: string;
}

/** An authorization request with PKCE (S256) for `scope`. */
export async function authorizationUrl(
  as: oauth.AuthorizationServer,
  clientId: string,
  scope: string,
  extra: Record<string, string | null> = {},
): Promise<AuthorizationStart> {
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint ?? '');
  const params: Record<string, string | null> = {
    client_id: clientId,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    // OpenID Connect issues refresh tokens (offline_access) only with an explicit consent.
    prompt: 'consent',
    ...extra,
  };
  for (const [key, value] of Object.entries(params)) {
    if (value !== null) url.searchParams.set(key, value);
  }
  return { url, state, verifier };
}

/**
 * Goes through the authorization as a signed-in user's browser would: the authorization
 * endpoint, the consent page's details, approve (or deny), and back to the app's callback,
 * whose URL it returns.
 */
export async function authorizeInBrowser(
  server: TestServer,
  user: TestClient,
  start: AuthorizationStart,
  decision: 'approve' | 'deny' = 'approve',
): Promise<URL> {
  const jar = new CookieJar(user.cookieHeader);
  let response = await browse(server, jar, start.url.href);
  let location = response.headers.get('location') ?? '';
  if (response.status !== 303 || !location.startsWith('/oauth/consent/')) {
    return new URL(location || `${CALLBACK}?error=no_redirect`, ISSUER);
  }
  const details = await browse(server, jar, `${location}/details`);
  const shown = (await details.json()) as { redirectTo?: string; user: unknown };
  let redirectTo = shown.redirectTo;
  if (!redirectTo) {
    const answer = await browse(server, jar, `${location}/${decision}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    redirectTo = ((await answer.json()) as { redirectTo: string }).redirectTo;
  }
  response = await browse(server, jar, redirectTo);
  if (!response.headers.get('location')) {
    throw new Error(`No redirect after consent: ${response.status} ${await response.text()}`);
  }
  location = response.headers.get('location') ?? '';
  // The provider may pass through its own resume step once more.
  while (/^30[23]$/.test(`${response.status}`) && !location.startsWith(CALLBACK)) {
    if (!location) throw new Error(`No redirect: ${response.status} ${await response.text()}`);
    response = await browse(server, jar, new URL(location, ISSUER).href);
    location = response.headers.get('location') ?? '';
  }
  return new URL(location, ISSUER);
}

/** Exchanges the code of a callback for tokens (oauth4webapi checks everything it can). */
export async function exchangeCode(
  server: TestServer,
  as: oauth.AuthorizationServer,
  app: OAuthApp,
  callback: URL,
  start: AuthorizationStart,
): Promise<oauth.TokenEndpointResponse> {
  const client: oauth.Client = { client_id: app.clientId };
  const params = oauth.validateAuthResponse(as, client, callback, start.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(app.clientSecret),
    params,
    CALLBACK,
    start.verifier,
    clientOptions(server),
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  rememberTokens(tokens);
  return tokens;
}

/**
 * Tokens of the client credentials grant for `clientId`, which authenticates with its secret
 * (HTTP Basic) or as `auth` says (a signed client assertion, say).
 */
export async function clientCredentialsTokens(
  server: TestServer,
  as: oauth.AuthorizationServer,
  clientId: string,
  auth: string | oauth.ClientAuth,
  scope: string,
): Promise<oauth.TokenEndpointResponse> {
  const client: oauth.Client = { client_id: clientId };
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    typeof auth === 'string' ? oauth.ClientSecretBasic(auth) : auth,
    new URLSearchParams({ scope }),
    clientOptions(server),
  );
  const tokens = await oauth.processClientCredentialsResponse(as, client, response);
  rememberTokens(tokens);
  return tokens;
}

export function rememberTokens(tokens: oauth.TokenEndpointResponse): void {
  rememberSecret(tokens.access_token);
  if (tokens.refresh_token) rememberSecret(tokens.refresh_token);
  if (tokens.id_token) rememberSecret(tokens.id_token);
}

/** The standard error code of a refused OAuth answer (a thrown ResponseBodyError). */
export async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) return err.error;
    if (err instanceof oauth.AuthorizationResponseError) return err.error;
    if (err instanceof oauth.WWWAuthenticateChallengeError) {
      const body = (await err.response.json()) as { error?: string };
      return body.error ?? 'challenge';
    }
    throw err;
  }
  throw new Error('Expected an OAuth error');
}
