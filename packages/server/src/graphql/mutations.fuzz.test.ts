import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { useTestServer, type TestClient } from '../../test/harness.js';
import type { SignedInUser } from '../../test/builders.js';
import { populatedPortal, type PopulatedPortal } from '../../test/tenant-builders.js';
import { listAccessRules } from '../auth/access.js';
import { buildSchema } from '../schema.js';

/**
 * Property-based fuzz of every mutation in the schema (a new one is fuzzed without a change
 * here): inputs of the right shape, with valid and foreign ids and hostile strings and numbers,
 * sent through the real HTTP endpoint by a signed-in organization admin (staff for STAFF
 * mutations). Whatever the input, the answer is never a 5xx nor an error other than the typed
 * ones, and a refused mutation writes nothing: every table of the database is compared before
 * and after each refused call.
 *
 * The runs are fixed by SEED (each mutation draws from SEED and its own name); fast-check
 * prints the seed and path of a failing run, and `fc.assert` replays it with them.
 */
const SEED = 20_251_130;
const RUNS_PER_MUTATION = 16;
/** Mutations without arguments have nothing to vary. */
const RUNS_WITHOUT_ARGUMENTS = 2;
const TYPED_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
];

const server = useTestServer({ smtp: false });
let portal: PopulatedPortal | undefined;
let db: pg.Client;
let tables: string[] = [];

// ---------------------------------------------------------------------------------------------
// Values

const HOSTILE_CHARACTERS = [
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uDBFF\uDBFF',
  '\u202E',
  '\u2066',
  '\u200F',
  '\u061C',
  '\u200B',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u0007',
  '\u001B',
  '\u007F',
  '\u0085',
  '\u2028',
  '\r\n',
  '\t',
];

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  "' OR 1=1 --",
  "'); drop table app; --",
  '"; select pg_sleep(10); --',
  '$1',
  '\\',
  '%',
  '_',
  '{"$ne":null}',
  '{"__proto__":{"admin":true}}',
  '__proto__',
  'constructor',
  '[]',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  '[click](javascript:alert(1))',
  '../../../../etc/passwd',
  '%00',
  '%2e%2e%2f',
  '${jndi:ldap://example.com/a}',
  '{{7*7}}',
  'e\u0301',
  'Ａｃｍｅ',
  'مرحبا',
  '👩‍👩‍👧‍👦',
  'javascript:alert(1)',
  'http://169.254.169.254/latest/meta-data/',
  'https://user:pass@example.com/',
  'http://[fe80::1]/',
  'http://metadata.google.internal/',
  'http://[fd00:ec2::254]/',
  'http://100.100.100.200/',
  'http://0.0.0.0/',
  'http://[::]/',
  'http://example.com/cb',
  'https://example.com/cb#fragment',
  'ftp://example.com/',
  '//example.com',
  'admin@example.com',
  'a@b',
  '@example.com',
  '/v1',
  '/',
  '//',
  '/v1/../admin',
  'example.com',
];

const hugeString = fc.constantFrom(
  'x'.repeat(10_000),
  'é'.repeat(3_000),
  '🚀'.repeat(2_000),
  `${'a'.repeat(100_000)}\u0000`,
  'A'.repeat(300_000),
);

const n = fc.nat(10_000);
const SENTENCE =
  'We are building a delivery tracker for small shops: it reads parcel events and texts customers.';

/** A value the field would accept, by its name (`websiteUrl`, `email`, `slug` …). */
function validString(fieldName: string): fc.Arbitrary<string> {
  if (/urls?$/i.test(fieldName)) {
    return fc.constantFrom(
      'https://example.com/',
      'https://example.com/callback',
      'http://localhost:3000/callback',
    );
  }
  if (fieldName === 'email') return n.map((i) => `fuzz-${i}@example.com`);
  if (fieldName === 'emailDomains') return fc.constantFrom('example.com', 'example.org');
  if (fieldName === 'slug') return n.map((i) => `fuzz-${i}`);
  if (/pathPrefixes$/.test(fieldName)) return n.map((i) => `/fuzz-${i}`);
  if (/password$/i.test(fieldName)) return fc.constant('a long enough password');
  if (fieldName === 'key') return fc.constantFrom('team', 'cost-centre');
  if (/^(useCase|description|reason|body|text|value)$/.test(fieldName)) {
    return fc.constantFrom(SENTENCE, `${SENTENCE}\nAnd a second line.`);
  }
  return fc.oneof(
    fc.constantFrom('Acme', 'Weather board', 'staging'),
    n.map((i) => `Fuzz ${i}`),
  );
}

