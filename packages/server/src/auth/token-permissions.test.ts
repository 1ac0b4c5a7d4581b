import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from 'graphql';
import { buildSchema as buildTypeGraphQLSchema, Query, Resolver } from 'type-graphql';
import {
  startTestServer,
  subscribe,
  type TestClient,
  type TestServer,
} from '../../test/harness.js';
import { setUpTenant, type Case, type Role, type Tenant } from '../../test/operation-cases.js';
import { bearerClient, fineGrainedToken, type Permissions } from '../../test/token-builders.js';
import type { SignedInUser } from '../../test/builders.js';
import { guardFields } from '../schema.js';
import type { Context } from '../context.js';
import { Access, listAccessRules } from './access.js';
import {
  AREA_SCOPES,
  OPERATION_PERMISSIONS,
  TOKEN_AREAS,
  TokenAccess,
  TokenArea,
  type OperationPermission,
} from './token-permissions.js';

/**
 * Fine-grained tokens against every root operation of the schema: each operation is mapped to
 * exactly one area and level (OPERATION_PERMISSIONS); run with a token holding just that, it
 * gets what the same user's session gets; with one level less, or with every other area but
 * that one, the token is refused (FORBIDDEN, `extensions.reason` TOKEN_PERMISSION) before
 * anything runs. Operations open to anyone answer a token; session-only ones refuse it; an
 * operation missing from the table is refused.
 */
let server: TestServer;
let tenant: Tenant;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await setUpTenant(server);
});

afterAll(async () => {
  await server?.close();
});

const TOKEN_REFUSAL = 'TOKEN_PERMISSION';

interface Outcome {
  /** `ok`, `null`, or the first error's code. */
  outcome: string;
  /** The first error's `extensions.reason`, if any. */
  reason: string | null;
}

/** The organization the case's variables point into (through any id they hold), if any. */
async function organizationOf(variables: Record<string, unknown>): Promise<string | null> {
  const ids = JSON.stringify(variables).match(/\b[a-z]{3}_[0-9A-Za-z]+\b/g) ?? [];
  const owners: Record<string, string> = {
    app: 'select organization_id as id from app where id = ?',
    prj: 'select organization_id as id from project where id = ?',
    crd: 'select a.organization_id as id from credential c join app a on a.id = c.app_id where c.id = ?',
    grt: 'select a.organization_id as id from product_grant g join app a on a.id = g.app_id where g.id = ?',
    whk: 'select organization_id as id from webhook_endpoint where id = ?',
    whd: 'select e.organization_id as id from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id where d.id = ?',
    mem: 'select organization_id as id from membership where id = ?',
    inv: 'select organization_id as id from invitation where id = ?',
    env: 'select organization_id as id from dev_environment where id = ?',
  };
  for (const id of ids) {
    const prefix = id.slice(0, 3);
    if (prefix === 'org') return id;
    const query = owners[prefix];
    if (!query) continue;
    const [row] = await server.orm.em.fork().getConnection().execute<{ id: string }[]>(query, [id]);
    if (row) return row.id;
  }
  return null;
}

/** Runs the case with `client` (and the variables given) and says what came of it. */
async function run(
  name: string,
  testCase: Case,
  client: TestClient,
  variables: Record<string, unknown>,
): Promise<Outcome> {
  if (name.startsWith('Subscription.')) {
    const live = await subscribe(server, client, testCase.document, variables);
    try {
      const error = live.errors?.[0];
      if (!error) return { outcome: 'ok', reason: null };
      const extensions = error.extensions as { code?: string; reason?: string } | undefined;
      return { outcome: extensions?.code ?? error.message, reason: extensions?.reason ?? null };
    } finally {
      await live.close();
    }
  }
  const result = await client.execute<Record<string, unknown>>(testCase.document, variables);
  const error = result.errors?.[0] as
    { message: string; extensions?: { code?: string; reason?: string } } | undefined;
  if (error) {
    return {
      outcome: error.extensions?.code ?? error.message,
      reason: error.extensions?.reason ?? null,
    };
  }
  const value = result.data ? Object.values(result.data)[0] : null;
  return { outcome: value === null || value === undefined ? 'null' : 'ok', reason: null };
}

/** Who runs an operation of `area`: staff for the staff areas, else the tenant's admin. */
function roleFor(area: TokenArea | null): Role {
  return area !== null && AREA_SCOPES[area] === 'staff' ? 'staff' : 'admin';
}

function userOf(role: Role): SignedInUser {
  return role === 'staff' ? tenant.staff : tenant.admin;
}

/** Every area a token bound like this may be given, at WRITE, but `missing`. */
function everyAreaBut(missing: TokenArea | null, role: Role, bound: boolean): Permissions {
  const permissions: Permissions = {};
  for (const area of TOKEN_AREAS) {
    if (area === missing) continue;
    const scope = AREA_SCOPES[area];
    if (bound && scope !== 'organization') continue;
    if (scope === 'staff' && role !== 'staff') continue;
    permissions[area] = TokenAccess.WRITE;
  }
  return permissions;
}

/**
 * A token of `role`'s user with `permissions`, bound to the organization the variables point
 * into for organization areas (the tenant's when none), to their own account otherwise.
 */
async function tokenClient(
  role: Role,
  permissions: Permissions,
  organizationId: string | null,
): Promise<TestClient> {
  const { token } = await fineGrainedToken(userOf(role), { organizationId, permissions });
  return bearerClient(server, token);
}

const OPERATIONS = Object.entries(OPERATION_PERMISSIONS) as [string, OperationPermission][];

