import { describe, expect, it } from 'vitest';
import { sha256 } from '../crypto.js';
import { useTestServer } from '../../test/harness.js';
import { signUpUser, type SignedInUser } from '../../test/builders.js';
import { createApp } from '../../test/app-builders.js';
import { requestProducts } from '../../test/grant-builders.js';
import {
  deleteApp,
  endCredentialGrace,
  gatewayProduct,
  grantedApp,
  issueCredential,
  outcome,
  regenerateCredential,
  revokeCredential,
  revokeGrant,
  rotateCredential,
  sql,
  verify,
  type GatewayProduct,
  type IssuedCredential,
} from '../../test/gateway-builders.js';

/*
 * A mutation that stops a credential answers only once this instance's gateway has dropped
 * what it cached: the very next verification on the same instance refuses, every time. The
 * loops have no sleeps: each verification goes out as soon as the mutation's answer is in.
 */

const server = useTestServer({ smtp: false });

const ROUNDS = 10;

let staff: SignedInUser;
let product: GatewayProduct;

async function decision(credential: IssuedCredential): Promise<string> {
  return outcome(
    await verify(server.url, { token: credential.secret, uri: `${product.prefix}/x` }),
  );
}

/**
 * Verifies once (allowed), and checks that the answer is now cached on this instance. First
 * waits for the notifications of the changes made so far, which evict the organization again.
 */
async function allowedAndCached(credential: IssuedCredential): Promise<void> {
  await notified();
  expect(await decision(credential)).toBe('200 allowed');
  const cached = server.app.gateway.cache.peek(sha256(credential.secret), Date.now());
  expect(cached?.credentialId).toBe(credential.id);
}

/** Waits until this instance's event bus has delivered every event written so far. */
async function notified(): Promise<void> {
  const [row] = await sql<{ max: string | null }>(
    server,
    'select max(id)::text as max from domain_event',
  );
  const last = BigInt(row?.max ?? '0');
  const bus = server.app.services.events;
  const caughtUp = (): boolean => BigInt(bus.lastDeliveredId ?? '0') >= last;
  if (caughtUp()) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`events up to ${last} were not delivered`));
    }, 5_000);
    const stop = bus.subscribeAll(() => {
      if (!caughtUp()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

async function setUp(): Promise<void> {
  staff ??= await signUpUser(server, { staff: true });
  product ??= await gatewayProduct(server);
}

async function suspendApp(appId: string): Promise<void> {
  await staff.client.ok(
    `mutation ($input: SuspendAppInput!) { suspendApp(input: $input) { app { id } } }`,
    { input: { appId, reason: 'Suspended by a gateway test.' } },
  );
}

async function unsuspendApp(appId: string): Promise<void> {
  await staff.client.ok(
    `mutation ($input: UnsuspendAppInput!) { unsuspendApp(input: $input) { app { id } } }`,
    { input: { appId } },
  );
}

describe('right after a mutation that stops a credential answers, this instance refuses it', () => {
  it('revokeCredential', async () => {
    await setUp();
    const { client, appId } = await grantedApp(server, [product]);
    for (let round = 0; round < ROUNDS; round++) {
      const credential = await issueCredential(client, appId);
      await allowedAndCached(credential);
      await revokeCredential(client, credential.id);
      expect(await decision(credential)).toBe('401 revoked_credential');
    }
  });

  it('regenerateCredential, and rotateCredential with no grace period', async () => {
    await setUp();
    const { client, credential: first } = await grantedApp(server, [product]);
    let credential = first;
    for (let round = 0; round < ROUNDS; round++) {
      await allowedAndCached(credential);
      const next =
        round % 2 === 0
          ? await regenerateCredential(client, credential.id)
          : await rotateCredential(client, credential.id, 0);
      expect(await decision(credential)).toMatch(/^401 (revoked|expired)_credential$/);
      credential = next;
    }
  });

  it('endCredentialGrace', async () => {
    await setUp();
    const { client, credential: first } = await grantedApp(server, [product]);
    let credential = first;
    for (let round = 0; round < ROUNDS; round++) {
      const next = await rotateCredential(client, credential.id, 7);
      // In its grace period the old credential still works (and is cached again).
      await allowedAndCached(credential);
      await endCredentialGrace(client, credential.id);
      expect(await decision(credential)).toMatch(/^401 (revoked|expired)_credential$/);
      credential = next;
    }
  });

  it("suspendApp (and unsuspendApp lets the app's credential work again)", async () => {
    await setUp();
    const { appId, credential } = await grantedApp(server, [product]);
    for (let round = 0; round < ROUNDS; round++) {
      await allowedAndCached(credential);
      await suspendApp(appId);
      expect(await decision(credential)).toBe('403 app_suspended');
      await unsuspendApp(appId);
    }
  });

  it('revokeGrant', async () => {
    await setUp();
    const { org, client } = await grantedApp(server, []);
    for (let round = 0; round < ROUNDS / 2; round++) {
      const app = await createApp(client, org.id, { permissionLevel: 'READ' });
      const { grants } = await requestProducts(client, app.id, [product.id]);
      const credential = await issueCredential(client, app.id);
      await allowedAndCached(credential);
      await revokeGrant(staff.client, grants[0]?.id ?? '');
      expect(await decision(credential)).toBe('403 grant_revoked');
    }
  });

  it('deleteApp', async () => {
    await setUp();
    const { org, client } = await grantedApp(server, []);
    for (let round = 0; round < ROUNDS / 2; round++) {
      const app = await createApp(client, org.id, { permissionLevel: 'READ' });
      await requestProducts(client, app.id, [product.id]);
      const credential = await issueCredential(client, app.id);
      await allowedAndCached(credential);
      await deleteApp(client, app.id);
      expect(await decision(credential)).toBe('401 revoked_credential');
    }
  });
});