/** Strings an attacker would send: broken, invisible, injected, huge, or aimed at metadata. */
function hostileString(fieldName: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(validString(fieldName), fc.constantFrom(...HOSTILE_CHARACTERS), fc.nat(200))
        .map(([valid, character, at]) => {
          const i = at % (valid.length + 1);
          return valid.slice(0, i) + character + valid.slice(i);
        }),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: hugeString },
  );
}

/**
 * `clean` inputs hold valid strings only (so that they get past validation and reach the
 * services with valid and foreign ids); `hostile` ones mix in hostile strings.
 */
type Mode = 'clean' | 'hostile';

function stringFor(fieldName: string, mode: Mode): fc.Arbitrary<string> {
  if (mode === 'clean') return validString(fieldName);
  return fc.oneof(
    { weight: 1, arbitrary: validString(fieldName) },
    { weight: 3, arbitrary: hostileString(fieldName) },
  );
}

const int: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 100 }) },
  { weight: 2, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31)) },
  // Not 32-bit integers: refused by GraphQL's own coercion.
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31, 2 ** 53, 1.5, -0.5, 1e300) },
);

const float: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 1_000_000 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-0, 0.5, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e308, -1e308),
  },
);

/** Ids by kind, read from a field's name (`appId`, `grantIds`, `id` of a token …). */
const ID_KINDS: Record<string, keyof Pools> = {
  organizationId: 'organization',
  projectId: 'project',
  appId: 'app',
  credentialId: 'credential',
  membershipId: 'membership',
  invitationId: 'invitation',
  grantId: 'grant',
  grantIds: 'grant',
  productId: 'product',
  productIds: 'product',
  planId: 'plan',
  devEnvironmentId: 'devEnvironment',
  reasonTemplateId: 'reasonTemplate',
  gatewayTokenId: 'gatewayToken',
  applicationId: 'application',
  ids: 'notification',
  id: 'token',
};

interface Pools {
  organization: string[];
  project: string[];
  app: string[];
  credential: string[];
  membership: string[];
  invitation: string[];
  grant: string[];
  product: string[];
  plan: string[];
  devEnvironment: string[];
  reasonTemplate: string[];
  gatewayToken: string[];
  application: string[];
  notification: string[];
  token: string[];
}

/** The viewer's own objects first (what reaches deep), then another organization's. */
let own: Pools;
let foreign: Pools;

function idFor(fieldName: string, mode: Mode): fc.Arbitrary<string> {
  const kind = ID_KINDS[fieldName];
  const anyKnown = fc.constantFrom(...Object.values(own).flat(), ...Object.values(foreign).flat());
  const malformed = fc.oneof(
    fc.constantFrom('', 'app_', 'org', 'x', 'usr_AAAAAAAAAAAAAAAAAAAA', 'app_AAAAAAAAAAAAAAAAAAAA'),
    hostileString(fieldName),
  );
  if (!kind) return fc.oneof({ weight: 3, arbitrary: anyKnown }, malformed);
  if (mode === 'clean') return fc.constantFrom(...(own[kind].length ? own[kind] : foreign[kind]));
  const ownIds = own[kind].length ? own[kind] : ['none_AAAAAAAAAAAAAAAAAAAA'];
  const foreignIds = foreign[kind].length ? foreign[kind] : ownIds;
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...ownIds) },
    { weight: 2, arbitrary: fc.constantFrom(...foreignIds) },
    { weight: 2, arbitrary: anyKnown },
    { weight: 1, arbitrary: malformed },
  );
}

/** A value of a GraphQL input type; `undefined` leaves an optional field out. */
function valueOf(type: GraphQLInputType, fieldName: string, mode: Mode): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueOfNullable(type.ofType, fieldName, mode);
  return fc.oneof(
    { weight: 4, arbitrary: valueOfNullable(type, fieldName, mode) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function valueOfNullable(
  type: GraphQLInputType,
  fieldName: string,
  mode: Mode,
): fc.Arbitrary<unknown> {
  if (isListType(type)) {
    const element = valueOf(type.ofType, fieldName, mode);
    if (mode === 'clean') return fc.array(element, { maxLength: 2 });
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(element, { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.array(element, { minLength: 20, maxLength: 60 }) },
    );
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return fc
      .tuple(...fields.map((field) => valueOf(field.type, field.name, mode)))
      .map((values) =>
        Object.fromEntries(
          fields
            .map((field, i) => [field.name, values[i]] as const)
            .filter(([, value]) => value !== undefined),
        ),
      );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'String':
        return stringFor(fieldName, mode);
      case 'ID':
        return idFor(fieldName, mode);
      case 'Int':
        return mode === 'clean' ? fc.integer({ min: 0, max: 30 }) : int;
      case 'Float':
        return mode === 'clean' ? fc.integer({ min: 0, max: 1_000 }) : float;
      case 'Boolean':
        return fc.boolean();
      case 'DateTimeISO':
        return fc
          .date({
            min: new Date('2000-01-01T00:00:00Z'),
            max: new Date('2100-01-01T00:00:00Z'),
            // fast-check 4 makes Invalid Dates unless told not to; they have no ISO text.
            noInvalidDate: true,
          })
          .map((date) => date.toISOString());
    }
  }
  throw new Error(`Teach the fuzz to make a ${String(type)} (for ${fieldName}).`);
}

// ---------------------------------------------------------------------------------------------
// Calls and snapshots

interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

/** Posts with the actor's session but keeps their cookie jar as it is (signIn cannot switch it). */
async function post(
  actor: SignedInUser,
  query: string,
  variables: Record<string, unknown>,
): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'apollo-require-preflight': 'true',
      cookie: actor.client.cookieHeader ?? '',
    },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await response.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(raw) as Answer['body'];
  } catch {
    body = { errors: [{ message: raw.slice(0, 200), extensions: { code: 'NOT_JSON' } }] };
  }
  return { status: response.status, body };
}

