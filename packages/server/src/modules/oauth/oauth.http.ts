import { parse as parseCookies } from 'cookie';
import express, { type Request, type Response, type Router } from 'express';
import { createContext, NO_COOKIES, type Services, type Viewer } from '../../context.js';
import { isDatabaseUnavailable } from '../../db/availability.js';
import { User } from '../accounts/accounts.entity.js';
import { resolveViewer, SESSION_COOKIE } from '../accounts/accounts.service.js';
import { findClientApp, type OAuthClientApp } from './oauth.clients.js';
import { CONSENT_PATH, type AuthorizationServer } from './oauth.provider.js';
import { REFUSAL_MESSAGES, tokenRefusal } from './oauth.rules.js';
import { describeScope, IDENTITY_SCOPES, splitScopes } from './oauth.scopes.js';
import { recordAuthorization, recordRefusal } from './oauth.service.js';

/** What the consent page shows (GET /oauth/consent/:uid/details). */
export interface ConsentDetails {
  uid: string;
  /** null: sign in first (the page sends the browser to /signin and back). */
  user: { name: string; email: string } | null;
  app: {
    name: string;
    iconUrl: string | null;
    websiteUrl: string | null;
    organizationName: string | null;
    privacyPolicyUrl: string | null;
    termsOfServiceUrl: string | null;
  };
  permissions: { scope: string; description: string }[];
  emailRequested: boolean;
}

type Interaction = Awaited<ReturnType<AuthorizationServer['current']['interactionDetails']>>;

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).set('cache-control', 'no-store').json({ code, message });
}

/** The interaction of the request (its cookie), or null when it is gone or not this uid. */
async function interactionOf(
  server: AuthorizationServer,
  req: Request,
  res: Response,
): Promise<Interaction | null> {
  try {
    const details = await server.current.interactionDetails(req, res);
    return details.uid === req.params.uid ? details : null;
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err;
    return null;
  }
}

async function viewerOf(services: Services, req: Request): Promise<Viewer | null> {
  const sessionToken = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
  if (!sessionToken) return null;
  try {
    return await resolveViewer(services.orm.em.fork(), { sessionToken });
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err;
    return null;
  }
}

const requestMeta = (req: Request) => ({
  ip: req.ip ?? null,
  userAgent: (req.headers['user-agent'] ?? '').slice(0, 500) || null,
});

/**
 * Why the request cannot be granted as the app is now (standard error code and description),
 * or null. The authorization endpoint already refused what it knows (a permission above the
 * app's level, email when not requested); products are checked here.
 */
function refusalOf(
  app: OAuthClientApp | null,
  scopes: string[],
): { error: string; error_description: string } | null {
  if (!app) {
    return { error: 'unauthorized_client', error_description: 'The app cannot sign users in now.' };
  }
  const refusal = tokenRefusal(app, { onBehalfOfUser: true, scopes });
  if (!refusal) return null;
  return {
    error: refusal === 'oauth_off' ? 'unauthorized_client' : 'invalid_scope',
    error_description: REFUSAL_MESSAGES[refusal],
  };
}

/**
 * The consent page's endpoints, at `/oauth/consent/:uid/…` (where the provider's interaction
 * cookie is sent): read the request, approve it, or deny it. Approving needs a portal session;
 * the page signs the user in first. JSON only: a cross-site form cannot post here.
 */
