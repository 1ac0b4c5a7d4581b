import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithMembers, type OrgWithMembers } from '../test/app-builders.js';
import { signUpUser } from '../test/builders.js';
import {
  appInOrg,
  eventually,
  gatewayProduct,
  outcome,
  revokeCredential,
  verify,
  type GatewayProduct,
} from '../test/gateway-builders.js';
import {
  startSecondInstance,
  subscribe,
  TestClient,
  useTestServer,
  type TestServer,
} from '../test/harness.js';
import {
  docsInstancesConfig,
  findNginx,
  porticoInstancesNginxConfig,
  readDocsInstancesConfig,
  startNginx,
  type RunningNginx,
} from '../test/nginx.js';

/** Two instances (A and B) on one database, behind a real NGINX (round robin, WebSockets). */
const server = useTestServer({ smtp: false });
let second: TestServer;
let proxy: RunningNginx;
/** The two instances as one server at NGINX's address, for clients and subscriptions. */
let behindNginx: TestServer;
let org: OrgWithMembers;
let product: GatewayProduct;

const SIGN_IN = 'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }';
const VIEWER = '{ viewer { id } }';

/** Session lookups an instance made (from memory or the database): one per request. */
const lookups = (instance: TestServer): number =>
  instance.app.sessions.stats.hits + instance.app.sessions.stats.misses;

beforeAll(async () => {
  second = await startSecondInstance(server, { smtp: false });
  const instances = [server, second].map((instance) => new URL(instance.url).host);
  proxy = await startNginx(findNginx(), (listen) =>
    porticoInstancesNginxConfig({ listen, instances }),
  );
  const bus = (instance: TestServer) => instance.app.services.events.stats;
  behindNginx = {
    ...server,
    url: proxy.url,
    client: () => new TestClient(behindNginx),
    // A subscription through NGINX lands on either instance: wait for it on both.
    app: {
      ...server.app,
      services: {
        ...server.app.services,
        events: {
          stats: {
            get subscriptions() {
              return bus(server).subscriptions + bus(second).subscriptions;
            },
          },
        },
      },
    },
  } as unknown as TestServer;
  [org, product] = await Promise.all([
    orgWithMembers(server),
    gatewayProduct(server, { alsoReload: [second] }),
  ]);
});

afterAll(async () => {
  await proxy?.stop();
  await second?.close();
});

/** A client at NGINX's address signed in as `user` (through NGINX). */
async function signedInBehindNginx(user: { email: string; password: string }) {
  const client = behindNginx.client();
  await client.ok(SIGN_IN, { input: { email: user.email, password: user.password } });
  return client;
}

describe('docs/nginx-instances.conf', () => {
  it('is the configuration this test runs (UPDATE_NGINX_DOCS=1 rewrites it)', async () => {
    expect(await readDocsInstancesConfig()).toBe(docsInstancesConfig());
  });
});

describe('two instances behind NGINX', () => {
  it('a session signed in through one instance works on both', async () => {
    const user = await signUpUser(server);
    const client = await signedInBehindNginx(user);
    const before = [lookups(server), lookups(second)];
    for (let i = 0; i < 4; i++) {
      expect((await client.ok<{ viewer: { id: string } }>(VIEWER)).viewer.id).toBe(user.id);
    }
    // Round robin: both instances answered some of them.
    expect(lookups(server)).toBeGreaterThan(before[0] ?? 0);
    expect(lookups(second)).toBeGreaterThan(before[1] ?? 0);
  });

  it('a subscriber through NGINX gets the event of a mutation served by the other instance', async () => {
    const admin = org.admins[0];
    if (!admin) throw new Error('no admin');
    const { credential } = await appInOrg(admin.client, org.id, [product]);
    const subscriber = await signedInBehindNginx(admin);
    const onA = server.app.services.events.stats.subscriptions;
    const live = await subscribe<{ organizationEvents: { kind: string; subjectId: string } }>(
      behindNginx,
      subscriber,
      'subscription ($id: ID!) { organizationEvents(organizationId: $id) { kind subjectId } }',
      { id: org.id },
    );
    try {
      // The instance the subscriber is not on makes the change.
      const other = server.app.services.events.stats.subscriptions > onA ? second : server;
      const writer = other.client();
      await writer.ok(SIGN_IN, { input: { email: admin.email, password: admin.password } });
      await revokeCredential(writer, credential.id);
      const [event] = await live.waitFor(1, 5_000);
      expect(event?.organizationEvents).toEqual({
        kind: 'credential.revoked',
        subjectId: credential.id,
      });
    } finally {
      await live.close();
    }
  });

  it('a credential revoked through NGINX is refused by /v1/verify on both within a second', async () => {
    const admin = org.admins[0];
    if (!admin) throw new Error('no admin');
    const { credential } = await appInOrg(admin.client, org.id, [product]);
    const call = { token: credential.secret, uri: `${product.prefix}/items` };
    const both = () => Promise.all([verify(server.url, call), verify(second.url, call)]);
    expect((await both()).map(outcome)).toEqual(['200 allowed', '200 allowed']);

    const client = await signedInBehindNginx(admin);
    await revokeCredential(client, credential.id);
    const { elapsedMs } = await eventually(async () => {
      expect((await both()).map(outcome)).toEqual([
        '401 revoked_credential',
        '401 revoked_credential',
      ]);
    });
    expect(elapsedMs).toBeLessThanOrEqual(1000);
  });
});
