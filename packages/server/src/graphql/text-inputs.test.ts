import { beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputType,
} from 'graphql';
import { subscribe, useTestServer, type TestClient } from '../../test/harness.js';
import { populatedPortal, type PopulatedPortal } from '../../test/tenant-builders.js';
import { uniqueLabel } from '../../test/product-builders.js';
import { uniqueEmail } from '../../test/builders.js';

/**
 * Every text field of every mutation input refuses what it must, with BAD_USER_INPUT naming the
 * field: NUL and unpaired surrogates anywhere; control, bidi and zero-width characters in one
 * line (names, labels, slugs, URLs); control characters but line breaks and tabs in long text;
 * userinfo and link-local, metadata or unspecified hosts in URLs. The list of fields is checked
 * against the schema, so a new text field fails here until it says what kind of text it is.
 */
const server = useTestServer({ smtp: false });
let portal: PopulatedPortal;
/** A webhook endpoint of the tenant's organization, for its update. */
let webhookEndpointId = '';
/** A changelog entry (draft) and a Labs feedback, for their update and answer. */
let changelogEntryId = '';
let labsFeedbackId = '';

beforeAll(async () => {
  portal = await populatedPortal(server);
  const made = await portal.tenant.admin.client.ok<{
    createWebhookEndpoint: { endpoint: { id: string } };
  }>(
    `mutation ($input: CreateWebhookEndpointInput!) {
      createWebhookEndpoint(input: $input) { endpoint { id } }
    }`,
    {
      input: {
        organizationId: portal.tenant.ids.organizationId,
        url: 'http://127.0.0.1:9/portico',
        eventTypes: ['APP_DELETED'],
      },
    },
  );
  webhookEndpointId = made.createWebhookEndpoint.endpoint.id;

  const staff = portal.staff.client;
  const entry = await staff.ok<{ createChangelogEntry: { entry: { id: string } } }>(
    `mutation ($input: CreateChangelogEntryInput!) {
      createChangelogEntry(input: $input) { entry { id } }
    }`,
    { input: { productId: portal.otherProductId, kind: 'CHANGED', title: 'Faster search' } },
  );
  changelogEntryId = entry.createChangelogEntry.entry.id;
  await staff.ok(
    `mutation ($input: UpdateProductCatalogueInput!) { updateProductCatalogue(input: $input) { product { id } } }`,
    { input: { productId: portal.otherProductId, labs: true } },
  );
  const feedback = await portal.tenant.admin.client.ok<{
    sendLabsFeedback: { feedback: { id: string } };
  }>(
    `mutation ($input: SendLabsFeedbackInput!) { sendLabsFeedback(input: $input) { feedback { id } } }`,
    { input: { productId: portal.otherProductId, rating: 4, text: 'Useful.' } },
  );
  labsFeedbackId = feedback.sendLabsFeedback.feedback.id;
});

/**
 * line: a name, label, slug, key or path; text: long text; url / callbackUrl: URLs;
 * email: an address (its own pattern refuses the rest); secret: a password or token (never
 * stored as text: only NUL and unpaired surrogates are refused, before anything runs).
 */
type Kind = 'line' | 'text' | 'url' | 'callbackUrl' | 'email' | 'secret';
type Actor = 'tenant' | 'staff' | 'applicant' | 'anonymous';

interface MutationCase {
  actor: Actor;
  /** A valid input; every list holds one valid element (the hostile one is added after it). */
  input: (p: PopulatedPortal) => Record<string, unknown>;
  /** Each String field by its path, `[]` marking a list (`attributes[].key`). */
  fields: Record<string, Kind>;
}

