import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { hooksOffSoon, promiseHooksOn } from '../../test/promise-hooks.js';
import { randomBase62 } from '../ids.js';
import { Organization, OrganizationKind } from '../modules/orgs/orgs.entity.js';

// MikroORM keeps the transaction an operation runs in (and whether it is inside a flush) in
// AsyncLocalStorage. Its storages are patched (patches/@mikro-orm__core@*.patch) to be enabled
// only while a transaction or flush is pending: a plain AsyncLocalStorage, once used, keeps
// Node 20's promise hooks on for the life of the process, and every promise of every request
// pays for them. These tests hold both halves: the context still follows a transaction through
// its awaits, and the hooks are off again once no transaction or flush is pending.

const server = useTestServer();

/** The transaction MikroORM routes the global manager to here, if any. */
function currentTransaction(): EntityManager | undefined {
  return TransactionContext.getEntityManager(server.orm.em.name) as EntityManager | undefined;
}

/** A query, so that what follows runs in a later turn of the event loop. */
async function roundTrip(em: EntityManager): Promise<void> {
  await em.getConnection().execute('select 1');
}

function newOrganization(): Organization {
  const slug = `tx-${randomBase62(10).toLowerCase()}`;
  return new Organization('Transaction context', slug, OrganizationKind.TEAM);
}

describe('the transaction context', () => {
  it('follows a transaction through its awaits: the outer manager routes to its fork', async () => {
    const outer = server.orm.em;
    await outer.transactional(async (tx) => {
      expect(promiseHooksOn()).toBe(true);
      await roundTrip(tx);
      await sleep(1);
      expect(currentTransaction()).toBe(tx);
      expect(outer.getContext()).toBe(tx);
    });
    expect(currentTransaction()).toBeUndefined();
  });

  it('holds for a transaction still running when an overlapping one has ended', async () => {
    const outer = server.orm.em;
    let releaseLong!: () => void;
    const longMayEnd = new Promise<void>((resolve) => (releaseLong = resolve));
    let seenAfterShortEnded: EntityManager | undefined;
    let longFork: EntityManager | undefined;
    const long = outer.transactional(async (tx) => {
      longFork = tx;
      await longMayEnd;
      await roundTrip(tx);
      seenAfterShortEnded = currentTransaction();
      tx.persist(newOrganization());
    });
    try {
      await outer.transactional(async (tx) => {
        await roundTrip(tx);
        expect(currentTransaction()).toBe(tx);
      });
      expect(currentTransaction()).toBeUndefined();
    } finally {
      releaseLong();
      await long;
    }
    expect(seenAfterShortEnded).toBe(longFork);
  });

  it('holds in a nested transaction and after it, in the outer one', async () => {
    const outer = server.orm.em;
    const org = newOrganization();
    await outer.transactional(async (tx) => {
      await tx.transactional(async (inner) => {
        await roundTrip(inner);
        expect(currentTransaction()).toBe(inner);
        inner.persist(org);
      });
      await roundTrip(tx);
      expect(currentTransaction()).toBe(tx);
    });
    expect(currentTransaction()).toBeUndefined();
    const found = await server.orm.em.fork().findOne(Organization, org.id);
    expect(found?.slug).toBe(org.slug);
  });

  it('queues a flush that overlaps another of the same manager, then writes both', async () => {
    const em = server.orm.em.fork();
    const one = newOrganization();
    const two = newOrganization();
    em.persist(one);
    const first = em.flush();
    em.persist(two);
    const second = em.flush();
    await Promise.all([first, second]);
    const found = await server.orm.em.fork().find(Organization, { id: [one.id, two.id] });
    expect(found.map((org) => org.slug).sort()).toEqual([one.slug, two.slug].sort());
  });
});

describe('promise hooks', () => {
  it('are off once no transaction or flush is pending, and on while one is', async () => {
    const em = server.orm.em.fork();
    em.persist(newOrganization());
    await em.flush();
    await em.transactional(async (tx) => {
      await roundTrip(tx);
      expect(promiseHooksOn()).toBe(true);
    });
    expect(await hooksOffSoon()).toBe(true);
    // A read outside a transaction turns nothing on.
    await em.fork().find(Organization, {}, { limit: 1 });
    expect(await hooksOffSoon()).toBe(true);
  });
});
