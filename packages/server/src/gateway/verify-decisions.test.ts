import { beforeAll, describe, expect, it } from 'vitest';
import { orgWithMembers, type OrgWithMembers } from '../../test/app-builders.js';
import { signUpUser, type SignedInUser } from '../../test/builders.js';
import {
  appInOrg,
  awayFromWindowEdge,
  countedRequests,
  createGatewayToken,
  deleteApp,
  devEnvironmentFor,
  endCredentialGrace,
  eventually,
  flushAll,
  gatewayProduct,
  issueCredential,
  keysVerify,
  outcome,
  planFor,
  postUsage,
  regenerateCredential,
  reloadCatalogs,
  revokeCredential,
  revokeGrant,
  rotateCredential,
  secondsToNextMonth,
  sql,
  uniquePrefix,
  verify,
  withdrawGrantRequest,
  type GatewayProduct,
  type IssuedCredential,
  type VerifyAnswer,
  type VerifyCall,
} from '../../test/gateway-builders.js';
import { decideGrants, requestProducts } from '../../test/grant-builders.js';
import type { TestClient } from '../../test/harness.js';
import { useTestServer } from '../../test/harness.js';
import { writeMinutes } from '../../test/usage-builders.js';
import { generateToken } from '../crypto.js';
import { ApiProduct, ApprovalMode } from '../modules/products/products.entity.js';

// Without SMTP the server keeps mail in its outbox: staff decisions do not wait on delivery.
// The tables of independent cases (each with its own app and credential) run concurrently.
const server = useTestServer({ smtp: false });

let staff: SignedInUser;
/** One organization for the cases that do not depend on org-wide state (caps, plans). */
let org: OrgWithMembers;
let client: TestClient;
/** AUTO-approved and MANUAL products with prefixes of their own. */
let auto: GatewayProduct;
let manual: GatewayProduct;

beforeAll(async () => {
  [staff, org] = await Promise.all([signUpUser(server, { staff: true }), orgWithMembers(server)]);
  const admin = org.admins[0];
  if (!admin) throw new Error('no admin');
  client = admin.client;
  auto = await gatewayProduct(server);
  manual = await gatewayProduct(server, { approvalMode: ApprovalMode.MANUAL });
});

const call = (token: string, uri: string, more: Partial<VerifyCall> = {}): VerifyCall => ({
  token,
  uri,
  ...more,
});

/** Asserts a denial's full shape: status, code, message, and the 401 challenge. */
function expectDenied(answer: VerifyAnswer, status: number, code: string): void {
  expect(outcome(answer)).toBe(`${status} ${code}`);
  expect(answer.body.allowed).toBe(false);
  expect(typeof answer.body.message).toBe('string');
  expect(String(answer.body.message).length).toBeGreaterThan(0);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.headers.get('x-portico-app')).toBeNull();
  if (status === 401) {
    expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  } else {
    expect(answer.headers.get('www-authenticate')).toBeNull();
  }
}

async function setAppStatus(appId: string, status: string): Promise<void> {
  await sql(server, 'update app set status = ? where id = ?', [status, appId]);
}

describe('app status × credential state', () => {
  const cases = [
    { status: 'ACTIVE', expected: '200 allowed' },
    { status: 'PENDING', expected: '403 app_pending' },
    { status: 'REJECTED', expected: '403 app_rejected' },
    { status: 'SUSPENDED', expected: '403 app_suspended' },
  ];

  it.concurrent.each(cases)(
    'an app $status: an active credential and one in grace → $expected',
    async ({ status, expected }) => {
      const { appId, credential } = await appInOrg(client, org.id, [auto]);
      const successor = await rotateCredential(client, credential.id, 7);
      await setAppStatus(appId, status);
      // Neither credential was verified yet, so the cache reads the status just set.
      const inGrace = await verify(server.url, call(credential.secret, `${auto.prefix}/a`));
      const active = await verify(server.url, call(successor.secret, `${auto.prefix}/a`));
      expect(outcome(inGrace)).toBe(expected);
      expect(outcome(active)).toBe(expected);
      if (expected === '200 allowed') {
        expect(inGrace.headers.get('x-portico-credential')).toBe(credential.id);
        expect(active.headers.get('x-portico-credential')).toBe(successor.id);
        expect(active.headers.get('x-portico-app')).toBe(appId);
      } else {
        expectDenied(inGrace, 403, expected.slice(4));
      }
    },
  );

  it('reads a status changed under a cached credential once the organization is evicted', async () => {
    const { appId, credential } = await appInOrg(client, org.id, [auto]);
    const request = call(credential.secret, `${auto.prefix}/a`);
    expect(outcome(await verify(server.url, request))).toBe('200 allowed');
    await setAppStatus(appId, 'SUSPENDED');
    server.app.gateway.cache.evictOrganization(org.id);
    expectDenied(await verify(server.url, request), 403, 'app_suspended');
  });

  it('checks the credential, then the product, then the app: the first failure wins', async () => {
    const revoked = await appInOrg(client, org.id, [auto]);
    await revokeCredential(client, revoked.credential.id);
    await setAppStatus(revoked.appId, 'SUSPENDED');
    const rotated = await appInOrg(client, org.id, [auto]);
    await rotateCredential(client, rotated.credential.id, 0);
    await setAppStatus(rotated.appId, 'SUSPENDED');
    const pending = await appInOrg(client, org.id, []);
    await setAppStatus(pending.appId, 'PENDING');

    const uri = `${auto.prefix}/a`;
    expectDenied(
      await verify(server.url, call(revoked.credential.secret, uri)),
      401,
      'revoked_credential',
    );
    expectDenied(
      await verify(server.url, call(rotated.credential.secret, uri)),
      401,
      'expired_credential',
    );
    // Not granted either, but the app's status is checked first.
    expectDenied(
      await verify(server.url, call(pending.credential.secret, uri)),
      403,
      'app_pending',
    );
    // No product serves the path: that comes before the app's status.
    expectDenied(
      await verify(server.url, call(pending.credential.secret, `${uniquePrefix()}/a`)),
      403,
      'unknown_product',
    );
  });
});

