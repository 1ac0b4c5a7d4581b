import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestClient, type TestServer } from '../../test/harness.js';
import { DEMO_PASSWORD, seedDemoData } from './seed.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoData(server.orm);
});
afterAll(async () => {
  await server.close();
});

async function signIn(email: string): Promise<TestClient> {
  const client = server.client();
  await client.ok(`mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`, {
    input: { email, password: DEMO_PASSWORD },
  });
  return client;
}

describe('catalogue demo data', () => {
  it('documents the public posts product: overview, guides, endpoints and a changelog with a deprecation', async () => {
    const anonymous = server.client();
    const data = await anonymous.ok<{
      catalogueProduct: {
        docsPublic: boolean;
        apiBaseUrl: string;
        overview: { title: string } | null;
        guides: { kind: string; slug: string }[];
        endpoints: { method: string; path: string; requiredPermission: string }[];
        changelog: { kind: string; sunsetAt: string | null }[];
      };
    }>(`{ catalogueProduct(slug: "public-posts") {
      docsPublic apiBaseUrl overview { title } guides { kind slug }
      endpoints { method path requiredPermission } changelog { kind sunsetAt }
    } }`);
    const docs = data.catalogueProduct;
    expect(docs.docsPublic).toBe(true);
    expect(docs.apiBaseUrl).toBe('http://localhost:4000/2');
    expect(docs.overview?.title).toBe('Public Posts API');
    expect(docs.guides.map((g) => g.kind)).toEqual(['QUICK_START', 'MIGRATION_GUIDE']);
    expect(docs.endpoints.length).toBeGreaterThanOrEqual(5);
    expect(docs.endpoints).toContainEqual({
      method: 'POST',
      path: '/tweets',
      requiredPermission: 'READ_WRITE',
    });
    expect(docs.changelog.map((c) => c.kind)).toContain('DEPRECATED');
    expect(docs.changelog.every((c) => c.kind !== 'NEW' || c.sunsetAt === null)).toBe(true);
  });

  it('has a Labs product with feedback, and traffic for the deprecation impact view', async () => {
    const staff = await signIn('staff@portico.local');
    const labs = await staff.ok<{
      labsProducts: { slug: string; labs: boolean }[];
      labsFeedback: { status: string; rating: number }[];
    }>(`{ labsProducts { slug labs } labsFeedback { status rating } }`);
    expect(labs.labsProducts).toEqual([{ slug: 'semantic-search-labs', labs: true }]);
    expect(labs.labsFeedback.map((f) => f.status).sort()).toEqual(['ANSWERED', 'OPEN']);

    const { catalogueProduct } = await staff.ok<{ catalogueProduct: { id: string } }>(
      `{ catalogueProduct(slug: "public-posts") { id } }`,
    );
    const impact = await staff.ok<{
      deprecationImpact: {
        totalRequests: number;
        apps: { app: { name: string }; daily: number[] }[];
      };
    }>(
      `query ($id: ID!) { deprecationImpact(productId: $id) { totalRequests apps { app { name } daily } } }`,
      { id: catalogueProduct.id },
    );
    expect(impact.deprecationImpact.totalRequests).toBeGreaterThan(0);
    // Every demo app with Public Posts traffic (Ops Dashboard's is the staff console's).
    expect(impact.deprecationImpact.apps.map((a) => a.app.name).sort()).toEqual([
      'Ops Dashboard',
      'Sentiment Notebook',
      'Trend Radar',
    ]);
    expect(impact.deprecationImpact.apps[0]?.daily).toHaveLength(30);
  });
});
