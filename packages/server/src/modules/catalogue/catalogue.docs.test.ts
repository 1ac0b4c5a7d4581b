import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { signUpUser } from '../../../test/builders.js';
import { gatewayProduct } from '../../../test/gateway-builders.js';
import {
  openApiYaml,
  SAVE_DOCUMENT,
  saveDocument,
  SET_CATALOGUE,
} from '../../../test/catalogue-builders.js';
import { auditEntriesFor } from '../../../test/app-builders.js';

const server = useTestServer();

const PRODUCT_DOCS = `query ($slug: String!) {
  catalogueProduct(slug: $slug) {
    id docsPublic apiBaseUrl
    overview { slug title published { number html } }
    guides { slug kind title published { number html source } draft { number } revisions { number authorName isPublished } }
    endpoints {
      method path operationId summary gatewayPath requiredPermission
      parameters { name in required example }
      requestBody { contentType example }
      responses { status description example }
      codeSamples { language code tokenPlaceholder }
    }
  }
}`;

interface Docs {
  catalogueProduct: {
    id: string;
    docsPublic: boolean;
    apiBaseUrl: string | null;
    overview: { slug: string; title: string; published: { number: number; html: string } } | null;
    guides: {
      slug: string;
      kind: string;
      title: string;
      published: { number: number; html: string; source: string } | null;
      draft: { number: number } | null;
      revisions: { number: number; authorName: string | null; isPublished: boolean }[];
    }[];
    endpoints: {
      method: string;
      path: string;
      operationId: string;
      summary: string;
      gatewayPath: string;
      requiredPermission: string;
      parameters: { name: string; in: string; required: boolean; example: string | null }[];
      requestBody: { contentType: string; example: string | null } | null;
      responses: { status: string; description: string; example: string | null }[];
      codeSamples: { language: string; code: string; tokenPlaceholder: string }[];
    }[];
  };
}

async function staffAndProduct() {
  const staff = await signUpUser(server, { staff: true, name: 'Docs Writer' });
  const product = await gatewayProduct(server);
  return { staff, product };
}

