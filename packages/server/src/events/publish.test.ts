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
