import type { Browser, Page } from '@playwright/test';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  choose,
  expect,
  field,
  graphql,
  newPage,
  shot,
  signIn,
  STAFF_EMAIL,
  test,
} from './helpers.js';

// From the demo seed: Ada is admin of Analytical Engines and owns Trend Radar (ACTIVE, READ).
const DEVELOPER_EMAIL = 'ada@portico.local';
const APP_NAME = 'Trend Radar';
// Ada is also a developer in another organization of the demo (the staff console's), so the
// try-it console names each app with its organization.
const APP_OPTION = `${APP_NAME} · Analytical Engines`;

interface UpstreamCall {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * A small API standing in for the product behind a gateway: it answers CORS for the portal's
 * pages (the try-it console calls it from the browser), records each request, and lets it
 * through only when Portico's /v1/verify allows its credential.
 */
class Upstream {
  readonly calls: UpstreamCall[] = [];
  /** The status /v1/verify gave each call. */
  readonly verdicts: number[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const origin = request.headers.origin ?? '*';
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, X-RateLimit-Remaining');
      if (request.method === 'OPTIONS') {
        response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
        response.setHeader(
          'Access-Control-Allow-Headers',
          request.headers['access-control-request-headers'] ?? 'authorization, content-type',
        );
        response.writeHead(204).end();
        return;
      }
      this.calls.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
      });
      // As a gateway would: ask Portico whether the credential may make this request.
      void this.verify(request.method ?? 'GET', request.url ?? '/', request.headers.authorization)
        .then(({ status, app }) => {
          response.setHeader('Content-Type', 'application/json');
          response.setHeader('X-Request-Id', `req-${this.calls.length}`);
          if (status !== 200) {
            response.writeHead(status).end(JSON.stringify({ error: 'refused by the gateway' }));
            return;
          }
          const city = decodeURIComponent(
            (request.url ?? '').split('?')[0]?.split('/').pop() ?? '',
          );
          response
            .writeHead(200)
            .end(JSON.stringify({ city, forecast: 'sunny', celsius: 21, app }));
        })
        .catch(() => response.writeHead(502).end());
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Portico's forward-auth check of the request, as NGINX `auth_request` makes it. */
  private async verify(
    method: string,
    uri: string,
    authorization: string | undefined,
  ): Promise<{ status: number; app: string | null }> {
    const portico = process.env.PORTICO_E2E_URL;
    if (!portico) throw new Error('PORTICO_E2E_URL is not set');
    const answer = await fetch(`${portico}/v1/verify`, {
      headers: {
        ...(authorization ? { Authorization: authorization } : {}),
        'X-Original-Method': method,
        'X-Original-URI': uri,
      },
    });
    this.verdicts.push(answer.status);
    return { status: answer.status, app: answer.headers.get('x-portico-app') };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

const upstream = new Upstream();
test.beforeAll(async () => upstream.start());
test.afterAll(async () => upstream.stop());

/** An OpenAPI description whose server is the test's upstream. */
function openApi(title: string, prefix: string): string {
  return `openapi: 3.0.3
info:
  title: ${title}
  version: 1.0.0
servers:
  - url: ${upstream.url}${prefix}
paths:
  /forecast/{city}:
    get:
      operationId: getForecast
      summary: Forecast for a city
      description: Returns **tomorrow's** forecast.
      parameters:
        - name: city
          in: path
          required: true
          description: City name
          schema:
            type: string
          example: Paris
        - name: units
          in: query
          schema:
            type: string
            enum: [metric, imperial]
      responses:
        '200':
          description: The forecast
          content:
            application/json:
              schema:
                type: object
                required: [city]
                properties:
                  city:
                    type: string
                  forecast:
                    type: string
                  celsius:
                    type: number
              example:
                city: Paris
                forecast: sunny
                celsius: 21
`;
}

// A guide that tries to run script in the reader's browser three ways.
const HOSTILE_GUIDE = `# Get started

Call **GET /forecast/{city}** with your key.

<script>window.porticoXss = 'script'</script>

<img src="x" onerror="window.porticoXss = 'onerror'">

[click me](javascript:window.porticoXss='link')
`;

interface Setup {
  prefix: string;
  productId: string;
  slug: string;
  name: string;
}

async function staffPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const page = await newPage(browser, baseURL);
  await signIn(page, STAFF_EMAIL);
  return page;
}

/**
 * As staff, through the API: a new product (auto-approved) with a published OpenAPI description
 * pointing at the upstream, and Ada's Trend Radar granted it. Each journey makes its own.
 */
async function setupProduct(
  staff: Page,
  developer: Page,
  options: { guide?: string; docsPublic?: boolean; labs?: boolean } = {},
): Promise<Setup> {
  const run = `${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;
  const name = `Weather ${run}`;
  const slug = `weather-${run}`;
  const prefix = `/${slug}`;
  const { createProduct } = await graphql<{ createProduct: { product: { id: string } } }>(
    staff,
    `
      mutation ($input: CreateProductInput!) {
        createProduct(input: $input) {
          product {
            id
          }
        }
      }
    `,
    {
      input: {
        name,
        slug,
        description: 'Forecasts for every city.',
        pathPrefixes: [prefix],
        approvalMode: 'AUTO',
      },
    },
  );
  const productId = createProduct.product.id;
  await graphql(
    staff,
    `
      mutation ($input: SaveProductDocumentInput!) {
        saveProductDocument(input: $input) {
          document {
            id
          }
        }
      }
    `,
    {
      input: {
        productId,
        kind: 'OPENAPI',
        title: `${name} API`,
        source: openApi(`${name} API`, prefix),
        publish: true,
      },
    },
  );
  if (options.guide) {
    await graphql(
      staff,
      `
        mutation ($input: SaveProductDocumentInput!) {
          saveProductDocument(input: $input) {
            document {
              id
            }
          }
        }
      `,
      {
        input: {
          productId,
          kind: 'QUICK_START',
          slug: 'quick-start',
          title: 'Quick start',
          source: options.guide,
          publish: true,
        },
      },
    );
  }
  if (options.docsPublic || options.labs) {
    await graphql(
      staff,
      `
        mutation ($input: UpdateProductCatalogueInput!) {
          updateProductCatalogue(input: $input) {
            product {
              id
            }
          }
        }
      `,
      {
        input: { productId, docsPublic: options.docsPublic ?? false, labs: options.labs ?? false },
      },
    );
  }
  // Ada asks for the product for Trend Radar; AUTO approves it at once.
  const { viewer } = await graphql<{
    viewer: { organizations: { apps: { id: string; name: string }[] }[] };
  }>(
    developer,
    `
      query {
        viewer {
          organizations {
            apps {
              id
              name
            }
          }
        }
      }
    `,
  );
  const appId = viewer.organizations
    .flatMap((org) => org.apps)
    .find((app) => app.name === APP_NAME)?.id;
  if (!appId) throw new Error(`Ada has no ${APP_NAME}: is the demo seed current?`);
  await graphql(
    developer,
    `
      mutation ($input: RequestProductsInput!) {
        requestProducts(input: $input) {
          app {
            id
          }
        }
      }
    `,
    { input: { appId, productIds: [productId] } },
  );
  return { productId, slug, name, prefix };
}

test('a developer reads a public product, opens an endpoint, runs it from the try-it console and copies a sample', async ({
  page,
  browser,
  baseURL,
}) => {
  test.slow();
  const staff = await staffPage(browser, baseURL);
  const developer = await newPage(browser, baseURL);
  await signIn(developer, DEVELOPER_EMAIL);
  const product = await setupProduct(staff, developer, { guide: HOSTILE_GUIDE, docsPublic: true });

  // Signed out: the demo's public product reads with its rendered overview.
  await page.goto('/docs/public-posts');
  await expect(
    page.getByRole('heading', { level: 2, name: 'Public Posts API', exact: true }),
  ).toBeVisible();
  await expect(page.locator('.portico-markdown[aria-label="Overview"]')).toBeVisible();
  await shot(page, 'catalogue-00-demo-overview-signed-out');

  // The public docs and the guide read fine, and nothing in the guide runs.
  await page.goto('/docs');
  await expect(page.getByRole('heading', { name: 'API documentation' })).toBeVisible();
  await expect(page.getByRole('link', { name: product.name })).toBeVisible();
  await expect(
    page
      .getByRole('button', { name: 'Sign in' })
      .or(page.getByRole('link', { name: 'Sign in' }))
      .first(),
  ).toBeVisible();
  await shot(page, 'catalogue-01-docs-signed-out');
  await page.getByRole('link', { name: product.name }).click();
  await expect(page.getByRole('heading', { name: product.name })).toBeVisible();
  // Public docs have a changelog feed.
  await page.getByRole('tab', { name: 'Changelog' }).click();
  const atom = await page.getByRole('link', { name: 'Atom feed' }).getAttribute('href');
  expect((await page.request.get(atom ?? '/missing')).status()).toBe(200);
  await page.getByRole('tab', { name: /Guides/ }).click();
  await page.getByRole('link', { name: 'Quick start' }).click();
  await expect(page.getByRole('heading', { name: 'Get started' })).toBeVisible();
  await expect(page.getByText('with your key')).toBeVisible();
  await shot(page, 'catalogue-02-guide-signed-out');
  const guide = page.locator('.portico-markdown');
  await expect(guide.locator('script')).toHaveCount(0);
  await expect(guide.locator('[onerror]')).toHaveCount(0);
  await expect(guide.locator('a[href^="javascript:"]')).toHaveCount(0);
  // Give a broken image the time to fail, then check that nothing ran.
  await page.waitForLoadState('networkidle');
  expect(
    await page.evaluate(() => (window as unknown as Record<string, unknown>).porticoXss),
  ).toBeUndefined();

  // Search finds the endpoint.
  await page.goto(`/docs/${product.slug}`);
  await page.getByRole('textbox', { name: 'Search the documentation' }).fill('forecast');
  const results = page.getByLabel('Search results');
  await expect(results.getByText('Forecast for a city')).toBeVisible();
  await shot(page, 'catalogue-03-search');

  // Signed in: the endpoint page, its samples and the try-it console.
  await developer.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await developer.goto(`/docs/${product.slug}?tab=endpoints`);
  // The first page of the signed-in shell loads its chunks: allow a busy machine its time.
  await expect(developer.getByRole('heading', { name: product.name })).toBeVisible({
    timeout: 30_000,
  });
  await shot(developer, 'catalogue-04-endpoints');
  await developer.getByRole('link', { name: '/forecast/{city}' }).click();
  await expect(developer.getByText('Forecast for a city').first()).toBeVisible();
  await expect(developer.getByText('Permission needed')).toBeVisible();
  await expect(developer.getByText('READ', { exact: true }).first()).toBeVisible();
  await expect(developer.getByLabel('Your limits')).toBeVisible();
  await shot(developer, 'catalogue-05-endpoint');

  await developer.getByRole('button', { name: 'Copy curl sample' }).click();
  const copied = await developer.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`${upstream.url}${product.prefix}/forecast/Paris`);
  expect(copied).toContain('YOUR_API_TOKEN');
  await developer.getByRole('tab', { name: /Python/ }).click();
  await expect(developer.getByLabel('Python (requests) sample', { exact: true })).toContainText(
    'import requests',
  );

  const tryIt = developer.getByRole('region', { name: 'Try it' });
  await expect(tryIt.getByRole('combobox', { name: 'App' })).toHaveValue(APP_OPTION);
  await field(tryIt, 'city').fill('Lyon');
  await choose(tryIt, 'App', APP_OPTION);
  const before = upstream.calls.length;
  await tryIt.getByRole('button', { name: 'Send request' }).click();
  await expect(tryIt.getByTestId('try-it-status')).toHaveText(/^200/);
  await expect(tryIt.getByLabel('Response body')).toContainText('"forecast": "sunny"');
  await tryIt.getByRole('tab', { name: /Headers/ }).click();
  await expect(tryIt.getByText('x-request-id')).toBeVisible();
  await shot(developer, 'catalogue-06-try-it');

  // The upstream got the request with a sandbox token, which the page never shows.
  expect(upstream.calls.length).toBe(before + 1);
  const call = upstream.calls.at(-1);
  expect(call?.url).toBe(`${product.prefix}/forecast/Lyon`);
  const token = /^Bearer (\S+)$/.exec(call?.headers.authorization ?? '')?.[1];
  expect(token, 'the console sends a bearer token').toBeTruthy();
  // …which the gateway accepts for Ada's app.
  expect(upstream.verdicts.at(-1)).toBe(200);
  await tryIt.getByRole('tab', { name: 'Body' }).click();
  await expect(tryIt.getByLabel('Response body')).toContainText('"app": "app_');
  expect(await developer.content()).not.toContain(token ?? '-');

  // The API reference (Scalar) loads on demand.
  await developer.goto(`/docs/${product.slug}/reference`);
  await expect(
    developer.getByRole('heading', { name: `${product.name} API reference` }),
  ).toBeVisible();
  // Scalar's chunk is 1.5 MB (Vue included): on a busy machine it takes a while to run.
  await expect(
    developer.locator('.portico-api-reference').getByText('Forecast for a city').first(),
  ).toBeVisible({ timeout: 60_000 });
  await shot(developer, 'catalogue-07-reference');
  await staff.context().close();
  await developer.context().close();
});

test('staff publish an OpenAPI description, a guide and a deprecation from the editors', async ({
  page: staff,
  browser,
  baseURL,
}) => {
  test.slow();
  await signIn(staff, STAFF_EMAIL);
  const developer = await newPage(browser, baseURL);
  await signIn(developer, DEVELOPER_EMAIL);
  const run = `${Date.now() % 1_000_000}`;
  const { createProduct } = await graphql<{ createProduct: { product: { id: string } } }>(
    staff,
    `
      mutation ($input: CreateProductInput!) {
        createProduct(input: $input) {
          product {
            id
          }
        }
      }
    `,
    {
      input: {
        name: `Maps ${run}`,
        slug: `maps-${run}`,
        pathPrefixes: [`/maps-${run}`],
        approvalMode: 'AUTO',
      },
    },
  );
  const productId = createProduct.product.id;

  await staff.goto('/staff/docs');
  await expect(staff.getByRole('heading', { name: 'Documentation' })).toBeVisible();
  await shot(staff, 'catalogue-10-staff-docs');
  await staff.getByRole('link', { name: `Maps ${run}` }).click();
  await expect(staff.getByRole('heading', { name: `Maps ${run} documentation` })).toBeVisible();

  // OpenAPI: a broken description is refused with its line next to the field.
  await staff.getByRole('tab', { name: 'OpenAPI' }).click();
  const source = field(staff, 'OpenAPI description (YAML or JSON)');
  await source.fill(
    "openapi: 3.0.3\ninfo:\n  title: Maps\n  version: '1'\npaths:\n  /x:\n    get:\n      responses: 12\n",
  );
  await staff.getByRole('button', { name: 'Save and publish' }).click();
  await expect(staff.getByText(/^Line 8, column \d+:/)).toBeVisible();
  await shot(staff, 'catalogue-11-openapi-error');
  await source.fill(openApi(`Maps ${run} API`, `/maps-${run}`));
  await field(staff, 'What changed').fill('First description');
  await staff.getByRole('button', { name: 'Save and publish' }).click();
  await expect(staff.getByText('Live: v1')).toBeVisible();
  await expect(staff.getByLabel('History').getByText('First description')).toBeVisible();
  await shot(staff, 'catalogue-12-openapi-published');

  // A guide: draft, preview of the saved draft, then publish.
  await staff.getByRole('tab', { name: /Guides/ }).click();
  await staff.getByRole('button', { name: 'New guide' }).click();
  await field(staff, 'Title').fill('Migrating to v2');
  await choose(staff, 'Kind', 'Migration guide');
  await field(staff, 'Markdown').fill('## Why move\n\nVersion 2 is **faster**.');
  await field(staff, 'What changed').fill('First draft');
  await staff.getByRole('button', { name: 'Save draft' }).click();
  await expect(staff.getByText('Draft: v1')).toBeVisible();
  await staff.getByText('Preview', { exact: true }).click();
  await expect(
    staff.getByLabel('Preview').getByRole('heading', { name: 'Why move' }),
  ).toBeVisible();
  await shot(staff, 'catalogue-13-guide-draft-preview');
  await staff.getByText('Write', { exact: true }).click();
  await field(staff, 'Markdown').fill('## Why move\n\nVersion 2 is **faster** and cheaper.');
  await field(staff, 'What changed').fill('Cost note');
  await staff.getByRole('button', { name: 'Save and publish' }).click();
  await expect(staff.getByText('Live: v2')).toBeVisible();
  const history = staff.getByLabel('History');
  await expect(history.getByText('Cost note')).toBeVisible();
  await expect(history.getByText('First draft')).toBeVisible();
  await expect(history.getByText('Sam Staff').first()).toBeVisible();
  await shot(staff, 'catalogue-14-guide-history');

  // A deprecation with a sunset date.
  await staff.getByRole('tab', { name: 'Changelog' }).click();
  await choose(staff, 'Kind', 'Deprecated');
  await field(staff, 'Title').fill('Maps v1 is deprecated');
  await field(staff, 'Text').fill('Move to **Maps v2** before the sunset.');
  const sunset = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  await field(staff, 'Sunset').fill(sunset);
  await staff.getByRole('button', { name: 'Publish', exact: true }).click();
  const entries = staff.getByRole('article').filter({ hasText: 'Maps v1 is deprecated' });
  await expect(entries.getByText(/^Published/)).toBeVisible();
  await expect(entries.getByText('Deprecated', { exact: true }).first()).toBeVisible();
  await shot(staff, 'catalogue-15-changelog');

  // Readers see the guide and the deprecation; the product shows its Sunset badge.
  await developer.goto(`/docs/maps-${run}?tab=changelog`);
  await expect(developer.getByText('Maps v1 is deprecated')).toBeVisible();
  await expect(developer.getByText(/^Sunset /).first()).toBeVisible();
  await shot(developer, 'catalogue-16-reader-changelog');
  await developer.goto(`/docs/maps-${run}?tab=guides`);
  await developer.getByRole('link', { name: 'Migrating to v2' }).click();
  await expect(developer.getByText('faster and cheaper')).toBeVisible();

  // The deprecation impact page lists who calls it and sends a notice.
  await staff.goto(`/staff/deprecations?product=${productId}`);
  await expect(staff.getByRole('heading', { name: 'Deprecations' })).toBeVisible();
  await expect(staff.getByText('Requests, 30 days')).toBeVisible();
  await shot(staff, 'catalogue-17-deprecation-impact');

  // With the demo traffic: the apps still calling Public Posts, and a notice to their owners.
  await choose(staff, 'Product', 'Public Posts API');
  const callers = staff.getByRole('table', { name: 'Apps calling the product' });
  await expect(callers.getByRole('row').nth(1)).toBeVisible();
  await shot(staff, 'catalogue-18-deprecation-impact-demo');
  await staff.getByRole('button', { name: 'Send notice' }).click();
  const notice = staff.getByRole('dialog', { name: 'Send a deprecation notice' });
  await expect(field(notice, 'Message')).toHaveValue(/still calls Public Posts API/);
  await notice.getByRole('button', { name: 'Send notice' }).click();
  await expect(staff.getByText(/app owners? (was|were) told/)).toBeVisible();

  // Ada owns Trend Radar: her notice leads to the product's changelog.
  await developer.goto('/');
  await developer.getByRole('button', { name: /^Notifications/ }).click();
  await developer
    .getByRole('list', { name: 'Latest notifications' })
    .getByRole('button', { name: /Public Posts API: deprecation notice/ })
    .first()
    .click();
  await expect(developer).toHaveURL(/\/docs\/public-posts\?tab=changelog$/);
  await expect(developer.getByRole('tab', { name: 'Changelog' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await developer.context().close();
});

test('a developer sends feedback on a Labs product and staff answer it', async ({
  page: developer,
  browser,
  baseURL,
}) => {
  test.slow();
  await signIn(developer, DEVELOPER_EMAIL);
  const staff = await staffPage(browser, baseURL);
  const product = await setupProduct(staff, developer, { labs: true });
  const text = `The forecast endpoint is handy ${Date.now()}`;

  await developer.goto('/labs');
  await expect(developer.getByRole('heading', { name: 'Labs', exact: true })).toBeVisible();
  const card = developer.getByRole('article').filter({ hasText: product.name });
  await expect(card.getByText('Labs', { exact: true })).toBeVisible();
  await expect(card.getByRole('link', { name: 'Try it' })).toBeVisible();
  await shot(developer, 'catalogue-20-labs');
  await card.getByRole('button', { name: 'Send feedback' }).click();
  const dialog = developer.getByRole('dialog', { name: `Feedback on ${product.name}` });
  // The rating's radios are visually hidden behind their star labels.
  const fourStars = dialog.getByRole('radio', { name: '4' });
  await dialog.locator(`label[for="${await fourStars.getAttribute('id')}"]`).click();
  await expect(fourStars).toBeChecked();
  await choose(dialog, 'About an endpoint', 'GET /forecast/{city}');
  await field(dialog, 'Your feedback').fill(text);
  await shot(developer, 'catalogue-21-labs-feedback-form');
  await dialog.getByRole('button', { name: 'Send feedback' }).click();
  await expect(dialog).toBeHidden();
  const mine = developer.getByRole('article').filter({ hasText: text });
  await expect(mine.getByText('open')).toBeVisible();
  await expect(mine.getByText('GET /forecast/{city}')).toBeVisible();

  await staff.goto('/staff/labs-feedback');
  const item = staff.getByRole('article').filter({ hasText: text });
  await expect(item).toBeVisible();
  await shot(staff, 'catalogue-22-staff-labs-feedback');
  await item.getByRole('textbox', { name: 'Answer' }).fill('Thanks: a weekly forecast is coming.');
  await item.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect(staff.getByRole('article').filter({ hasText: text })).toHaveCount(0);

  await developer.reload();
  const answered = developer.getByRole('article').filter({ hasText: text });
  await expect(answered.getByText('answered')).toBeVisible();
  await expect(answered.getByText('a weekly forecast is coming')).toBeVisible();
  await shot(developer, 'catalogue-23-labs-answered');

  // The answer's notification leads back to the Labs page.
  await developer.goto('/');
  await developer.getByRole('button', { name: /^Notifications/ }).click();
  await developer
    .getByRole('list', { name: 'Latest notifications' })
    .getByRole('button', { name: `Portal staff answered your feedback on ${product.name}` })
    .first()
    .click();
  await expect(developer).toHaveURL(/\/labs$/);
  await expect(developer.getByRole('heading', { name: 'Labs', exact: true })).toBeVisible();
  await staff.context().close();
});

test("the demo's Public Posts API answers the try-it console: the portal stands in for it behind its gateway", async ({
  page: developer,
}) => {
  test.slow();
  await signIn(developer, DEVELOPER_EMAIL);
  await developer.goto('/docs/public-posts?tab=endpoints');
  await expect(
    developer.getByRole('heading', { level: 2, name: 'Public Posts API', exact: true }),
  ).toBeVisible({ timeout: 30_000 });
  await developer.getByRole('link', { name: '/tweets/{id}' }).first().click();
  await expect(developer.getByText('Look a post up by id').first()).toBeVisible();

  const tryIt = developer.getByRole('region', { name: 'Try it' });
  await choose(tryIt, 'App', APP_OPTION);
  await field(tryIt, 'id').fill('1460323737035677698');
  await tryIt.getByRole('button', { name: 'Send request' }).click();
  await expect(tryIt.getByTestId('try-it-status')).toHaveText(/^200/);
  await expect(tryIt.getByLabel('Response body')).toContainText('"author_id": "2244994945"');
  await tryIt.getByRole('tab', { name: /Headers/ }).click();
  await expect(tryIt.getByText('x-ratelimit-remaining', { exact: true })).toBeVisible();
  await shot(developer, 'catalogue-07-demo-try-it');

  // The deprecated timeline answers too, with the Deprecation header of its changelog notice.
  await developer.goto('/docs/public-posts?tab=endpoints');
  await developer.getByRole('link', { name: '/users/{id}/timeline' }).first().click();
  await choose(tryIt, 'App', APP_OPTION);
  await field(tryIt, 'id').fill('2244994945');
  await tryIt.getByRole('button', { name: 'Send request' }).click();
  await expect(tryIt.getByTestId('try-it-status')).toHaveText(/^200/);
  await tryIt.getByRole('tab', { name: /Headers/ }).click();
  await expect(tryIt.getByText('deprecation', { exact: true })).toBeVisible();
  await shot(developer, 'catalogue-08-demo-try-it-deprecated');
});