/** Every table's row count and a sum of its rows' hashes (any insert, update or delete shows). */
async function snapshot(): Promise<Record<string, string>> {
  const sql = tables
    .map(
      (table) =>
        `select '${table}' as t, count(*) || ':' || coalesce(sum(hashtextextended(x::text, 0)), 0) as h from "${table}" x`,
    )
    .join(' union all ');
  const { rows } = await db.query<{ t: string; h: string }>(sql);
  return Object.fromEntries(rows.map((row) => [row.t, row.h]));
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return tables.filter((table) => before[table] !== after[table]);
}

/** Columns that say whether an object is still usable: gone, revoked, decided, archived … */
const STATE =
  /^(status|role|revoked_at|deleted_at|archived_at|decided_at|accepted_at|declined_at)$/;
let tablesWithIds: string[] = [];

/** The state of every object in the pools, to tell when accepted calls used them up. */
async function poolState(): Promise<string> {
  const ids = [...Object.values(own).flat(), ...Object.values(foreign).flat()];
  const sql = tablesWithIds
    .map((table) => `select row_to_json(x) as r from "${table}" x where id::text = any($1)`)
    .join(' union all ');
  const { rows } = await db.query<{ r: Record<string, unknown> }>(sql, [ids]);
  const states = rows.map(({ r }) =>
    Object.entries(r)
      .filter(([column]) => column === 'id' || STATE.test(column))
      .map(([column, value]) => `${column}=${String(value)}`)
      .join(' '),
  );
  return states.sort().join('\n');
}

/** Signs the actor in again if a fuzzed call ended their session (signOut, password change …). */
async function ensureSignedIn(actor: SignedInUser): Promise<void> {
  const seen = await actor.client.execute<{ viewer: { id: string } | null }>(`{ viewer { id } }`);
  if (seen.data?.viewer?.id === actor.id) return;
  await actor.client.ok(
    `mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`,
    { input: { email: actor.email, password: actor.password } },
  );
}

async function notificationIdsOf(client: TestClient): Promise<string[]> {
  const data = await client.ok<{ viewer: { notifications: { nodes: { id: string }[] } } }>(
    `{ viewer { notifications(first: 20) { nodes { id } } } }`,
  );
  return data.viewer.notifications.nodes.map((node) => node.id);
}

/** The portal's objects, and the id pools drawn from them; made again after damage. */
async function setUpPortal(): Promise<void> {
  const made = await populatedPortal(server, portal);
  portal = made;
  const pools = async (tenant: PopulatedPortal['tenant']): Promise<Pools> => ({
    organization: [tenant.ids.organizationId],
    project: [tenant.ids.projectId],
    app: [tenant.ids.appId],
    credential: [tenant.ids.credentialId, tenant.ids.graceCredentialId],
    membership: [tenant.ids.membershipId],
    invitation: [tenant.ids.invitationId],
    grant: [tenant.ids.grantId],
    product: [made.productId, made.otherProductId],
    plan: [made.planId],
    devEnvironment: [tenant.ids.devEnvironmentId],
    reasonTemplate: [made.reasonTemplateId],
    gatewayToken: [made.gatewayTokenId],
    application: [made.applicationId],
    notification: await notificationIdsOf(tenant.admin.client),
    token: [tenant.ids.tokenId],
  });
  own = await pools(made.tenant);
  own.notification.push(...(await notificationIdsOf(made.staff.client)));
  foreign = await pools(made.other);
  foreign.notification.push(...(await notificationIdsOf(made.applicant.client)));
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ table_name: string }>(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  tables = rows.map((row) => row.table_name);
  const withIds = await db.query<{ table_name: string }>(
    `select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'id' order by table_name`,
  );
  tablesWithIds = withIds.rows.map((row) => row.table_name).filter((t) => tables.includes(t));
  await setUpPortal();
}, 120_000);