const app = (p: PopulatedPortal) => ({
  name: 'Weather board',
  description: 'Shows the weather.\nOn two lines.',
  websiteUrl: 'https://example.com/',
  callbackUrls: ['https://example.com/callback'],
  termsOfServiceUrl: 'https://example.com/terms',
  privacyPolicyUrl: 'https://example.com/privacy',
  organizationName: 'Acme Weather',
  organizationUrl: 'https://example.com/about',
  useCase: 'Internal dashboards',
  iconUrl: 'https://example.com/icon.png',
  attributes: [{ key: 'team', value: 'forecasts' }],
  projectId: p.tenant.ids.projectId,
});
const APP_FIELDS: Record<string, Kind> = {
  name: 'line',
  description: 'text',
  websiteUrl: 'url',
  'callbackUrls[]': 'callbackUrl',
  termsOfServiceUrl: 'url',
  privacyPolicyUrl: 'url',
  organizationName: 'line',
  organizationUrl: 'url',
  useCase: 'text',
  iconUrl: 'url',
  'attributes[].key': 'line',
  'attributes[].value': 'text',
};
const product = () => {
  const label = uniqueLabel('txt');
  return {
    name: 'Forecasts',
    slug: label,
    description: 'Forecasts for every city.',
    pathPrefixes: [`/${label}`],
    dmPathPrefixes: [`/${label}/dm`],
    approvalMode: 'CONDITIONAL',
    approvalRules: { emailDomains: ['example.com'] },
  };
};
const PRODUCT_FIELDS: Record<string, Kind> = {
  name: 'line',
  slug: 'line',
  description: 'text',
  'pathPrefixes[]': 'line',
  'dmPathPrefixes[]': 'line',
  'approvalRules.emailDomains[]': 'line',
};
const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz';