describe('credential states', () => {
  interface CredentialCase {
    name: string;
    /** Makes the state; returns the credentials to verify with what each must answer. */
    arrange: () => Promise<{ token: string; expected: string }[]>;
  }

  const cases: CredentialCase[] = [
    {
      name: 'active',
      arrange: async () => {
        const { credential } = await appInOrg(client, org.id, [auto]);
        return [{ token: credential.secret, expected: '200 allowed' }];
      },
    },
    {
      name: 'rotated, in grace (and its successor)',
      arrange: async () => {
        const { credential } = await appInOrg(client, org.id, [auto]);
        const successor = await rotateCredential(client, credential.id, 3);
        return [
          { token: credential.secret, expected: '200 allowed' },
          { token: successor.secret, expected: '200 allowed' },
        ];
      },
    },
    {
      name: 'rotated, grace ended in the past',
      arrange: async () => {
        const { credential } = await appInOrg(client, org.id, [auto]);
        const successor = await rotateCredential(client, credential.id, 3);
        await sql(
          server,
          "update credential set expires_at = now() - interval '1 minute' where id = ?",
          [credential.id],
        );
        return [
          { token: credential.secret, expected: '401 expired_credential' },
          { token: successor.secret, expected: '200 allowed' },
        ];
      },
    },
    {
      name: 'rotated with no grace (graceDays 0)',
      arrange: async () => {
        const { credential } = await appInOrg(client, org.id, [auto]);
        await rotateCredential(client, credential.id, 0);
        return [{ token: credential.secret, expected: '401 expired_credential' }];
      },
    },
    {
      name: 'revoked',
      arrange: async () => {
        const { credential } = await appInOrg(client, org.id, [auto]);
        await revokeCredential(client, credential.id);
        return [{ token: credential.secret, expected: '401 revoked_credential' }];
      },
    },
    {
      name: 'revoked while in grace',
      arrange: async () => {
        const { credential } = await appInOrg(client, org.id, [auto]);
        await rotateCredential(client, credential.id, 3);
        await revokeCredential(client, credential.id);
        return [{ token: credential.secret, expected: '401 revoked_credential' }];
      },
    },
    {
      name: 'regenerated away (and the new one)',
      arrange: async () => {
        const { credential } = await appInOrg(client, org.id, [auto]);
        const replacement = await regenerateCredential(client, credential.id);
        return [
          { token: credential.secret, expected: '401 revoked_credential' },
          { token: replacement.secret, expected: '200 allowed' },
        ];
      },
    },
    {
      name: 'of a deleted app (active and in grace)',
      arrange: async () => {
        const { appId, credential } = await appInOrg(client, org.id, [auto]);
        const successor = await rotateCredential(client, credential.id, 3);
        await deleteApp(client, appId);
        return [
          { token: credential.secret, expected: '401 revoked_credential' },
          { token: successor.secret, expected: '401 revoked_credential' },
        ];
      },
    },
    {
      name: 'of a deleted app whose revocation was not written (app tombstone alone)',
      arrange: async () => {
        const { appId, credential } = await appInOrg(client, org.id, [auto]);
        await sql(server, 'update app set deleted_at = now() where id = ?', [appId]);
        return [{ token: credential.secret, expected: '401 revoked_credential' }];
      },
    },
  ];

  it.concurrent.each(cases)('$name', async ({ arrange }) => {
    const checks = await arrange();
    for (const { token, expected } of checks) {
      const answer = await verify(server.url, call(token, `${auto.prefix}/items`));
      expect(outcome(answer)).toBe(expected);
      if (answer.status === 401) expectDenied(answer, 401, expected.slice(4));
    }
  });

  it('stops a cached credential in grace when its grace is ended through the API', async () => {
    const { credential } = await appInOrg(client, org.id, [auto]);
    await rotateCredential(client, credential.id, 3);
    const request = call(credential.secret, `${auto.prefix}/a`);
    expect(outcome(await verify(server.url, request))).toBe('200 allowed');
    await endCredentialGrace(client, credential.id);
    const { value, elapsedMs } = await eventually(async () => {
      const answer = await verify(server.url, request);
      expect(answer.status).toBe(401);
      return answer;
    });
    expectDenied(value, 401, 'expired_credential');
    expect(elapsedMs).toBeLessThan(1000);
  });
});

