import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../../test/builders.js';
import { auditEntriesFor } from '../../../test/app-builders.js';
import {
  createProduct,
  PRODUCT_FIELDS,
  productInput,
  storedProduct,
  uniqueLabel,
  type ProductFields,
} from '../../../test/product-builders.js';
import { ApiProduct } from './products.entity.js';

let server: TestServer;
let staff: SignedInUser;
let developer: SignedInUser;
beforeAll(async () => {
  server = await startTestServer();
  staff = await signUpUser(server, { staff: true });
  developer = await signUpUser(server);
});
afterAll(async () => {
  await server.close();
});

const CREATE = `mutation ($input: CreateProductInput!) {
  createProduct(input: $input) { product { ${PRODUCT_FIELDS} } }
}`;
const UPDATE = `mutation ($input: UpdateProductInput!) {
  updateProduct(input: $input) { product { ${PRODUCT_FIELDS} } }
}`;
const ARCHIVE = `mutation ($input: ArchiveProductInput!) {
  archiveProduct(input: $input) { product { ${PRODUCT_FIELDS} } }
}`;
const PRODUCTS = `query { products { id } }`;
const PRODUCT = `query ($id: ID!) { product(id: $id) { ${PRODUCT_FIELDS} } }`;
const NODE = `query ($id: ID!) { node(id: $id) { id ... on ApiProduct { slug } } }`;

async function productCountWithSlug(slug: unknown): Promise<number> {
  return server.orm.em.fork().count(ApiProduct, { slug: String(slug) });
}

async function updateProduct(
  productId: string,
  fields: Record<string, unknown>,
): Promise<ProductFields> {
  const data = await staff.client.ok<{ updateProduct: { product: ProductFields } }>(UPDATE, {
    input: { productId, ...fields },
  });
  return data.updateProduct.product;
}