const CASES: Record<string, MutationCase> = {
  acceptInvitation: {
    actor: 'tenant',
    input: () => ({ token: TOKEN }),
    fields: { token: 'secret' },
  },
  declineInvitation: {
    actor: 'tenant',
    input: () => ({ token: TOKEN }),
    fields: { token: 'secret' },
  },
  verifyEmail: { actor: 'tenant', input: () => ({ token: TOKEN }), fields: { token: 'secret' } },
  resetPassword: {
    actor: 'anonymous',
    input: () => ({ token: TOKEN, password: 'a new long password' }),
    fields: { token: 'secret', password: 'secret' },
  },
  changePassword: {
    actor: 'tenant',
    input: () => ({ currentPassword: 'the wrong password', newPassword: 'a new long password' }),
    fields: { currentPassword: 'secret', newPassword: 'secret' },
  },
  signIn: {
    actor: 'anonymous',
    input: () => ({ email: 'nobody@example.com', password: 'a long password' }),
    fields: { email: 'email', password: 'secret' },
  },
  signUp: {
    actor: 'anonymous',
    input: () => ({
      email: uniqueEmail('text'),
      name: 'Ada Lovelace',
      password: 'a long password',
    }),
    fields: { email: 'email', name: 'line', password: 'secret' },
  },
  requestPasswordReset: {
    actor: 'anonymous',
    input: () => ({ email: 'nobody@example.com' }),
    fields: { email: 'email' },
  },
  updateProfile: {
    actor: 'tenant',
    input: () => ({ name: 'Ada Lovelace' }),
    fields: { name: 'line' },
  },
  createPersonalAccessToken: {
    actor: 'tenant',
    input: () => ({ name: 'deploy', scopes: ['READ'] }),
    fields: { name: 'line' },
  },
  createFineGrainedPersonalAccessToken: {
    actor: 'tenant',
    input: () => ({
      name: 'deploy',
      permissions: [{ area: 'APPS', level: 'READ' }],
      expiresInDays: 30,
    }),
    fields: { name: 'line' },
  },
  reviewPersonalAccessToken: {
    actor: 'tenant',
    input: () => ({ tokenId: 'pat_unknown', decision: 'REFUSE', reason: 'Too broad.' }),
    fields: { reason: 'text' },
  },
  createOrganization: {
    actor: 'tenant',
    input: () => ({ name: 'Acme' }),
    fields: { name: 'line' },
  },
  updateOrganization: {
    actor: 'tenant',
    input: (p) => ({ organizationId: p.tenant.ids.organizationId, name: 'Acme', slug: 'acme-two' }),
    fields: { name: 'line', slug: 'line' },
  },
  inviteMember: {
    actor: 'tenant',
    input: (p) => ({
      organizationId: p.tenant.ids.organizationId,
      email: 'new@example.com',
      role: 'DEVELOPER',
    }),
    fields: { email: 'email' },
  },
  createProject: {
    actor: 'tenant',
    input: (p) => ({
      organizationId: p.tenant.ids.organizationId,
      name: 'Mobile',
      description: 'The mobile apps.',
      useCase: 'Shipping\ttracking',
    }),
    fields: { name: 'line', description: 'text', useCase: 'text' },
  },
  updateProject: {
    actor: 'tenant',
    input: (p) => ({
      projectId: p.tenant.ids.projectId,
      name: 'Mobile',
      description: 'The mobile apps.',
      useCase: 'Shipping',
    }),
    fields: { name: 'line', description: 'text', useCase: 'text' },
  },
  createApp: {
    actor: 'tenant',
    input: (p) => ({ organizationId: p.tenant.ids.organizationId, ...app(p) }),
    fields: APP_FIELDS,
  },
  addAppKey: {
    actor: 'tenant',
    input: (p) => ({
      appId: p.tenant.ids.appId,
      publicKey:
        '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----',
      jwksUrl: 'https://keys.example.com/jwks.json',
    }),
    fields: { publicKey: 'text', jwksUrl: 'url' },
  },
  updateApp: {
    actor: 'tenant',
    input: (p) => ({ appId: p.tenant.ids.appId, ...app(p) }),
    fields: APP_FIELDS,
  },
  deleteApp: {
    actor: 'tenant',
    input: (p) => ({ appId: p.tenant.ids.appId, reason: 'Not needed any more' }),
    fields: { reason: 'text' },
  },
  createWebhookEndpoint: {
    actor: 'tenant',
    input: (p) => ({
      organizationId: p.tenant.ids.organizationId,
      url: 'http://127.0.0.1:9/portico',
      eventTypes: ['APP_DELETED'],
      description: 'Operations alerts',
    }),
    fields: { url: 'url', description: 'text' },
  },
  updateWebhookEndpoint: {
    actor: 'tenant',
    input: () => ({
      endpointId: webhookEndpointId,
      url: 'http://127.0.0.1:9/portico',
      description: 'Operations alerts',
    }),
    fields: { url: 'url', description: 'text' },
  },
  planBulkRun: {
    actor: 'staff',
    input: () => ({
      action: 'SUSPEND',
      criteria: { owner: 'ada@example.com', search: 'weather' },
      reason: 'Abuse report',
    }),
    fields: { 'criteria.owner': 'line', 'criteria.search': 'line', reason: 'text' },
  },
  setOrganizationVerified: {
    actor: 'staff',
    input: (p) => ({
      organizationId: p.tenant.ids.organizationId,
      verified: true,
      reason: 'Checked their registration',
    }),
    fields: { reason: 'text' },
  },
  suspendApp: {
    actor: 'staff',
    input: (p) => ({ appId: p.tenant.ids.appId, reason: 'Too many requests' }),
    fields: { reason: 'text' },
  },
  createProduct: { actor: 'staff', input: product, fields: PRODUCT_FIELDS },
  updateProduct: {
    actor: 'staff',
    input: (p) => ({ productId: p.otherProductId, ...product() }),
    fields: PRODUCT_FIELDS,
  },
  createPlan: {
    actor: 'staff',
    input: () => ({
      name: 'Gold',
      rank: 7,
      rateLimitRequests: 10,
      rateLimitWindowSeconds: 60,
      maxApps: 5,
      maxDevEnvironments: 1,
    }),
    fields: { name: 'line' },
  },
  updatePlan: {
    actor: 'staff',
    input: (p) => ({ planId: p.planId, name: 'Gold' }),
    fields: { name: 'line' },
  },
  createDevEnvironment: {
    actor: 'tenant',
    input: (p) => ({
      organizationId: p.tenant.ids.organizationId,
      productId: p.productId,
      label: 'preview',
    }),
    fields: { label: 'line' },
  },
  updateDevEnvironment: {
    actor: 'tenant',
    input: (p) => ({ devEnvironmentId: p.tenant.ids.devEnvironmentId, label: 'preview' }),
    fields: { label: 'line' },
  },
  createGatewayToken: { actor: 'staff', input: () => ({ name: 'edge' }), fields: { name: 'line' } },
  createReasonTemplate: {
    actor: 'staff',
    input: () => ({ title: 'Unclear', text: 'Say more.\nThank you.' }),
    fields: { title: 'line', text: 'text' },
  },
  updateReasonTemplate: {
    actor: 'staff',
    input: (p) => ({ reasonTemplateId: p.reasonTemplateId, title: 'Unclear', text: 'Say more.' }),
    fields: { title: 'line', text: 'text' },
  },
  decideGrants: {
    actor: 'staff',
    input: (p) => ({ grantIds: [p.tenant.ids.grantId], decision: 'REJECT', reason: 'No use case' }),
    fields: { reason: 'text' },
  },
  revokeGrant: {
    actor: 'staff',
    input: (p) => ({ grantId: p.tenant.ids.grantId, reason: 'Abuse' }),
    fields: { reason: 'text' },
  },
  applyForDeveloperAccount: {
    actor: 'applicant',
    input: () => ({
      useCase:
        'We are building a delivery tracker for small shops: it reads parcel events from the API and texts customers.',
      companyName: 'Parcel Co',
    }),
    fields: { useCase: 'text', companyName: 'line' },
  },
  answerApplicationQuestion: {
    actor: 'applicant',
    input: (p) => ({ applicationId: p.applicationId, body: 'The weather product.' }),
    fields: { body: 'text' },
  },
  askApplicationQuestion: {
    actor: 'staff',
    input: (p) => ({ applicationId: p.applicationId, body: 'Which products?' }),
    fields: { body: 'text' },
  },
  decideApplication: {
    actor: 'staff',
    input: (p) => ({ applicationId: p.applicationId, decision: 'REJECT', reason: 'Too vague' }),
    fields: { reason: 'text' },
  },
  saveProductDocument: {
    actor: 'staff',
    input: (p) => ({
      productId: p.otherProductId,
      kind: 'GUIDE',
      title: 'Getting started',
      slug: 'getting-started',
      source: '# Getting started\n\nCall the API.',
      note: 'First draft',
    }),
    fields: { title: 'line', slug: 'line', source: 'text', note: 'text' },
  },
  createChangelogEntry: {
    actor: 'staff',
    input: (p) => ({
      productId: p.otherProductId,
      kind: 'CHANGED',
      title: 'Faster search',
      body: 'Search answers in half the time.\nNothing to change.',
      endpointMethod: 'GET',
      endpointPath: '/search',
    }),
    fields: { title: 'line', body: 'text', endpointMethod: 'line', endpointPath: 'line' },
  },
  updateChangelogEntry: {
    actor: 'staff',
    input: () => ({
      entryId: changelogEntryId,
      title: 'Faster search',
      body: 'Search answers in half the time.',
    }),
    fields: { title: 'line', body: 'text' },
  },
  sendDeprecationNotice: {
    actor: 'staff',
    input: (p) => ({ productId: p.otherProductId, message: 'This product goes away.\nSoon.' }),
    fields: { message: 'text' },
  },
  sendLabsFeedback: {
    actor: 'tenant',
    input: (p) => ({
      productId: p.otherProductId,
      rating: 4,
      text: 'Results are good.\nScores would help.',
      endpointMethod: 'GET',
      endpointPath: '/search',
    }),
    fields: { text: 'text', endpointMethod: 'line', endpointPath: 'line' },
  },
  answerLabsFeedback: {
    actor: 'staff',
    input: () => ({ feedbackId: labsFeedbackId, answer: 'Thanks: scores come in 0.4.' }),
    fields: { answer: 'text' },
  },
};