describe('grant states', () => {
  interface GrantCase {
    name: string;
    product: () => GatewayProduct;
    /** Brings the app's grants for the product into the state; may leave it ungranted. */
    arrange: (appId: string) => Promise<void>;
    expected: string;
  }

  const request = async (appId: string, product: GatewayProduct): Promise<string> => {
    const { grants } = await requestProducts(client, appId, [product.id]);
    const grant = grants[0];
    if (!grant) throw new Error('no grant');
    return grant.id;
  };
  const approved = async (appId: string): Promise<string> => {
    const grantId = await request(appId, manual);
    await decideGrants(staff, [grantId], 'APPROVE');
    return grantId;
  };

  const cases: GrantCase[] = [
    {
      name: 'no grant at all',
      product: () => manual,
      arrange: async () => {},
      expected: '403 not_granted',
    },
    {
      name: 'granted another product only',
      product: () => manual,
      arrange: async (appId) => {
        await request(appId, auto);
      },
      expected: '403 not_granted',
    },
    {
      name: 'PENDING',
      product: () => manual,
      arrange: async (appId) => {
        await request(appId, manual);
      },
      expected: '403 grant_pending',
    },
    {
      name: 'APPROVED by staff',
      product: () => manual,
      arrange: async (appId) => {
        await approved(appId);
      },
      expected: '200 allowed',
    },
    {
      name: 'APPROVED at once (AUTO product)',
      product: () => auto,
      arrange: async (appId) => {
        await request(appId, auto);
      },
      expected: '200 allowed',
    },
    {
      name: 'REJECTED',
      product: () => manual,
      arrange: async (appId) => {
        await decideGrants(staff, [await request(appId, manual)], 'REJECT');
      },
      expected: '403 grant_rejected',
    },
    {
      name: 'REVOKED',
      product: () => manual,
      arrange: async (appId) => {
        await revokeGrant(staff.client, await approved(appId));
      },
      expected: '403 grant_revoked',
    },
    {
      name: 'WITHDRAWN',
      product: () => manual,
      arrange: async (appId) => {
        await withdrawGrantRequest(client, await request(appId, manual));
      },
      expected: '403 not_granted',
    },
    {
      name: 'revoked, then asked again (the new request is PENDING)',
      product: () => manual,
      arrange: async (appId) => {
        await revokeGrant(staff.client, await approved(appId));
        await request(appId, manual);
      },
      expected: '403 grant_pending',
    },
    {
      name: 'revoked, asked again and approved',
      product: () => manual,
      arrange: async (appId) => {
        await revokeGrant(staff.client, await approved(appId));
        await decideGrants(staff, [await request(appId, manual)], 'APPROVE');
      },
      expected: '200 allowed',
    },
    {
      name: 'revoked, then asked again on an AUTO product (approved at once)',
      product: () => auto,
      arrange: async (appId) => {
        await revokeGrant(staff.client, await request(appId, auto));
        await request(appId, auto);
      },
      expected: '200 allowed',
    },
    {
      name: 'rejected, then asked again',
      product: () => manual,
      arrange: async (appId) => {
        await decideGrants(staff, [await request(appId, manual)], 'REJECT');
        await request(appId, manual);
      },
      expected: '403 grant_pending',
    },
    {
      name: 'revoked, asked again, and that request withdrawn (the revocation counts again)',
      product: () => manual,
      arrange: async (appId) => {
        await revokeGrant(staff.client, await approved(appId));
        await withdrawGrantRequest(client, await request(appId, manual));
      },
      expected: '403 grant_revoked',
    },
  ];

  it.concurrent.each(cases)('$name → $expected', async ({ product, arrange, expected }) => {
    const { appId } = await appInOrg(client, org.id, []);
    await arrange(appId);
    // A credential made after the state is set: the cache has never seen it.
    const credential = await issueCredential(client, appId);
    const answer = await verify(server.url, call(credential.secret, `${product().prefix}/x`));
    expect(outcome(answer)).toBe(expected);
    if (answer.status === 200) expect(answer.headers.get('x-portico-product')).toBe(product().slug);
    else expectDenied(answer, 403, expected.slice(4));
  });

  it('refuses a cached credential within a second of staff revoking its grant', async () => {
    const { appId } = await appInOrg(client, org.id, []);
    const grantId = await approved(appId);
    const credential = await issueCredential(client, appId);
    const request = call(credential.secret, `${manual.prefix}/x`);
    expect(outcome(await verify(server.url, request))).toBe('200 allowed');
    await revokeGrant(staff.client, grantId);
    const { value, elapsedMs } = await eventually(async () => {
      const answer = await verify(server.url, request);
      expect(answer.status).toBe(403);
      return answer;
    });
    expectDenied(value, 403, 'grant_revoked');
    expect(elapsedMs).toBeLessThan(1000);
  });
});