export function consentRouter(services: Services, server: AuthorizationServer): Router {
  const router = express.Router();
  const json = express.json({ limit: '4kb' });
  const requireJson = (req: Request, res: Response): boolean => {
    if (!req.is('application/json')) {
      fail(res, 415, 'unsupported_media_type', 'Send Content-Type: application/json.');
      return false;
    }
    return true;
  };

  router.get(`${CONSENT_PATH}/:uid/details`, async (req, res) => {
    const interaction = await interactionOf(server, req, res);
    if (!interaction) {
      fail(
        res,
        404,
        'interaction_not_found',
        'This sign-in request has expired: start again from the app.',
      );
      return;
    }
    const params = interaction.params as { client_id?: string; scope?: string };
    const scopes = splitScopes(params.scope);
    const app = await findClientApp(services.orm.em.fork(), params.client_id ?? '');
    const refusal = refusalOf(app, scopes);
    if (refusal || !app) {
      const redirectTo = await server.current.interactionResult(req, res, refusal ?? {});
      res.set('cache-control', 'no-store').json({ redirectTo });
      return;
    }
    const viewer = await viewerOf(services, req);
    const user = viewer ? await services.orm.em.fork().findOne(User, { id: viewer.user.id }) : null;
    const details: ConsentDetails = {
      uid: interaction.uid,
      user: user ? { name: user.name, email: user.email } : null,
      app: {
        name: app.name,
        iconUrl: app.iconUrl,
        websiteUrl: app.websiteUrl,
        organizationName: app.organizationName,
        privacyPolicyUrl: app.privacyPolicyUrl,
        termsOfServiceUrl: app.termsOfServiceUrl,
      },
      permissions: scopes
        .filter((scope) => scope !== 'email')
        .map((scope) => ({ scope, description: describeScope(scope) })),
      emailRequested: scopes.includes('email'),
    };
    res.set('cache-control', 'no-store').json(details);
  });

  router.post(`${CONSENT_PATH}/:uid/approve`, json, async (req, res) => {
    if (!requireJson(req, res)) return;
    const viewer = await viewerOf(services, req);
    if (!viewer) {
      fail(res, 401, 'unauthenticated', 'Sign in first.');
      return;
    }
    const interaction = await interactionOf(server, req, res);
    if (!interaction) {
      fail(
        res,
        404,
        'interaction_not_found',
        'This sign-in request has expired: start again from the app.',
      );
      return;
    }
    const params = interaction.params as { client_id?: string; scope?: string };
    const scopes = splitScopes(params.scope);
    const app = await findClientApp(services.orm.em.fork(), params.client_id ?? '');
    const refusal = refusalOf(app, scopes);
    if (refusal || !app) {
      const redirectTo = await server.current.interactionResult(req, res, refusal ?? {});
      res.set('cache-control', 'no-store').json({ redirectTo });
      return;
    }
    const provider = server.current;
    const grant =
      (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ??
      new provider.Grant({ accountId: viewer.user.id, clientId: app.clientId });
    const api = scopes.filter((scope) => !(IDENTITY_SCOPES as readonly string[]).includes(scope));
    // Without a `resource` parameter the library reads every scope of the request as an
    // OpenID scope; the API's are granted for the API's resource too, where tokens get them.
    if (scopes.length) grant.addOIDCScope(scopes.join(' '));
    if (api.length) grant.addResourceScope(server.audience, api.join(' '));
    const grantId = await grant.save();
    const ctx = createContext(services, viewer, requestMeta(req), NO_COOKIES);
    await recordAuthorization(ctx, {
      appId: app.appId,
      organizationId: app.organizationId,
      clientId: app.clientId,
      grantId,
      scopes,
    });
    const redirectTo = await provider.interactionResult(req, res, {
      login: { accountId: viewer.user.id },
      consent: { grantId },
    });
    res.set('cache-control', 'no-store').json({ redirectTo });
  });

  router.post(`${CONSENT_PATH}/:uid/deny`, json, async (req, res) => {
    if (!requireJson(req, res)) return;
    const interaction = await interactionOf(server, req, res);
    if (!interaction) {
      fail(
        res,
        404,
        'interaction_not_found',
        'This sign-in request has expired: start again from the app.',
      );
      return;
    }
    const params = interaction.params as { client_id?: string };
    const app = await findClientApp(services.orm.em.fork(), params.client_id ?? '');
    const viewer = await viewerOf(services, req);
    if (app && viewer) {
      const ctx = createContext(services, viewer, requestMeta(req), NO_COOKIES);
      await recordRefusal(ctx, { appId: app.appId, organizationId: app.organizationId });
    }
    const redirectTo = await server.current.interactionResult(req, res, {
      error: 'access_denied',
      error_description: 'The user did not allow the app.',
    });
    res.set('cache-control', 'no-store').json({ redirectTo });
  });

  // A page an app's callback can point at to try the flow by hand (the demo client does): it
  // shows what the authorization server sent back, to exchange at the token endpoint.
  router.get('/demo/oauth/callback', (req, res) => {
    const text = (value: unknown): string =>
      String(typeof value === 'string' ? value : '').replace(
        /[&<>"']/g,
        (c) => `&#${c.charCodeAt(0)};`,
      );
    const { code, state, error, error_description: description } = req.query;
    const body = error
      ? `<p>The sign-in was refused: <code>${text(error)}</code></p><p>${text(description)}</p>`
      : `<p>The authorization server sent this code (it works once, for a minute):</p>
         <pre id="code">${text(code)}</pre><p>state: <code>${text(state)}</code></p>
         <p>Exchange it for tokens at <code>/oauth/token</code> as the README shows.</p>`;
    res
      .set('cache-control', 'no-store')
      .set('referrer-policy', 'no-referrer')
      .type('html')
      .send(
        `<!doctype html><html><head><meta charset="utf-8"><title>Demo client callback</title></head><body style="font-family:sans-serif;max-width:40rem;margin:4rem auto"><h1>Portico Demo Client</h1>${body}</body></html>`,
      );
  });

  return router;
}