/**
 * A sample of each kind (validation.test.ts tries every character on the schemas themselves).
 * NUL and unpaired surrogates: refused in every string, whatever it is.
 */
const UNSTORABLE = ['\u0000', '\uD800', '\uDC00'];
const NOT_IN_A_LINE = ['\u202E', '\u2067', '\u061C', '\u200B', '\uFEFF', '\u0085', '\n'];
const NOT_IN_TEXT = ['\u0007', '\u001B', '\u0085'];
const BAD_URLS = [
  'https://user:pass@example.com/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fe80::1]/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://[fd00:ec2::254]/',
  'http://100.100.100.200/',
  'http://0.0.0.0/',
  'http://[::]/',
];

function hostileValues(kind: Kind, valid: string): { value: string; message: RegExp }[] {
  const middle = Math.max(1, Math.floor(valid.length / 2));
  const inside = (character: string) => valid.slice(0, middle) + character + valid.slice(middle);
  const characters = (list: string[], message: RegExp) =>
    list.map((character) => ({ value: inside(character), message }));
  const cannotStore = /cannot be stored/;
  const values = characters(UNSTORABLE, cannotStore);
  if (kind === 'line' || kind === 'url' || kind === 'callbackUrl') {
    values.push(...characters(NOT_IN_A_LINE, /must not contain/));
  }
  if (kind === 'text') values.push(...characters(NOT_IN_TEXT, /must not contain/));
  if (kind === 'email') values.push(...characters(['\u202E', '\u200B', '\n'], /./));
  if (kind === 'url' || kind === 'callbackUrl') {
    const message = /must not (hold a user name or password|point to a link-local)/;
    values.push(...BAD_URLS.map((url) => ({ value: url, message })));
  }
  return values;
}