describe('permission levels × methods × paths', () => {
  const RANK: Record<string, number> = { READ: 1, READ_WRITE: 2, READ_WRITE_DM: 3 };
  const subjects = [
    { level: 'READ', kind: 'CONSUMER_KEY', granted: 'READ' },
    { level: 'READ_WRITE', kind: 'CONSUMER_KEY', granted: 'READ_WRITE' },
    { level: 'READ_WRITE_DM', kind: 'CONSUMER_KEY', granted: 'READ_WRITE_DM' },
    // An app-only bearer token acts at READ whatever its app may do.
    { level: 'READ_WRITE_DM', kind: 'BEARER_TOKEN', granted: 'READ' },
  ];
  const credentials = new Map<string, IssuedCredential>();
  beforeAll(async () => {
    for (const { level, kind } of subjects) {
      const { credential } = await appInOrg(client, org.id, [auto], {
        permissionLevel: level,
        kind,
      });
      credentials.set(`${level} ${kind}`, credential);
    }
  });

  const rows = subjects.flatMap((subject) =>
    ['GET', 'HEAD', 'POST', 'DELETE'].flatMap((method) =>
      [false, true].map((dm) => {
        const required = dm
          ? 'READ_WRITE_DM'
          : method === 'GET' || method === 'HEAD'
            ? 'READ'
            : 'READ_WRITE';
        const allowed = (RANK[subject.granted] ?? 0) >= (RANK[required] ?? 9);
        return { ...subject, method, dm, required, allowed };
      }),
    ),
  );

  it.each(rows)(
    '$level $kind: $method (dm path: $dm) → allowed: $allowed',
    async ({ level, kind, granted, method, dm, required, allowed }) => {
      const credential = credentials.get(`${level} ${kind}`);
      if (!credential) throw new Error('no credential');
      const path = dm ? `${auto.dmPrefix}/messages` : `${auto.prefix}/items`;
      const answer = await verify(server.url, call(credential.secret, path, { method }));
      if (allowed) {
        expect(outcome(answer)).toBe('200 allowed');
        expect(answer.headers.get('x-portico-credential')).toBe(credential.id);
      } else {
        expectDenied(answer, 403, 'insufficient_permission');
        expect(answer.body).toMatchObject({ required, granted });
      }
    },
  );

  it('treats OPTIONS as a read, reads the method case-insensitively, and takes the DM prefix at a segment boundary', async () => {
    const read = credentials.get('READ CONSUMER_KEY');
    const write = credentials.get('READ_WRITE CONSUMER_KEY');
    if (!read || !write) throw new Error('no credential');
    const p = auto.prefix;
    const expectations: [IssuedCredential, string, string, string][] = [
      [read, 'OPTIONS', `${p}/items`, '200 allowed'],
      [read, 'post', `${p}/items`, '403 insufficient_permission'],
      [read, 'PUT', `${p}/items`, '403 insufficient_permission'],
      [read, 'PATCH', `${p}/items`, '403 insufficient_permission'],
      [write, 'post', `${p}/items`, '200 allowed'],
      [write, 'GET', `${p}/dm`, '403 insufficient_permission'],
      [write, 'GET', `${p}/dm?cursor=1`, '403 insufficient_permission'],
      [write, 'POST', `${p}/dmx`, '200 allowed'],
      [write, 'POST', `${p}/items/dm`, '200 allowed'],
      // Dot segments are resolved before the DM prefix is looked for; encoded ones are refused
      // (an upstream may or may not decode them: see original-uri.ts).
      [write, 'POST', `${p}/items/../dm/send`, '403 insufficient_permission'],
      [write, 'POST', `${p}/items/%2e%2e/dm/send`, '400 ambiguous_path'],
    ];
    const seen = [];
    for (const [credential, method, path] of expectations) {
      seen.push(outcome(await verify(server.url, call(credential.secret, path, { method }))));
    }
    expect(seen).toEqual(expectations.map(([, , , expected]) => expected));
  });

  // BUG (see the report): the path is matched as sent, percent-encoding and all, so
  // `/p/%64m/send` (which the upstream API decodes to `/p/dm/send`) escapes the DM prefix.
  it('decodes percent-encoded characters before looking for the DM prefix', async () => {
    const write = credentials.get('READ_WRITE CONSUMER_KEY');
    if (!write) throw new Error('no credential');
    const seen = [];
    for (const path of [`${auto.prefix}/%64m/send`, `${auto.prefix}/d%6D/send`]) {
      seen.push(outcome(await verify(server.url, call(write.secret, path, { method: 'POST' }))));
    }
    expect(seen).toEqual(['403 insufficient_permission', '403 insufficient_permission']);
  });

  it.concurrent.each(['CONSUMER_KEY', 'BEARER_TOKEN', 'ACCESS_TOKEN', 'OAUTH2_CLIENT'])(
    'a %s reads; only a bearer token cannot write',
    async (kind) => {
      const { credential } = await appInOrg(client, org.id, [auto], {
        permissionLevel: 'READ_WRITE',
        kind,
      });
      const read = await verify(server.url, call(credential.secret, `${auto.prefix}/a`));
      expect(outcome(read)).toBe('200 allowed');
      expect(read.headers.get('x-portico-credential')).toBe(credential.id);
      const write = await verify(
        server.url,
        call(credential.secret, `${auto.prefix}/a`, { method: 'POST' }),
      );
      if (kind === 'BEARER_TOKEN') {
        expectDenied(write, 403, 'insufficient_permission');
        expect(write.body).toMatchObject({ required: 'READ_WRITE', granted: 'READ' });
      } else {
        expect(outcome(write)).toBe('200 allowed');
      }
    },
  );
});