describe('the operations table', () => {
  it('has an entry for every root operation of the schema, and no others', () => {
    const operations = [...listAccessRules(server.app.schema).keys()].sort();
    expect(Object.keys(OPERATION_PERMISSIONS).sort()).toEqual(operations);
  });

  it('agrees with the access rules: public, session-only and staff operations', () => {
    const rules = listAccessRules(server.app.schema);
    const disagreements: string[] = [];
    for (const [name, permission] of OPERATIONS) {
      const rule = rules.get(name);
      const area = typeof permission === 'string' ? null : permission[0];
      const staffArea = area !== null && AREA_SCOPES[area] === 'staff';
      const agrees =
        (permission === 'public') === (rule === 'PUBLIC') &&
        (permission === 'session') === (rule === 'SESSION') &&
        staffArea === (rule === 'STAFF') &&
        (permission !== 'result' || name === 'Query.node');
      if (!agrees) disagreements.push(`${name}: ${String(permission)} but ${String(rule)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('asks WRITE of every mutation and READ of every query and subscription', () => {
    const wrong = OPERATIONS.filter(([name, permission]) => {
      if (typeof permission === 'string') return false;
      return (permission[1] === TokenAccess.WRITE) !== name.startsWith('Mutation.');
    }).map(([name]) => name);
    expect(wrong).toEqual([]);
  });

  it('refuses fine-grained tokens an operation it does not list, at run time', async () => {
    @Resolver()
    class Unlisted {
      @Access('SIGNED_IN')
      @Query(() => String)
      unlistedOperation(): string {
        return 'ran';
      }
    }
    const schema = await buildTypeGraphQLSchema({ resolvers: [Unlisted], validate: false });
    guardFields(schema);
    const viewer = { user: { platformRole: 'DEVELOPER' }, scopes: [], sessionId: null };
    const asToken = await graphql({
      schema,
      source: '{ unlistedOperation }',
      contextValue: {
        viewer: {
          ...viewer,
          via: 'token',
          tokenId: 'pat_x',
          grant: { organizationId: null, permissions: { ACCOUNT: 'WRITE', APPS: 'WRITE' } },
        },
      } as unknown as Context,
    });
    expect(asToken.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asSession = await graphql({
      schema,
      source: '{ unlistedOperation }',
      contextValue: {
        viewer: { ...viewer, via: 'session', tokenId: null, grant: null },
      } as unknown as Context,
    });
    expect(asSession.data).toEqual({ unlistedOperation: 'ran' });
  });
});

describe('each root operation with a fine-grained token', () => {
  it.each(OPERATIONS)('%s', async (name, permission) => {
    const testCase = tenant.cases[name];
    if (!testCase) throw new Error(`No case for ${name}`);
    const area = typeof permission === 'string' ? null : permission[0];
    const role = roleFor(area);
    const bound = area !== null && AREA_SCOPES[area] === 'organization';
    const variables = async () => (await testCase.variables?.(role)) ?? {};
    const binding = async (given: Record<string, unknown>) =>
      bound ? ((await organizationOf(given)) ?? tenant.ids.orgId) : null;

    if (permission === 'session') {
      // Not even a token with every area it may have.
      const given = await variables();
      const client = await tokenClient(role, everyAreaBut(null, role, false), null);
      expect((await run(name, testCase, client, given)).outcome).toBe('FORBIDDEN');
      return;
    }
    if (permission === 'public') {
      const given = await variables();
      const client = await tokenClient(role, { ACCOUNT: TokenAccess.READ }, null);
      expect(await run(name, testCase, client, given)).toEqual({ outcome: 'ok', reason: null });
      return;
    }
    if (permission === 'result') {
      // `node(id:)` of the tenant's app: READ on APPS, and nothing else, is what it takes.
      const given = await variables();
      const reads = await tokenClient(role, { APPS: TokenAccess.READ }, tenant.ids.orgId);
      expect(await run(name, testCase, reads, given)).toEqual({ outcome: 'ok', reason: null });
      const others = await tokenClient(
        role,
        everyAreaBut(TokenArea.APPS, role, true),
        tenant.ids.orgId,
      );
      expect(await run(name, testCase, others, given)).toMatchObject({ reason: TOKEN_REFUSAL });
      return;
    }
    const [needed, level] = permission;

    // What the user's own session gets.
    const sessionVariables = await variables();
    const session = await run(name, testCase, tenant.clientOf(role), sessionVariables);
    expect(session.reason, 'the session is never refused for a token').toBeNull();

    // Exactly the permission: the same outcome, not refused for the token.
    const exactVariables = await variables();
    const exact = await tokenClient(
      role,
      { [needed]: level } as Permissions,
      await binding(exactVariables),
    );
    expect(await run(name, testCase, exact, exactVariables), 'with exactly its permission').toEqual(
      {
        outcome: session.outcome,
        reason: null,
      },
    );

    // One level less: READ for a WRITE operation; for a READ one, the area not given (another
    // area is, since a token needs one).
    const lessVariables = await variables();
    const lessPermissions: Permissions =
      level === TokenAccess.WRITE
        ? ({ [needed]: TokenAccess.READ } as Permissions)
        : { [needed === TokenArea.USAGE ? TokenArea.APPS : TokenArea.USAGE]: TokenAccess.WRITE };
    const less = await tokenClient(role, lessPermissions, await binding(lessVariables));
    expect(await run(name, testCase, less, lessVariables), 'with one level less').toEqual({
      outcome: 'FORBIDDEN',
      reason: TOKEN_REFUSAL,
    });

    // Every other area at WRITE, but not this one.
    const wrongVariables = await variables();
    const wrong = await tokenClient(
      role,
      everyAreaBut(needed, role, bound),
      await binding(wrongVariables),
    );
    expect(await run(name, testCase, wrong, wrongVariables), 'with the wrong areas').toEqual({
      outcome: 'FORBIDDEN',
      reason: TOKEN_REFUSAL,
    });
  });
});