/** The String fields of an input type, by path (`[]` for a list). */
function stringPaths(type: GraphQLInputType, prefix = ''): string[] {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return stringPaths(inner.ofType, `${prefix}[]`);
  const named = getNamedType(inner);
  if (named.name === 'String') return [prefix];
  if (!isInputObjectType(named)) return [];
  return Object.values(named.getFields()).flatMap((field) =>
    stringPaths(field.type, prefix ? `${prefix}.${field.name}` : field.name),
  );
}

/**
 * `input` with the value at `path` replaced; in a list, a copy of the first element is added
 * with the value replaced in it. Returns the new input, the valid value that was there and the
 * field the error must name.
 */
function withValue(
  input: Record<string, unknown>,
  path: string,
  value: (valid: string) => string,
): { input: Record<string, unknown>; field: string } {
  const segments = path.split('.');
  const copy = structuredClone(input);
  const field: string[] = [];
  let target: Record<string, unknown> = copy;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const name = segment.replace(/\[\]$/, '');
    field.push(name);
    if (segment.endsWith('[]')) {
      const list = target[name] as unknown[];
      if (!Array.isArray(list) || !list.length)
        throw new Error(`${path}: give ${name} one element`);
      field.push(String(list.length));
      if (last) {
        list.push(value(list[0] as string));
      } else {
        const element = structuredClone(list[0]) as Record<string, unknown>;
        list.push(element);
        target = element;
      }
    } else if (last) {
      const valid = target[name];
      if (typeof valid !== 'string') throw new Error(`${path}: give it a valid string`);
      target[name] = value(valid);
    } else {
      target = target[name] as Record<string, unknown>;
    }
  });
  return { input: copy, field: field.join('.') };
}

function clientOf(actor: Actor): TestClient {
  if (actor === 'anonymous') return server.client();
  if (actor === 'staff') return portal.staff.client;
  if (actor === 'applicant') return portal.applicant.client;
  return portal.tenant.admin.client;
}

const TEXT_CASES = Object.entries(CASES).flatMap(([mutation, testCase]) =>
  Object.entries(testCase.fields).map(([path, kind]) => ({ mutation, path, kind, testCase })),
);

