import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { EVENT_KINDS, type EventKind } from './domain-events.js';
import { CASES } from '../../test/domain-event-cases.js';
import { DomainEvent } from './events.entity.js';
import { appendEvent, publish, type EventRecord } from './events.service.js';

const server = useTestServer({ smtp: false });

let counter = 0;
const unique = (id: string): string => `${id}_${process.pid}_${++counter}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stored(subjectId: string): Promise<DomainEvent[]> {
  return server.orm.em.fork().find(DomainEvent, { subjectId }, { orderBy: { id: 'asc' } });
}

const shape = (events: DomainEvent[]) => events.map((e) => [e.topic, e.kind, e.data]);

/**
 * Publishes `kind`'s case with `publish`, and the same event as the modules wrote it before:
 * `publishEvent` (that is, `appendEvent`) once per topic, topics as literal text. Returns the ids
 * `publish` wrote.
 */
async function publishBothWays<K extends EventKind>(kind: K): Promise<string[]> {
  const { input, wrote } = CASES[kind];
  const typedSubject = unique(input.subjectId);
  const oldSubject = unique(input.subjectId);
  const written = await server.orm.em
    .fork()
    .transactional((em) => publish(em, kind, { ...input, subjectId: typedSubject }));
  await server.orm.em.fork().transactional(async (em) => {
    for (const topic of wrote.topics) {
      await appendEvent(em, {
        topic,
        kind,
        subjectId: oldSubject,
        data: wrote.data,
      });
    }
  });
  const [typed, old] = [await stored(typedSubject), await stored(oldSubject)];
  expect(shape(typed), kind).toEqual(shape(old));
  expect(typed.map((e) => e.id)).toEqual(written.map((e) => e.id));
  expect(typed.map((e) => e.topic)).toEqual(wrote.topics);
  return written.map((e) => e.id);
}

describe('publish', () => {
  it('writes the rows each kind wrote before, one per topic in order, and notifies every instance', async () => {
    const delivered = new Map<string, EventRecord>();
    const unsubscribe = server.app.services.events.subscribeAll((event) => {
      delivered.set(event.id, event);
    });
    try {
      const ids: string[] = [];
      for (const kind of EVENT_KINDS) ids.push(...(await publishBothWays(kind)));
      const deadline = Date.now() + 5_000;
      while (ids.some((id) => !delivered.has(id)) && Date.now() < deadline) await sleep(20);
      expect(ids.filter((id) => !delivered.has(id))).toEqual([]);
      const planChanged = ids
        .map((id) => delivered.get(id))
        .filter((event) => event?.kind === 'plan.changed');
      expect(planChanged.map((event) => event?.topic)).toEqual(['org:org_sample', 'gateway']);
    } finally {
      unsubscribe();
    }
  });

  it('writes nothing when the transaction rolls back', async () => {
    const subjectId = unique('grt_rolledback');
    await expect(
      server.orm.em.fork().transactional(async (em) => {
        await publish(em, 'grant.decided', { ...CASES['grant.decided'].input, subjectId });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await stored(subjectId)).toEqual([]);
  });
});

describe("this instance's own commits", () => {
  /** Collects what the own-commit subscribers of the server's bus are handed. */
  function ownCommits(): { ids: string[]; stop: () => void } {
    const ids: string[] = [];
    const stop = server.app.services.events.subscribeOwnCommits((event) => ids.push(event.id));
    return { ids, stop };
  }

  it('are handed over as the transaction commits, before it returns, in the order written', async () => {
    const seen = ownCommits();
    try {
      const written = await server.orm.em.fork().transactional(async (em) => {
        const first = await publish(em, 'grant.decided', {
          ...CASES['grant.decided'].input,
          subjectId: unique('grt_own'),
        });
        const second = await publish(em, 'session.ended', {
          ...CASES['session.ended'].input,
          subjectId: unique('ses_own'),
        });
        // Nothing before the commit.
        expect(seen.ids).toEqual([]);
        return [...first, ...second];
      });
      expect(seen.ids).toEqual(written.map((event) => String(event.id)));
    } finally {
      seen.stop();
    }
  });

  it('count a nested transaction once the outermost one commits, and never a rolled-back one', async () => {
    const seen = ownCommits();
    try {
      const subjectId = unique('grt_nested');
      const written = await server.orm.em.fork().transactional(async (outer) => {
        const rows = await outer.transactional((inner) =>
          publish(inner, 'grant.decided', { ...CASES['grant.decided'].input, subjectId }),
        );
        // The savepoint is released, the transaction is still open.
        expect(seen.ids).toEqual([]);
        return rows;
      });
      expect(seen.ids).toEqual(written.map((event) => String(event.id)));

      await expect(
        server.orm.em.fork().transactional(async (outer) => {
          await outer.transactional((inner) =>
            publish(inner, 'grant.decided', {
              ...CASES['grant.decided'].input,
              subjectId: unique('grt_rolledback'),
            }),
          );
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(seen.ids).toEqual(written.map((event) => String(event.id)));
    } finally {
      seen.stop();
    }
  });
});