describe('product documentation', () => {
  it('keeps every version; readers see the published one, staff also the draft and history', async () => {
    const { staff, product } = await staffAndProduct();
    const developer = await signUpUser(server);
    const first = await saveDocument(staff.client, {
      productId: product.id,
      kind: 'QUICK_START',
      title: 'Quick start',
      source: '# Hello\n\nFirst version.',
      note: 'first',
    });
    expect(first.document.slug).toBe('quick-start');
    expect(first.document.published?.number).toBe(1);

    const second = await saveDocument(staff.client, {
      documentId: first.document.id,
      title: 'Quick start (v2)',
      source: '# Hello\n\nSecond version.',
      publish: false,
    });
    expect(second.revision.number).toBe(2);
    expect(second.document.published?.number).toBe(1);
    expect(second.document.draft?.number).toBe(2);

    const read = await developer.client.ok<Docs>(PRODUCT_DOCS, { slug: product.slug });
    const guide = read.catalogueProduct.guides[0];
    expect(guide?.title).toBe('Quick start');
    expect(guide?.published?.source).toContain('First version.');
    expect(guide?.draft).toBeNull();
    expect(guide?.revisions).toEqual([]);

    const staffView = await staff.client.ok<Docs>(PRODUCT_DOCS, { slug: product.slug });
    const staffGuide = staffView.catalogueProduct.guides[0];
    expect(staffGuide?.title).toBe('Quick start (v2)');
    expect(staffGuide?.revisions.map((r) => [r.number, r.authorName, r.isPublished])).toEqual([
      [2, 'Docs Writer', false],
      [1, 'Docs Writer', true],
    ]);

    await staff.client.ok(
      `mutation ($input: PublishProductDocumentInput!) { publishProductDocument(input: $input) { document { id } } }`,
      { input: { documentId: first.document.id } },
    );
    const after = await developer.client.ok<Docs>(PRODUCT_DOCS, { slug: product.slug });
    expect(after.catalogueProduct.guides[0]?.published?.number).toBe(2);

    const audit = await auditEntriesFor(server, first.document.id);
    expect(audit.map((entry) => entry.action).sort()).toEqual([
      'catalogue.document.publish',
      'catalogue.document.publish',
      'catalogue.document.save',
      'catalogue.document.save',
    ]);
  });

  it('renders Markdown to sanitized HTML: no script, no event handler, safe links', async () => {
    const { staff, product } = await staffAndProduct();
    await saveDocument(staff.client, {
      productId: product.id,
      kind: 'OVERVIEW',
      title: 'Overview',
      source: [
        '# Overview',
        '<script>alert(1)</script>',
        '<img src="https://example.com/x.png" onerror="alert(2)">',
        '[docs](https://example.com/docs) and [bad](javascript:alert(3))',
        '<a href="https://example.com" onclick="alert(4)">click</a>',
        '<iframe src="https://evil.example"></iframe>',
      ].join('\n\n'),
    });
    const read = await staff.client.ok<Docs>(PRODUCT_DOCS, { slug: product.slug });
    const html = read.catalogueProduct.overview?.published.html ?? '';
    expect(html).toContain('<h1');
    expect(html).toContain('<img src="https://example.com/x.png"');
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<iframe/i);
    expect(html).toContain('<a href="https://example.com/docs" rel="noopener noreferrer">docs</a>');
  });

  it('refuses an OpenAPI description that is not valid, naming the line, and saves nothing', async () => {
    const { staff, product } = await staffAndProduct();
    const broken = openApiYaml(product.prefix).replace(
      "      responses:\n        '201':\n          description: Created",
      "      responses:\n        '201':\n          descripton: Created",
    );
    const line = broken.split('\n').findIndex((l) => l.includes('descripton')) + 1;
    const result = await staff.client.execute(SAVE_DOCUMENT, {
      input: { productId: product.id, kind: 'OPENAPI', title: 'API', source: broken },
    });
    const error = result.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.extensions?.field).toBe('source');
    expect(error?.message).toMatch(new RegExp(`^Line ${line}, column \\d+: .*descripton`));
    expect((error?.extensions as Record<string, unknown>).line).toBe(line);

    const syntax = await staff.client.fails(SAVE_DOCUMENT, {
      input: {
        productId: product.id,
        kind: 'OPENAPI',
        title: 'API',
        source: 'openapi: 3.0.3\ninfo:\n  title: x\n   version: [1\n',
      },
    });
    expect(syntax.field).toBe('source');
    expect(syntax.message).toMatch(/^Line \d+, column \d+:/);

    const external = await staff.client.fails(SAVE_DOCUMENT, {
      input: {
        productId: product.id,
        kind: 'OPENAPI',
        title: 'API',
        source: openApiYaml(product.prefix).replace(
          "$ref: '#/components/schemas/Item' }\n              example",
          "$ref: 'https://evil.example/item.json' }\n              example",
        ),
      },
    });
    expect(external.message).toMatch(/^Line \d+, column \d+: Only local references/);

    const read = await staff.client.ok<Docs>(PRODUCT_DOCS, { slug: product.slug });
    expect(read.catalogueProduct.endpoints).toEqual([]);
    const [row] = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ count: string }[]>(
        'select count(*)::text from product_document where product_id = ?',
        [product.id],
      );
    expect(row?.count).toBe('0');
  });

  it('lists the endpoints of the published OpenAPI with permissions and code samples', async () => {
    const { staff, product } = await staffAndProduct();
    await saveDocument(staff.client, {
      productId: product.id,
      kind: 'OPENAPI',
      title: 'API',
      source: openApiYaml(product.prefix),
    });
    const read = await staff.client.ok<Docs>(PRODUCT_DOCS, { slug: product.slug });
    const docs = read.catalogueProduct;
    expect(docs.apiBaseUrl).toBe(`https://api.example.com${product.prefix}`);
    expect(docs.endpoints.map((e) => [e.method, e.path, e.requiredPermission])).toEqual([
      ['GET', '/items', 'READ'],
      ['POST', '/items', 'READ_WRITE'],
      ['GET', '/items/{id}', 'READ'],
      ['POST', '/dm/messages', 'READ_WRITE_DM'],
    ]);
    const list = docs.endpoints[0];
    expect(list?.gatewayPath).toBe(`${product.prefix}/items`);
    expect(list?.parameters).toEqual([
      { name: 'limit', in: 'query', required: true, example: '10' },
    ]);
    expect(JSON.parse(list?.responses[0]?.example ?? 'null')).toEqual([{ id: '1', name: 'First' }]);
    const curl = list?.codeSamples.find((s) => s.language === 'CURL');
    expect(curl?.code).toContain(`'https://api.example.com${product.prefix}/items?limit=10'`);
    expect(curl?.code).toContain('Authorization: Bearer YOUR_API_TOKEN');
    const create = docs.endpoints[1];
    expect(create?.requestBody?.contentType).toBe('application/json');
    const python = create?.codeSamples.find((s) => s.language === 'PYTHON')?.code ?? '';
    expect(python).toContain('"active": True');
    const js = create?.codeSamples.find((s) => s.language === 'JAVASCRIPT')?.code ?? '';
    expect(js).toContain('method: "POST"');
    expect(docs.endpoints[2]?.codeSamples[0]?.code).toContain('/items/abc');
  });

  it('shows public docs without signing in, and nothing else', async () => {
    const { staff, product } = await staffAndProduct();
    const hidden = await gatewayProduct(server);
    await saveDocument(staff.client, {
      productId: product.id,
      kind: 'OVERVIEW',
      title: 'Overview',
      source: 'Public product',
    });
    const anonymous = server.client();
    const before = await anonymous.fails(PRODUCT_DOCS, { slug: product.slug });
    expect(before.code).toBe('NOT_FOUND');

    await staff.client.ok(SET_CATALOGUE, { input: { productId: product.id, docsPublic: true } });
    const read = await anonymous.ok<Docs>(PRODUCT_DOCS, { slug: product.slug });
    expect(read.catalogueProduct.overview?.published.html).toContain('Public product');
    expect((await anonymous.fails(PRODUCT_DOCS, { slug: hidden.slug })).code).toBe('NOT_FOUND');

    const list = await anonymous.ok<{ catalogue: { id: string }[] }>(`{ catalogue { id } }`);
    const ids = list.catalogue.map((p) => p.id);
    expect(ids).toContain(product.id);
    expect(ids).not.toContain(hidden.id);
  });

  it('refuses writes by anyone but staff', async () => {
    const { product } = await staffAndProduct();
    const developer = await signUpUser(server);
    const refused = await developer.client.fails(SAVE_DOCUMENT, {
      input: { productId: product.id, kind: 'GUIDE', title: 'Mine', source: 'x' },
    });
    expect(refused.code).toBe('FORBIDDEN');
    expect(
      (await server.client().fails(SET_CATALOGUE, { input: { productId: product.id, labs: true } }))
        .code,
    ).toBe('UNAUTHENTICATED');
    expect(
      (
        await developer.client.fails(SET_CATALOGUE, {
          input: { productId: product.id, labs: true },
        })
      ).code,
    ).toBe('FORBIDDEN');
  });
});