afterAll(async () => {
  await db?.end();
});

/** A stable number per mutation name, so adding a mutation leaves the others' runs as they were. */
function seedOf(name: string): number {
  let hash = SEED;
  for (const character of name) hash = (Math.imul(hash, 31) + character.charCodeAt(0)) | 0;
  return hash;
}

function operationFor(field: GraphQLField<unknown, unknown>): string {
  const variables = field.args.map((arg, i) => `$a${i}: ${String(arg.type)}`).join(', ');
  const args = field.args.map((arg, i) => `${arg.name}: $a${i}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `mutation${variables ? ` (${variables})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

const schema = await buildSchema();
const rules = listAccessRules(schema);
const mutations = Object.values(schema.getMutationType()!.getFields());
const totals = { calls: 0, refused: 0, accepted: 0, portals: 1 };

describe('every mutation, fuzzed through HTTP', () => {
  it('finds the mutations in the schema', () => {
    expect(mutations.length).toBeGreaterThan(40);
  });

  it.each(mutations.map((field) => [field.name, field] as const))(
    '%s answers with typed errors only, and writes nothing when it refuses',
    async (name, field) => {
      const actorOf = (): SignedInUser =>
        rules.get(`Mutation.${name}`) === 'STAFF' ? portal!.staff : portal!.tenant.admin;
      const operation = operationFor(field);
      const variablesIn = (mode: Mode) =>
        fc
          .tuple(...field.args.map((arg) => valueOf(arg.type, arg.name, mode)))
          .map((values) =>
            Object.fromEntries(
              values
                .map((value, i) => [`a${i}`, value] as const)
                .filter(([, value]) => value !== undefined),
            ),
          );
      const variables = fc.oneof(
        { weight: 1, arbitrary: variablesIn('clean') },
        { weight: 3, arbitrary: variablesIn('hostile') },
      );
      const poolsBefore = await poolState();
      let last = await snapshot();
      const property = fc.asyncProperty(variables, async (vars) => {
        const actor = actorOf();
        const answer = await post(actor, operation, vars);
        totals.calls++;
        const shown = `${operation}\nvariables: ${JSON.stringify(vars).slice(0, 800)}\nanswer: ${answer.status} ${JSON.stringify(answer.body).slice(0, 800)}`;
        expect(answer.status, shown).toBeLessThan(500);
        const errors = answer.body.errors ?? [];
        // Over 1 MB, the body is refused before any operation runs (BAD_REQUEST, as any body
        // that cannot be read); everything else is an operation's typed error.
        const codes = answer.status === 413 ? ['BAD_REQUEST'] : TYPED_CODES;
        for (const error of errors) {
          expect(codes, shown).toContain(error.extensions?.code);
        }
        if (errors.length) {
          totals.refused++;
          const after = await snapshot();
          expect(changedTables(last, after), `a refused call wrote rows\n${shown}`).toEqual([]);
        } else {
          totals.accepted++;
          expect(answer.body.data?.[name], shown).toBeDefined();
          // What the call left running after it answered (a sign-up's work) lands first.
          await server.app.services.background.settled();
          await ensureSignedIn(actor);
          last = await snapshot();
        }
      });
      const seed = seedOf(name);
      try {
        await fc.assert(property, {
          seed,
          numRuns: field.args.length ? RUNS_PER_MUTATION : RUNS_WITHOUT_ARGUMENTS,
          endOnFailure: true,
          // The counterexample may hold megabytes of text: say which run failed, and how.
          reporter: (details) => {
            if (!details.failed) return;
            const cause =
              details.errorInstance instanceof Error ? details.errorInstance.message : '';
            throw new Error(
              `Mutation.${name} failed on run ${details.numRuns} ` +
                `(replay with { seed: ${details.seed}, path: "${details.counterexamplePath}" }):\n` +
                cause.slice(0, 3_000),
            );
          },
        });
      } finally {
        // Accepted calls may have deleted, revoked or decided what the next mutations need.
        if ((await poolState()) !== poolsBefore) {
          await setUpPortal();
          totals.portals++;
        }
      }
    },
  );

  it('got past validation often enough to reach the services', () => {
    console.info(`mutations fuzzed: ${JSON.stringify(totals)}`);
    expect(totals.accepted, JSON.stringify(totals)).toBeGreaterThan(20);
  });
});