describe('path → product', () => {
  let outer: GatewayProduct;
  let inner: GatewayProduct;
  let other: GatewayProduct;
  let token: string;
  beforeAll(async () => {
    outer = await gatewayProduct(server);
    inner = await gatewayProduct(server, { prefix: `${outer.prefix}/special` });
    other = await gatewayProduct(server);
    // Granted the nested pair, not `other`.
    const { credential } = await appInOrg(client, org.id, [outer, inner], {
      permissionLevel: 'READ',
    });
    token = credential.secret;
  });

  const routes: [name: string, uri: () => string, product: () => GatewayProduct | string][] = [
    ['the prefix itself', () => outer.prefix, () => outer],
    ['under the prefix', () => `${outer.prefix}/items/1`, () => outer],
    ['the longer, nested prefix wins', () => `${outer.prefix}/special`, () => inner],
    ['under the nested prefix', () => `${outer.prefix}/special/x/y`, () => inner],
    [
      'a segment that only starts like the nested prefix',
      () => `${outer.prefix}/specialist`,
      () => outer,
    ],
    [
      'a prefix matches at a segment boundary only',
      () => `${outer.prefix}abc`,
      () => 'unknown_product',
    ],
    ['the query string is ignored', () => `${outer.prefix}/a?to=${inner.prefix}/x`, () => outer],
    ['a query on the nested prefix', () => `${inner.prefix}?x=1`, () => inner],
    ['a fragment is ignored', () => `${inner.prefix}#frag`, () => inner],
    ['dot segments out of the nested prefix', () => `${inner.prefix}/../a`, () => outer],
    ['dot segments into the nested prefix', () => `${outer.prefix}/x/../special/y`, () => inner],
    [
      'dot segments out of the product',
      () => `${outer.prefix}/../nothing-here`,
      () => 'unknown_product',
    ],
    [
      'encoded dot segments out of the product',
      () => `${outer.prefix}/%2E%2E/nothing`,
      () => 'ambiguous_path',
    ],
    [
      'dot segments into another product',
      () => `${outer.prefix}/..${other.prefix}/a`,
      () => 'not_granted',
    ],
    ['no product serves the path', () => '/no-such-product/x', () => 'unknown_product'],
    ['the root', () => '/', () => 'unknown_product'],
  ];

  it.each(routes)('%s', async (_name, uri, product) => {
    const expected = product();
    const answer = await verify(server.url, call(token, uri()));
    if (typeof expected === 'string') {
      expectDenied(answer, expected === 'ambiguous_path' ? 400 : 403, expected);
    } else {
      expect(outcome(answer)).toBe('200 allowed');
      expect(answer.headers.get('x-portico-product')).toBe(expected.slug);
    }
  });

  it('an archived product no longer serves its prefix', async () => {
    const archived = await gatewayProduct(server);
    const { credential } = await appInOrg(client, org.id, [archived]);
    const request = call(credential.secret, `${archived.prefix}/a`);
    expect(outcome(await verify(server.url, request))).toBe('200 allowed');
    await server.orm.em
      .fork()
      .nativeUpdate(ApiProduct, { id: archived.id }, { archivedAt: new Date() });
    await reloadCatalogs(server);
    expectDenied(await verify(server.url, request), 403, 'unknown_product');
  });
});

