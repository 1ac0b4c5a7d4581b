// What the gateway and mixed-traffic benchmarks set up: a product with an unlimited plan and a
// gateway token (through the ORM, before the server starts), then a developer with an
// organization, an app granted the product and a consumer key (through the GraphQL API).
import type { initOrm } from '../../packages/server/src/database.js';
import { generateToken, sha256 } from '../../packages/server/src/crypto.js';
import { User } from '../../packages/server/src/modules/accounts/accounts.entity.js';
import {
  ApplicationStatus,
  DeveloperApplication,
} from '../../packages/server/src/modules/applications/applications.entity.js';
import { GatewayToken } from '../../packages/server/src/modules/gateway-tokens/gateway-tokens.entity.js';
import { Organization } from '../../packages/server/src/modules/orgs/orgs.entity.js';
import {
  ApiProduct,
  ApprovalMode,
  Plan,
  PlanSubscription,
} from '../../packages/server/src/modules/products/products.entity.js';
import { signUpAndSignIn } from './accounts.js';

type Orm = Awaited<ReturnType<typeof initOrm>>;

export const PRODUCT_PREFIX = '/bench';

/** GraphQL over HTTP as the web app sends it; returns the data and the session cookie. */
export async function graphql<T>(
  url: string,
  cookie: string | null,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data: T; cookie: string | null }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'apollo-require-preflight': 'true',
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: unknown[] };
  if (!body.data || body.errors?.length) {
    throw new Error(`GraphQL operation failed:\n${query}\n${JSON.stringify(body, null, 2)}`);
  }
  return { data: body.data, cookie: response.headers.getSetCookie()[0]?.split(';')[0] ?? cookie };
}

export interface Fixture {
  productId: string;
  productSlug: string;
  planId: string;
  gatewayToken: string;
}

/** What must exist before the server starts: the product, its plan and a gateway token. */
export async function catalogRows(orm: Orm): Promise<Fixture> {
  const em = orm.em.fork();
  const product = new ApiProduct('Bench API', 'bench-api');
  product.approvalMode = ApprovalMode.AUTO;
  product.pathPrefixes = [PRODUCT_PREFIX];
  product.dmPathPrefixes = [`${PRODUCT_PREFIX}/dm`];
  // A plan whose limits the benchmark never reaches (the org is subscribed to it below).
  const plan = new Plan({
    name: 'Bench (unlimited)',
    rank: 1000,
    monthlyRequestCap: null,
    monthlyUnitCap: null,
    rateLimitRequests: 1_000_000_000,
    rateLimitWindowSeconds: 60,
    maxApps: 100,
    maxDevEnvironments: 10,
  });
  const gatewayToken = generateToken('pgw');
  em.persist([
    product,
    plan,
    new GatewayToken('bench gateway', sha256(gatewayToken), gatewayToken.slice(-4), null),
  ]);
  await em.flush();
  return { productId: product.id, productSlug: product.slug, planId: plan.id, gatewayToken };
}

export interface Consumer {
  organizationId: string;
  appId: string;
  credentialId: string;
  secret: string;
  /** The developer's session cookie (`name=value`). */
  cookie: string;
}

/** A developer, their org and app, the product granted and a consumer key, through the API. */
export async function consumer(orm: Orm, url: string, fixture: Fixture): Promise<Consumer> {
  const { id: userId, cookie } = await signUpAndSignIn(url, orm, {
    email: `bench-${process.pid}@example.com`,
    name: 'Bench Developer',
    password: 'correct horse battery staple',
  });
  // Approved as a developer (as the test builders do), so they may create apps.
  const em = orm.em.fork();
  const application = new DeveloperApplication(
    em.getReference(User, userId, { wrapped: true }),
    'Benchmarks the gateway.',
  );
  application.status = ApplicationStatus.APPROVED;
  application.decidedAt = new Date();
  await em.persist(application).flush();

  const { data: org } = await graphql<{ createOrganization: { organization: { id: string } } }>(
    url,
    cookie,
    `
      mutation ($input: CreateOrganizationInput!) {
        createOrganization(input: $input) {
          organization {
            id
          }
        }
      }
    `,
    { input: { name: 'Bench Org' } },
  );
  const organizationId = org.createOrganization.organization.id;
  const { data: app } = await graphql<{ createApp: { app: { id: string } } }>(
    url,
    cookie,
    'mutation ($input: CreateAppInput!) { createApp(input: $input) { app { id } } }',
    { input: { organizationId, name: 'Bench App', permissionLevel: 'READ_WRITE' } },
  );
  const appId = app.createApp.app.id;
  const { data: requested } = await graphql<{
    requestProducts: { app: { status: string }; grants: { status: string }[] };
  }>(
    url,
    cookie,
    `
      mutation ($input: RequestProductsInput!) {
        requestProducts(input: $input) {
          app {
            status
          }
          grants {
            status
          }
        }
      }
    `,
    { input: { appId, productIds: [fixture.productId] } },
  );
  const { app: appState, grants } = requested.requestProducts;
  if (appState.status !== 'ACTIVE' || grants[0]?.status !== 'APPROVED') {
    throw new Error(`the bench app is not active and granted: ${JSON.stringify(requested)}`);
  }
  const { data: created } = await graphql<{
    createCredential: { secret: string; credential: { id: string } };
  }>(
    url,
    cookie,
    `
      mutation ($input: CreateCredentialInput!) {
        createCredential(input: $input) {
          secret
          credential {
            id
          }
        }
      }
    `,
    { input: { appId, kind: 'CONSUMER_KEY' } },
  );
  const em2 = orm.em.fork();
  em2.persist(
    new PlanSubscription(
      em2.getReference(Organization, organizationId, { wrapped: true }),
      em2.getReference(ApiProduct, fixture.productId, { wrapped: true }),
      em2.getReference(Plan, fixture.planId, { wrapped: true }),
    ),
  );
  await em2.flush();
  return {
    organizationId,
    appId,
    credentialId: created.createCredential.credential.id,
    secret: created.createCredential.secret,
    cookie,
  };
}