describe('text in mutation inputs', () => {
  it('covers every String field of every mutation input, with its kind', () => {
    const mutations = server.app.schema.getMutationType()!.getFields();
    const inSchema = Object.values(mutations).flatMap((mutation) =>
      mutation.args.flatMap((arg) =>
        stringPaths(arg.type).map(
          (path) => `${mutation.name}.${arg.name === 'input' ? path : `${arg.name}.${path}`}`,
        ),
      ),
    );
    const listed = TEXT_CASES.map(({ mutation, path }) => `${mutation}.${path}`);
    expect([...listed].sort(), 'give each text field a kind in CASES').toEqual(
      [...inSchema].sort(),
    );
  });

  it.each(TEXT_CASES.map((c) => [`${c.mutation}.${c.path} (${c.kind})`, c] as const))(
    'refuses hostile %s with BAD_USER_INPUT naming the field',
    async (_name, { mutation, path, kind, testCase }) => {
      const base = testCase.input(portal);
      const type = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
      let valid = '';
      withValue(base, path, (value) => (valid = value));
      const operation = `mutation ($input: ${type}!) { ${mutation}(input: $input) { __typename } }`;
      const { field } = withValue(base, path, () => '');
      const hostile = hostileValues(kind, valid);
      // A few at a time: some services wait for a second pooled connection inside their
      // transaction, so ten at once (the pool's size) would wait for each other.
      for (let start = 0; start < hostile.length; start += 4) {
        await Promise.all(
          hostile.slice(start, start + 4).map(async ({ value, message }) => {
            const { input } = withValue(base, path, () => value);
            const result = await clientOf(testCase.actor).execute(operation, { input });
            const error = result.errors?.[0];
            const seen = `${JSON.stringify(value)} gave ${JSON.stringify(result)}`;
            expect(error?.extensions?.code, seen).toBe('BAD_USER_INPUT');
            expect(error?.extensions?.field, seen).toBe(field);
            expect(error?.message, seen).toMatch(message);
          }),
        );
      }
    },
  );

  it('names the list index of a bad callback URL, and keeps the existing scheme rule', async () => {
    const client = portal.tenant.admin.client;
    const operation = `mutation ($input: UpdateAppInput!) { updateApp(input: $input) { app { callbackUrls } } }`;
    const update = (callbackUrls: string[]) =>
      client.fails(operation, { input: { appId: portal.tenant.ids.appId, callbackUrls } });
    expect(await update(['https://example.com/cb', 'http://example.com/cb'])).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'callbackUrls.1',
      message:
        'Callback URLs must use https (http only for localhost or 127.0.0.1) and have no #fragment.',
    });
    expect(await update(['https://example.com/cb', 'https://u:p@example.com/cb'])).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'callbackUrls.1',
      message: 'Callback URLs must not hold a user name or password.',
    });
    expect(await update(['http://[fe80::1%25eth0]/cb'])).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'callbackUrls.0',
    });
    const kept = await client.ok<{ updateApp: { app: { callbackUrls: string[] } } }>(operation, {
      input: {
        appId: portal.tenant.ids.appId,
        callbackUrls: ['http://localhost:3000/cb', 'http://127.0.0.1/cb', 'https://example.com/'],
      },
    });
    expect(kept.updateApp.app.callbackUrls).toEqual([
      'http://localhost:3000/cb',
      'http://127.0.0.1/cb',
      'https://example.com/',
    ]);
  });

  it('stores names trimmed and NFC-normalized, and long text with its line breaks and tabs', async () => {
    const data = await portal.tenant.admin.client.ok<{
      updateProject: { project: { name: string; description: string } };
    }>(
      `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { project { name description } } }`,
      {
        input: {
          projectId: portal.tenant.ids.projectId,
          name: '  Cafe\u0301 ',
          description: 'Line one\r\n\tindented\nمرحبا',
        },
      },
    );
    expect(data.updateProject.project).toEqual({
      name: 'Caf\u00E9',
      description: 'Line one\r\n\tindented\nمرحبا',
    });
  });
});

describe('NUL and unpaired surrogates in any argument', () => {
  it('are refused in ids, lists of ids and nested field arguments, naming the path', async () => {
    const client = portal.tenant.admin.client;
    expect(
      await client.fails(`query ($id: ID!) { app(id: $id) { id } }`, { id: 'app_\u0000' }),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
    expect(
      await client.fails(
        `mutation ($input: DeleteProjectInput!) { deleteProject(input: $input) { deletedProjectId } }`,
        { input: { projectId: 'prj_\uDFFF' } },
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'projectId' });
    expect(
      await client.fails(
        `mutation ($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { markedCount } }`,
        { input: { ids: ['ntf_a', 'ntf_\u0000'] } },
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids.1' });
    expect(
      await client.fails(
        `query ($after: String) { viewer { notifications(first: 1, after: $after) { totalCount } } }`,
        { after: '\u0000' },
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(await client.fails(`{ app(id: "app_\\u0000") { id } }`)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
  });

  it('are refused in a subscription’s arguments over WebSocket', async () => {
    const live = await subscribe(
      server,
      portal.tenant.admin.client,
      `subscription ($id: ID!) { organizationEvents(organizationId: $id) { id } }`,
      { id: 'org_\u0000' },
    );
    try {
      const errors = await live.failure();
      expect(errors[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'organizationId',
      });
    } finally {
      await live.close();
    }
  });
});