describe('createProduct', () => {
  it('lets staff create a product with every setting, normalized and audited', async () => {
    const label = uniqueLabel();
    const data = await staff.client.ok<{ createProduct: { product: ProductFields } }>(CREATE, {
      input: {
        name: '  Weather  ',
        slug: label,
        description: 'Forecasts',
        pathPrefixes: [`/${label}/v1/`, `/${label}/v2`],
        dmPathPrefixes: [`/${label}/v2/messages`],
        requiresProject: true,
        approvalMode: 'CONDITIONAL',
        approvalRules: {
          requireVerifiedOrg: true,
          minimumPlanRank: 1,
          maximumPermissionLevel: 'READ_WRITE',
          emailDomains: ['Example.COM', '@example.com', 'portico.dev'],
        },
      },
    });
    const product = data.createProduct.product;
    expect(product).toMatchObject({
      name: 'Weather',
      slug: label,
      description: 'Forecasts',
      pathPrefixes: [`/${label}/v1`, `/${label}/v2`],
      dmPathPrefixes: [`/${label}/v2/messages`],
      requiresProject: true,
      approvalMode: 'CONDITIONAL',
      archivedAt: null,
      approvalRules: {
        requireVerifiedOrg: true,
        minimumPlanRank: 1,
        maximumPermissionLevel: 'READ_WRITE',
        emailDomains: ['example.com', 'portico.dev'],
      },
    });
    expect(product.id).toMatch(/^prd_/);
    const audit = await auditEntriesFor(server, product.id);
    expect(audit.map((entry) => [entry.action, entry.actor?.id, entry.organization])).toEqual([
      ['product.create', staff.id, null],
    ]);
    expect(audit[0]!.data).toMatchObject({ slug: label, approvalMode: 'CONDITIONAL' });
  });

  it('defaults to a MANUAL product with no rules, no DM paths and no project needed', async () => {
    const product = await createProduct(staff.client, { description: null });
    expect(product).toMatchObject({
      description: '',
      dmPathPrefixes: [],
      requiresProject: false,
      approvalMode: 'MANUAL',
      approvalRules: null,
    });
  });

  it('refuses everyone but staff, creating nothing', async () => {
    const input = productInput();
    expect(await developer.client.fails(CREATE, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await server.client().fails(CREATE, { input })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await productCountWithSlug(input.slug)).toBe(0);
  });

  const conditional = (approvalRules: unknown) => ({ approvalMode: 'CONDITIONAL', approvalRules });
  it.each([
    ['name', { name: '' }],
    ['name', { name: 'x'.repeat(101) }],
    ['slug', { slug: 'Not A Slug' }],
    ['slug', { slug: 'under_score' }],
    ['slug', { slug: '' }],
    ['slug', { slug: 'x'.repeat(51) }],
    ['description', { description: 'x'.repeat(2001) }],
    ['pathPrefixes', { pathPrefixes: [] }],
    ['pathPrefixes.0', { pathPrefixes: ['v1/weather'] }],
    ['pathPrefixes.0', { pathPrefixes: ['/'] }],
    ['pathPrefixes.1', { pathPrefixes: ['/fine', '/with space'] }],
    ['pathPrefixes.1', { pathPrefixes: ['/fine', '/query?x=1'] }],
    ['pathPrefixes.0', { pathPrefixes: ['/double//slash'] }],
    ['pathPrefixes.1', { pathPrefixes: ['/same', '/same/'] }],
    ['dmPathPrefixes.0', { pathPrefixes: ['/a1'], dmPathPrefixes: ['/b1/dm'] }],
    ['dmPathPrefixes.0', { pathPrefixes: ['/a1'], dmPathPrefixes: ['/a1dm'] }],
    ['dmPathPrefixes.1', { pathPrefixes: ['/a1'], dmPathPrefixes: ['/a1/dm', '/a1/dm'] }],
    ['approvalRules', conditional(null)],
    ['approvalRules', conditional({})],
    ['approvalRules', conditional({ requireVerifiedOrg: false, emailDomains: [] })],
    ['approvalRules', { approvalMode: 'MANUAL', approvalRules: { requireVerifiedOrg: true } }],
    ['approvalRules', { approvalMode: 'AUTO', approvalRules: { emailDomains: ['a.com'] } }],
    ['approvalRules.emailDomains.1', conditional({ emailDomains: ['ok.com', 'not a domain'] })],
    ['approvalRules.minimumPlanRank', conditional({ minimumPlanRank: -1 })],
    ['approvalRules.minimumPlanRank', conditional({ minimumPlanRank: 999 })],
  ])('refuses bad input naming the field %s, creating nothing', async (field, fields) => {
    const input = productInput(fields);
    const error = await staff.client.fails(CREATE, { input });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await productCountWithSlug(input.slug)).toBe(0);
  });

  it('refuses a taken slug, archived products included (CONFLICT slug)', async () => {
    const first = await createProduct(staff.client);
    await staff.client.ok(ARCHIVE, { input: { productId: first.id } });
    const input = productInput({ slug: first.slug });
    expect(await staff.client.fails(CREATE, { input })).toMatchObject({
      code: 'CONFLICT',
      field: 'slug',
    });
    expect(await productCountWithSlug(first.slug)).toBe(1);
  });

  it('gives a path prefix to one live product only; archiving frees it', async () => {
    const first = await createProduct(staff.client);
    const prefix = first.pathPrefixes[0]!;
    const input = productInput({ pathPrefixes: ['/elsewhere-' + uniqueLabel(), `${prefix}/`] });
    const error = await staff.client.fails(CREATE, { input });
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'pathPrefixes.1' });
    expect(error.message).toContain(first.name);
    expect(await productCountWithSlug(input.slug)).toBe(0);

    // A prefix below another product's is a different prefix (the gateway picks the longest).
    const nested = await createProduct(staff.client, { pathPrefixes: [`${prefix}/inner`] });
    expect(nested.pathPrefixes).toEqual([`${prefix}/inner`]);

    await staff.client.ok(ARCHIVE, { input: { productId: first.id } });
    const second = await createProduct(staff.client, { pathPrefixes: [prefix] });
    expect(second.pathPrefixes).toEqual([prefix]);
  });
});

