import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from '../audit/audit.entity.js';
import { sha256 } from '../crypto.js';
import { User } from '../modules/accounts/accounts.entity.js';
import { App, PermissionLevel } from '../modules/apps/apps.entity.js';
import { Credential, CredentialKind } from '../modules/credentials/credentials.entity.js';
import { Organization } from '../modules/orgs/orgs.entity.js';

/**
 * The demo OAuth client: its id and secret are published in the README (demo data only, made
 * when the demo is seeded), so that anyone can try "Sign in with Portico" against a fresh
 * portal. Its callback is the portal's own demonstration page (`/demo/oauth/callback`).
 */
export const DEMO_OAUTH_CLIENT = {
  clientId: 'poi_portico_demo_client',
  clientSecret: 'pos_portico_demo_client_secret',
  callbacks: [
    'http://127.0.0.1:4000/demo/oauth/callback',
    'http://localhost:4000/demo/oauth/callback',
  ],
} as const;

/** "Portico Demo Client", an app of `org` owned by `owner`, with 3-legged OAuth on. */
export function seedOAuthDemo(tx: EntityManager, owner: User, org: Organization): App {
  const organization = tx.getReference(Organization, org.id, { wrapped: true });
  const ownerRef = tx.getReference(User, owner.id, { wrapped: true });
  const app = new App(organization, null, ownerRef, 'Portico Demo Client');
  Object.assign(app, {
    description: 'A tiny app that signs users in with Portico (OAuth 2.0 with PKCE).',
    websiteUrl: 'https://example.com/portico-demo-client',
    termsOfServiceUrl: 'https://example.com/portico-demo-client/terms',
    privacyPolicyUrl: 'https://example.com/portico-demo-client/privacy',
    organizationName: 'Analytical Engines',
    useCase: 'Shows how an app signs users in through the consent page.',
    callbackUrls: [...DEMO_OAUTH_CLIENT.callbacks],
    permissionLevel: PermissionLevel.READ_WRITE,
    threeLeggedOAuth: true,
    requestEmail: true,
  });
  tx.persist(app);
  const credential = new Credential({
    app: tx.getReference(App, app.id, { wrapped: true }),
    organization,
    kind: CredentialKind.OAUTH2_CLIENT,
    publicId: DEMO_OAUTH_CLIENT.clientId,
    secretHash: sha256(DEMO_OAUTH_CLIENT.clientSecret),
    lastFour: DEMO_OAUTH_CLIENT.clientSecret.slice(-4),
    createdBy: ownerRef,
  });
  tx.persist(credential);
  for (const [action, targetType, targetId] of [
    ['app.create', 'App', app.id],
    ['credential.create', 'Credential', credential.id],
  ] as const) {
    tx.persist(
      new AuditEntry({
        organization,
        actor: ownerRef,
        action,
        targetType,
        targetId,
        data: { seeded: true },
      }),
    );
  }
  return app;
}