describe('credential and original-request headers', () => {
  let credential: IssuedCredential;
  let consumerKey: string;
  let accessToken: string;
  let clientId: string;
  beforeAll(async () => {
    ({ credential } = await appInOrg(client, org.id, [auto], { permissionLevel: 'READ' }));
    const ids = await Promise.all(
      ['CONSUMER_KEY', 'ACCESS_TOKEN', 'OAUTH2_CLIENT'].map(async (kind) => {
        const { publicId } = (await appInOrg(client, org.id, [auto], { kind })).credential;
        if (!publicId) throw new Error(`no public id for ${kind}`);
        return publicId;
      }),
    );
    [consumerKey = '', accessToken = '', clientId = ''] = ids;
  });

  const uri = (): string => `${auto.prefix}/a`;
  const flip = (token: string): string => `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;

  const cases: [name: string, expected: string, call: () => VerifyCall][] = [
    ['Authorization: Bearer', '200 allowed', () => ({ token: credential.secret, uri: uri() })],
    [
      'a lower-case bearer scheme',
      '200 allowed',
      () => ({ uri: uri(), headers: { authorization: `bearer ${credential.secret}` } }),
    ],
    ['X-API-Key', '200 allowed', () => ({ token: credential.secret, uri: uri(), apiKey: true })],
    [
      'the X-Forwarded-Method / X-Forwarded-Uri pair',
      '200 allowed',
      () => ({ token: credential.secret, uri: uri(), forwarded: true }),
    ],
    [
      'the X-Forwarded-Method is honoured (a write for a READ app)',
      '403 insufficient_permission',
      () => ({ token: credential.secret, uri: uri(), forwarded: true, method: 'POST' }),
    ],
    [
      // A client could add the one its gateway does not set.
      'X-Original-URI and X-Forwarded-Uri that disagree',
      '400 bad_request',
      () => ({
        token: credential.secret,
        uri: uri(),
        method: 'GET',
        headers: { 'x-forwarded-uri': '/no-such-product' },
      }),
    ],
    [
      'X-Original-Method and X-Forwarded-Method that disagree',
      '400 bad_request',
      () => ({
        token: credential.secret,
        uri: uri(),
        method: 'GET',
        headers: { 'x-forwarded-method': 'POST' },
      }),
    ],
    [
      'X-Original-* and X-Forwarded-* that agree',
      '200 allowed',
      () => ({
        token: credential.secret,
        uri: uri(),
        method: 'GET',
        headers: { 'x-forwarded-uri': uri(), 'x-forwarded-method': 'GET' },
      }),
    ],
    [
      "without an original method, the call's own method counts",
      '403 insufficient_permission',
      () => ({
        requestMethod: 'DELETE',
        headers: { authorization: `Bearer ${credential.secret}`, 'x-original-uri': uri() },
      }),
    ],
    ['no credential', '401 missing_credential', () => ({ uri: uri() })],
    [
      'Authorization without the Bearer scheme',
      '401 missing_credential',
      () => ({ uri: uri(), headers: { authorization: `Basic ${credential.secret}` } }),
    ],
    [
      'a bad checksum',
      '401 malformed_credential',
      () => ({ token: flip(credential.secret), uri: uri() }),
    ],
    ['random garbage', '401 malformed_credential', () => ({ token: 'hello-world', uri: uri() })],
    [
      'a secret prefix with a wrong length',
      '401 malformed_credential',
      () => ({ token: `${credential.secret}x`, uri: uri() }),
    ],
    [
      'an unknown prefix with a valid checksum',
      '401 malformed_credential',
      () => ({ token: generateToken('pzz'), uri: uri() }),
    ],
    [
      'a gateway token is not a credential',
      '401 malformed_credential',
      () => ({ token: generateToken('pgw'), uri: uri() }),
    ],
    ['a consumer key (pck_)', '401 public_identifier', () => ({ token: consumerKey, uri: uri() })],
    ['an access token (pac_)', '401 public_identifier', () => ({ token: accessToken, uri: uri() })],
    ['an OAuth client id (poi_)', '401 public_identifier', () => ({ token: clientId, uri: uri() })],
    [
      'a public id with a bad checksum',
      '401 malformed_credential',
      () => ({ token: flip(consumerKey), uri: uri() }),
    ],
    [
      'a well-formed secret nobody holds',
      '401 unknown_credential',
      () => ({ token: generateToken('pcs'), uri: uri() }),
    ],
    [
      'a well-formed bearer token nobody holds',
      '401 unknown_credential',
      () => ({ token: generateToken('pbt'), uri: uri() }),
    ],
    [
      'no original URI',
      '400 missing_original_uri',
      () => ({ headers: { authorization: `Bearer ${credential.secret}` } }),
    ],
    [
      'no original URI and no credential',
      '400 missing_original_uri',
      () => ({ headers: { 'x-original-method': 'GET' } }),
    ],
    [
      'an empty original URI',
      '400 missing_original_uri',
      () => ({ token: credential.secret, uri: '' }),
    ],
  ];

  it.each(cases)('%s → %s', async (_name, expected, makeCall) => {
    const answer = await verify(server.url, makeCall());
    if (expected === '200 allowed') {
      expect(outcome(answer)).toBe(expected);
      expect(answer.headers.get('x-portico-credential')).toBe(credential.id);
    } else {
      const [status, code] = expected.split(' ');
      expectDenied(answer, Number(status), code ?? '');
    }
  });

  it('answers each token the same when asked again, once the cache has seen it', async () => {
    const tokens: [label: string, token: string, expected: string][] = [
      ['unknown secret', generateToken('pcs'), '401 unknown_credential'],
      ['bad checksum', flip(credential.secret), '401 malformed_credential'],
      ['consumer key', consumerKey, '401 public_identifier'],
      ['wrong length', `${credential.secret}x`, '401 malformed_credential'],
      ['too long', `pcs_${'a'.repeat(200)}`, '401 malformed_credential'],
      ['the credential', credential.secret, '200 allowed'],
    ];
    const seen: string[] = [];
    for (let round = 1; round <= 3; round++) {
      for (const [label, token] of tokens) {
        seen.push(`${round} ${label}: ${outcome(await verify(server.url, { token, uri: uri() }))}`);
      }
    }
    expect(seen).toEqual(
      [1, 2, 3].flatMap((round) =>
        tokens.map(([label, , expected]) => `${round} ${label}: ${expected}`),
      ),
    );
  });
});

describe('rate limit', () => {
  it('allows the plan’s requests per window per credential, then 429 rate_limited; refusals are not counted', async () => {
    const limited = await orgWithMembers(server);
    const admin = limited.admins[0];
    if (!admin) throw new Error('no admin');
    const product = await gatewayProduct(server);
    await planFor([server], limited.id, product.id, {
      rateLimitRequests: 3,
      rateLimitWindowSeconds: 60,
    });
    const { appId, credential } = await appInOrg(admin.client, limited.id, [product]);
    const second = await issueCredential(admin.client, appId);
    await awayFromWindowEdge(60_000);

    const request = call(credential.secret, `${product.prefix}/a`);
    for (const remaining of ['2', '1', '0']) {
      const answer = await verify(server.url, request);
      expect(outcome(answer)).toBe('200 allowed');
      expect(answer.headers.get('x-ratelimit-limit')).toBe('3');
      expect(answer.headers.get('x-ratelimit-remaining')).toBe(remaining);
      const reset = Number(answer.headers.get('x-ratelimit-reset'));
      expect(Number.isInteger(reset) && reset >= 1 && reset <= 60).toBe(true);
    }
    const refused = await verify(server.url, request);
    expectDenied(refused, 429, 'rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('3');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expectDenied(await verify(server.url, request), 429, 'rate_limited');

    // Another credential of the same app has a window of its own.
    const other = await verify(server.url, call(second.secret, `${product.prefix}/a`));
    expect(outcome(other)).toBe('200 allowed');
    expect(other.headers.get('x-ratelimit-remaining')).toBe('2');

    expect(await countedRequests(server, credential.id)).toBe(3);
    expect(await countedRequests(server, second.id)).toBe(1);
  });
});

describe('monthly caps', () => {
  async function cappedOrg(limits: { monthlyRequestCap?: number; monthlyUnitCap?: number }) {
    const capped = await orgWithMembers(server);
    const admin = capped.admins[0];
    if (!admin) throw new Error('no admin');
    const product = await gatewayProduct(server);
    await planFor([server], capped.id, product.id, limits);
    return { capped, admin: admin.client, product };
  }

  it('refuses with 429 request_cap_exceeded once the month’s requests reach the cap, until next month', async () => {
    const { capped, admin, product } = await cappedOrg({ monthlyRequestCap: 2 });
    const uncapped = await gatewayProduct(server);
    const { appId, credential } = await appInOrg(admin, capped.id, [product, uncapped]);
    const request = call(credential.secret, `${product.prefix}/a`);
    expect(outcome(await verify(server.url, request))).toBe('200 allowed');
    expect(outcome(await verify(server.url, request))).toBe('200 allowed');
    const refused = await verify(server.url, request);
    expectDenied(refused, 429, 'request_cap_exceeded');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Math.abs(retryAfter - secondsToNextMonth())).toBeLessThanOrEqual(5);

    // The cap is the organization's: another credential is refused too...
    const another = await issueCredential(admin, appId);
    expectDenied(
      await verify(server.url, call(another.secret, `${product.prefix}/a`)),
      429,
      'request_cap_exceeded',
    );
    // ...but only for that product (the other one falls back to the lowest plan).
    expect(outcome(await verify(server.url, call(credential.secret, `${uncapped.prefix}/a`)))).toBe(
      '200 allowed',
    );
    expect(await countedRequests(server, credential.id)).toBe(3);
  });

  it('counts what this month’s usage rows already hold (not last month’s) for a fresh credential', async () => {
    const { capped, admin, product } = await cappedOrg({ monthlyRequestCap: 2 });
    const fresh = await cappedOrg({ monthlyRequestCap: 2 });
    const { appId, credential } = await appInOrg(admin, capped.id, [product]);
    const old = await appInOrg(fresh.admin, fresh.capped.id, [fresh.product]);
    await writeMinutes(server, [
      { bucket: new Date(), organizationId: capped.id, appId, productId: product.id, requests: 2 },
    ]);
    // A busy previous month does not count.
    const lastMonth = new Date();
    lastMonth.setUTCDate(0);
    await writeMinutes(server, [
      {
        bucket: lastMonth,
        organizationId: fresh.capped.id,
        appId: old.appId,
        productId: fresh.product.id,
        requests: 1000,
      },
    ]);

    expectDenied(
      await verify(server.url, call(credential.secret, `${product.prefix}/a`)),
      429,
      'request_cap_exceeded',
    );
    expect(
      outcome(await verify(server.url, call(old.credential.secret, `${fresh.product.prefix}/a`))),
    ).toBe('200 allowed');
  });

  // BUG (see the report): a usage report for an organization not yet held makes its month
  // counters "held" with the reported units only, so the credential's load skips the month's
  // requests already in usage_minute and the cap is not applied until the next refresh.
  it('counts the month’s requests for a fresh credential even after units were reported for the organization first', async () => {
    const { capped, admin, product } = await cappedOrg({ monthlyRequestCap: 2 });
    const { appId, credential } = await appInOrg(admin, capped.id, [product]);
    await writeMinutes(server, [
      { bucket: new Date(), organizationId: capped.id, appId, productId: product.id, requests: 2 },
    ]);
    const gateway = await createGatewayToken(server);
    const reported = await postUsage(server.url, gateway.token, {
      events: [
        {
          appId,
          product: product.slug,
          status: 200,
          responseTimeMs: 1,
          units: 1,
          time: new Date().toISOString(),
        },
      ],
    });
    expect(reported.status).toBe(202);
    expectDenied(
      await verify(server.url, call(credential.secret, `${product.prefix}/a`)),
      429,
      'request_cap_exceeded',
    );
  });

  it('refuses with 429 unit_cap_exceeded once reported units reach the cap', async () => {
    const { capped, admin, product } = await cappedOrg({ monthlyUnitCap: 10 });
    const { credential } = await appInOrg(admin, capped.id, [product]);
    const gateway = await createGatewayToken(server);
    const request = call(credential.secret, `${product.prefix}/a`);
    const report = (units: number) =>
      postUsage(server.url, gateway.token, {
        events: [
          {
            credentialId: credential.id,
            product: product.slug,
            status: 200,
            responseTimeMs: 5,
            units,
            time: new Date().toISOString(),
          },
        ],
      });
    expect(outcome(await verify(server.url, request))).toBe('200 allowed');
    expect((await report(9)).status).toBe(202);
    expect(outcome(await verify(server.url, request))).toBe('200 allowed');
    expect((await report(1)).status).toBe(202);
    const refused = await verify(server.url, request);
    expectDenied(refused, 429, 'unit_cap_exceeded');
    expect(
      Math.abs(Number(refused.headers.get('retry-after')) - secondsToNextMonth()),
    ).toBeLessThanOrEqual(5);
  });

  it('counts units already reported for a fresh credential of the organization', async () => {
    const { capped, admin, product } = await cappedOrg({ monthlyUnitCap: 10 });
    const { appId, credential } = await appInOrg(admin, capped.id, [product]);
    await writeMinutes(server, [
      { bucket: new Date(), organizationId: capped.id, appId, productId: product.id, units: 10 },
    ]);
    expectDenied(
      await verify(server.url, call(credential.secret, `${product.prefix}/a`)),
      429,
      'unit_cap_exceeded',
    );
  });
});

describe('dev environments', () => {
  it('names the environment the app is attached to and records usage under it', async () => {
    const envOrg = await orgWithMembers(server);
    const admin = envOrg.admins[0];
    if (!admin) throw new Error('no admin');
    const product = await gatewayProduct(server);
    const plain = await gatewayProduct(server);
    const { appId, credential } = await appInOrg(admin.client, envOrg.id, [product, plain]);
    const environmentId = await devEnvironmentFor(server, envOrg.id, product.id, appId, 'staging');

    const inEnvironment = await verify(server.url, call(credential.secret, `${product.prefix}/a`));
    expect(outcome(inEnvironment)).toBe('200 allowed');
    expect(inEnvironment.headers.get('x-portico-environment')).toBe('staging');
    const elsewhere = await verify(server.url, call(credential.secret, `${plain.prefix}/a`));
    expect(elsewhere.headers.get('x-portico-environment')).toBe('production');

    await flushAll(server);
    const rows = await sql<{ product_id: string; environment_id: string; requests: string }>(
      server,
      'select product_id, environment_id, requests::text from usage_minute where app_id = ? order by product_id',
      [appId],
    );
    expect(rows).toEqual(
      [
        { product_id: product.id, environment_id: environmentId, requests: '1' },
        { product_id: plain.id, environment_id: '', requests: '1' },
      ].sort((a, b) => (a.product_id < b.product_id ? -1 : 1)),
    );
  });
});

describe('POST /v1/keys/verify gives the same decision as /v1/verify', () => {
  it.concurrent.each([
    'allowed',
    'insufficient_permission',
    'unknown_product',
    'not_granted',
    'revoked_credential',
    'expired_credential',
    'malformed_credential',
    'public_identifier',
    'unknown_credential',
    'missing_original_uri',
    'bad_request',
    'app_suspended',
  ])('%s', async (expectedCode) => {
    const { appId, credential } = await appInOrg(client, org.id, [auto], {
      permissionLevel: 'READ',
    });
    let token = credential.secret;
    let method = 'GET';
    let path = `${auto.prefix}/a`;
    switch (expectedCode) {
      case 'insufficient_permission':
        method = 'POST';
        break;
      case 'unknown_product':
        path = `${uniquePrefix()}/a`;
        break;
      case 'not_granted':
        path = `${manual.prefix}/a`;
        break;
      case 'revoked_credential':
        await revokeCredential(client, credential.id);
        break;
      case 'expired_credential':
        await rotateCredential(client, credential.id, 0);
        break;
      case 'malformed_credential':
        token = 'not-a-key';
        break;
      case 'public_identifier':
        token = (await appInOrg(client, org.id, [auto])).credential.publicId ?? '';
        break;
      case 'unknown_credential':
        token = generateToken('pas');
        break;
      case 'missing_original_uri':
        path = '';
        break;
      case 'bad_request':
        path = 'no-leading-slash';
        break;
      case 'app_suspended':
        await setAppStatus(appId, 'SUSPENDED');
        break;
    }
    const viaKeys = await keysVerify(server.url, { key: token, method, path });
    const viaHeaders = await verify(server.url, call(token, path, { method }));
    expect(viaKeys.status).toBe(200);
    expect(outcome(viaHeaders)).toBe(
      expectedCode === 'allowed' ? '200 allowed' : `${viaHeaders.status} ${expectedCode}`,
    );
    expect(viaKeys.body.status).toBe(viaHeaders.status);
    expect(viaKeys.body.code).toBe(expectedCode === 'allowed' ? null : expectedCode);
    expect(viaKeys.body.valid).toBe(expectedCode === 'allowed');
    if (expectedCode === 'allowed') {
      expect(viaKeys.body).toMatchObject({
        app: viaHeaders.headers.get('x-portico-app'),
        org: viaHeaders.headers.get('x-portico-org'),
        environment: 'production',
        product: auto.slug,
        credential: credential.id,
        ratelimit: { limit: 60, remaining: 59 },
      });
      // Both counted the request.
      expect(viaHeaders.headers.get('x-ratelimit-remaining')).toBe('58');
      expect(await countedRequests(server, credential.id)).toBe(2);
    } else {
      expect(viaKeys.body.message).toBe(viaHeaders.body.message);
    }
    if (expectedCode === 'insufficient_permission') {
      expect(viaKeys.body).toMatchObject({ required: 'READ_WRITE', granted: 'READ' });
    }
  });
});