describe('updateProduct', () => {
  it('changes only the given fields, audited with what changed', async () => {
    const product = await createProduct(staff.client);
    const slug = uniqueLabel();
    const updated = await updateProduct(product.id, {
      name: 'Renamed',
      slug,
      dmPathPrefixes: [`${product.pathPrefixes[0]}/dm`],
      requiresProject: true,
    });
    expect(updated).toMatchObject({
      name: 'Renamed',
      slug,
      description: product.description,
      pathPrefixes: product.pathPrefixes,
      dmPathPrefixes: [`${product.pathPrefixes[0]}/dm`],
      requiresProject: true,
      approvalMode: 'MANUAL',
    });
    const audit = await auditEntriesFor(server, product.id);
    expect(audit.map((entry) => entry.action)).toEqual(['product.create', 'product.update']);
    expect(audit[1]!.data).toEqual({
      name: 'Renamed',
      changes: {
        name: { from: product.name, to: 'Renamed' },
        slug: { from: product.slug, to: slug },
        dmPathPrefixes: { from: [], to: [`${product.pathPrefixes[0]}/dm`] },
        requiresProject: { from: false, to: true },
      },
    });
  });

  it('records nothing when nothing changes', async () => {
    const product = await createProduct(staff.client);
    await updateProduct(product.id, { name: product.name, pathPrefixes: product.pathPrefixes });
    expect((await auditEntriesFor(server, product.id)).map((e) => e.action)).toEqual([
      'product.create',
    ]);
  });

  it('needs rules to become CONDITIONAL, keeps them on later edits, and drops them on leaving', async () => {
    const product = await createProduct(staff.client);
    expect(
      await staff.client.fails(UPDATE, {
        input: { productId: product.id, approvalMode: 'CONDITIONAL' },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'approvalRules' });

    const conditional = await updateProduct(product.id, {
      approvalMode: 'CONDITIONAL',
      approvalRules: { emailDomains: ['example.com'] },
    });
    expect(conditional.approvalRules).toEqual({
      requireVerifiedOrg: false,
      minimumPlanRank: null,
      maximumPermissionLevel: null,
      emailDomains: ['example.com'],
    });
    const renamed = await updateProduct(product.id, { name: 'Still conditional' });
    expect(renamed.approvalRules?.emailDomains).toEqual(['example.com']);
    expect(
      await staff.client.fails(UPDATE, { input: { productId: product.id, approvalRules: null } }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'approvalRules' });

    const auto = await updateProduct(product.id, { approvalMode: 'AUTO' });
    expect(auto).toMatchObject({ approvalMode: 'AUTO', approvalRules: null });
    expect((await storedProduct(server, product.id))!.approvalRules).toEqual({});
  });

  it('refuses a path prefix of another live product and a taken slug, changing nothing', async () => {
    const other = await createProduct(staff.client);
    const product = await createProduct(staff.client);
    expect(
      await staff.client.fails(UPDATE, {
        input: { productId: product.id, name: 'Nope', pathPrefixes: other.pathPrefixes },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'pathPrefixes.0' });
    expect(
      await staff.client.fails(UPDATE, {
        input: { productId: product.id, name: 'Nope', slug: other.slug },
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'slug' });
    const stored = await storedProduct(server, product.id);
    expect(stored).toMatchObject({
      name: product.name,
      slug: product.slug,
      pathPrefixes: product.pathPrefixes,
    });
  });

  it('refuses prefixes that would leave a DM prefix outside the product', async () => {
    const product = await createProduct(staff.client);
    const prefix = product.pathPrefixes[0]!;
    await updateProduct(product.id, { dmPathPrefixes: [`${prefix}/dm`] });
    const error = await staff.client.fails(UPDATE, {
      input: { productId: product.id, pathPrefixes: [`/moved-${uniqueLabel()}`] },
    });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dmPathPrefixes.0' });
    expect((await storedProduct(server, product.id))!.pathPrefixes).toEqual([prefix]);
  });

  it.each([
    ['name', { name: '' }],
    ['slug', { slug: 'BAD' }],
    ['pathPrefixes', { pathPrefixes: [] }],
    ['pathPrefixes.0', { pathPrefixes: ['nope'] }],
    ['approvalRules', { approvalMode: 'MANUAL', approvalRules: { requireVerifiedOrg: true } }],
  ])('refuses bad input naming the field %s, changing nothing', async (field, fields) => {
    const product = await createProduct(staff.client);
    expect(
      await staff.client.fails(UPDATE, { input: { productId: product.id, ...fields } }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const stored = await storedProduct(server, product.id);
    expect(stored).toMatchObject({ name: product.name, slug: product.slug });
    expect((await auditEntriesFor(server, product.id)).length).toBe(1);
  });

  it('refuses non-staff, unknown and archived products', async () => {
    const product = await createProduct(staff.client);
    const input = { productId: product.id, name: 'Nope' };
    expect(await developer.client.fails(UPDATE, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await server.client().fails(UPDATE, { input })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(
      await staff.client.fails(UPDATE, { input: { productId: 'prd_unknown', name: 'x' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'productId' });
    await staff.client.ok(ARCHIVE, { input: { productId: product.id } });
    expect(await staff.client.fails(UPDATE, { input })).toMatchObject({
      code: 'CONFLICT',
      field: 'productId',
    });
    expect((await storedProduct(server, product.id))!.name).toBe(product.name);
  });
});

describe('archiveProduct and who sees what', () => {
  it('hides archived products from everyone but staff', async () => {
    const live = await createProduct(staff.client);
    const archived = await createProduct(staff.client);
    const data = await staff.client.ok<{ archiveProduct: { product: ProductFields } }>(ARCHIVE, {
      input: { productId: archived.id },
    });
    expect(data.archiveProduct.product.archivedAt).not.toBeNull();
    expect(
      (await auditEntriesFor(server, archived.id)).map((e) => [e.action, e.actor?.id]),
    ).toEqual([
      ['product.create', staff.id],
      ['product.archive', staff.id],
    ]);

    const seenBy = async (user: SignedInUser) =>
      (await user.client.ok<{ products: { id: string }[] }>(PRODUCTS)).products.map((p) => p.id);
    expect(await seenBy(developer)).toContain(live.id);
    expect(await seenBy(developer)).not.toContain(archived.id);
    expect(await seenBy(staff)).toEqual(expect.arrayContaining([live.id, archived.id]));

    expect(await developer.client.ok(PRODUCT, { id: live.id })).toMatchObject({
      product: { id: live.id },
    });
    expect(await developer.client.fails(PRODUCT, { id: archived.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await staff.client.ok(PRODUCT, { id: archived.id })).toMatchObject({
      product: { id: archived.id },
    });
    expect(await developer.client.ok(NODE, { id: live.id })).toEqual({
      node: { id: live.id, slug: live.slug },
    });
    expect(await developer.client.ok(NODE, { id: archived.id })).toEqual({ node: null });
    expect(await staff.client.ok(NODE, { id: archived.id })).toEqual({
      node: { id: archived.id, slug: archived.slug },
    });
  });

  it('refuses archiving twice, non-staff and unknown products', async () => {
    const product = await createProduct(staff.client);
    const input = { productId: product.id };
    expect(await developer.client.fails(ARCHIVE, { input })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await server.client().fails(ARCHIVE, { input })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect((await storedProduct(server, product.id))!.archivedAt).toBeNull();
    await staff.client.ok(ARCHIVE, { input });
    expect(await staff.client.fails(ARCHIVE, { input })).toMatchObject({
      code: 'CONFLICT',
      field: 'productId',
    });
    expect(
      await staff.client.fails(ARCHIVE, { input: { productId: 'prd_unknown' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'productId' });
  });

  it('needs a signed-in user to list products', async () => {
    expect(await server.client().fails(PRODUCTS)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
