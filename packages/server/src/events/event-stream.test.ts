import { describe, expect, it } from 'vitest';
import {
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type ExecutionResult,
} from 'graphql';
import { EventStream, type EventStreamOptions } from './event-stream.js';
import type { EventRecord } from './events.service.js';
import { subscribeWithContextPerEvent, type PerEventOptions } from './per-event-context.js';

/** The one part of the EventBus a stream uses: handlers of a topic, called as events come. */
class Topic {
  readonly handlers = new Set<(event: EventRecord) => void>();
  subscribe(_topic: string, handler: (event: EventRecord) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  publish(event: EventRecord): void {
    for (const handler of [...this.handlers]) handler(event);
  }
}

const eventNumbered = (n: number): EventRecord => ({
  id: String(n),
  topic: 'test',
  kind: 'test.happened',
  subjectId: `subject_${n}`,
  data: {},
  createdAt: new Date(0),
});

function streamOn(topic: Topic, admit?: EventStreamOptions['admit']): EventStream {
  return new EventStream({
    bus: topic,
    topic: 'test',
    after: null,
    loadAfter: () => Promise.resolve([]),
    ...(admit ? { admit } : {}),
  });
}

describe('EventStream admission', () => {
  it('hands out an event whose check answers at once, or later, with no error', async () => {
    for (const admit of [() => null, () => Promise.resolve(null)]) {
      const topic = new Topic();
      const stream = streamOn(topic, admit);
      const next = stream.next();
      topic.publish(eventNumbered(1));
      topic.publish(eventNumbered(2));
      expect(await next).toEqual({ value: eventNumbered(1), done: false });
      expect(await stream.next()).toEqual({ value: eventNumbered(2), done: false });
      await stream.return();
      expect(topic.handlers.size).toBe(0);
    }
  });

  it('ends with the error the check answers, given at once, given later, thrown or rejected', async () => {
    const denied = new Error('You are no longer a member of this organization.');
    const checks: (() => Error | null | Promise<Error | null>)[] = [
      () => denied,
      () => Promise.resolve(denied),
      () => {
        throw denied;
      },
      () => Promise.reject(denied),
    ];
    for (const admit of checks) {
      const topic = new Topic();
      const stream = streamOn(topic, admit);
      topic.publish(eventNumbered(1));
      await expect(stream.next()).rejects.toBe(denied);
      // Ended: nothing more comes, and the stream no longer listens.
      expect(await stream.next()).toEqual({ value: undefined, done: true });
      expect(topic.handlers.size).toBe(0);
    }
  });

  it('asks the check for every event, and stops at the first refused one', async () => {
    const topic = new Topic();
    const answers: (Error | null)[] = [null, null, new Error('gone')];
    let asked = 0;
    const stream = streamOn(topic, () => answers[asked++] ?? null);
    for (const n of [1, 2, 3, 4]) topic.publish(eventNumbered(n));
    expect((await stream.next()).value).toEqual(eventNumbered(1));
    expect((await stream.next()).value).toEqual(eventNumbered(2));
    await expect(stream.next()).rejects.toThrow('gone');
    expect(asked).toBe(3);
  });
});

describe('EventStream.pushTo', () => {
  /** A sink that takes events while `open` says so, and keeps what it took. */
  function sinkOn(stream: EventStream): { taken: string[]; open: boolean } {
    const sink = { taken: [] as string[], open: true };
    stream.pushTo({ ready: () => sink.open, take: (event) => sink.taken.push(event.id) });
    return sink;
  }

  /** Whether `promise` has settled once pending callbacks have run. */
  async function settled(promise: Promise<unknown>): Promise<boolean> {
    let done = false;
    void promise.then(
      () => (done = true),
      () => (done = true),
    );
    await new Promise((resolve) => setImmediate(resolve));
    return done;
  }

  it('hands events that come while the consumer waits to the sink; the consumer goes on waiting', async () => {
    const topic = new Topic();
    const stream = streamOn(topic, () => null);
    const sink = sinkOn(stream);
    const next = stream.next();
    topic.publish(eventNumbered(1));
    topic.publish(eventNumbered(2));
    expect(sink.taken).toEqual(['1', '2']);
    expect(await settled(next)).toBe(false);
    // Not ready (its client is behind): the event goes to the waiting consumer instead.
    sink.open = false;
    topic.publish(eventNumbered(3));
    expect(await next).toEqual({ value: eventNumbered(3), done: false });
    expect(sink.taken).toEqual(['1', '2']);
    await stream.return();
    expect(topic.handlers.size).toBe(0);
  });

  it('keeps events queued while nobody waits for the consumer, in order', async () => {
    const topic = new Topic();
    const stream = streamOn(topic);
    const sink = sinkOn(stream);
    topic.publish(eventNumbered(1));
    topic.publish(eventNumbered(2));
    expect((await stream.next()).value).toEqual(eventNumbered(1));
    expect((await stream.next()).value).toEqual(eventNumbered(2));
    expect(sink.taken).toEqual([]);
    await stream.return();
  });

  it('ends the stream on an admission refused at once, and leaves one that must wait to next()', async () => {
    const denied = new Error('You are no longer a member of this organization.');
    const topic = new Topic();
    const refused = streamOn(topic, () => denied);
    const refusedSink = sinkOn(refused);
    const refusedNext = refused.next();
    topic.publish(eventNumbered(1));
    await expect(refusedNext).rejects.toBe(denied);
    expect(refusedSink.taken).toEqual([]);

    const waiting = streamOn(topic, () => Promise.resolve(null));
    const waitingSink = sinkOn(waiting);
    const waitingNext = waiting.next();
    topic.publish(eventNumbered(2));
    expect(await waitingNext).toEqual({ value: eventNumbered(2), done: false });
    expect(waitingSink.taken).toEqual([]);
    await waiting.return();
    expect(topic.handlers.size).toBe(0);
  });
});

describe('subscribeWithContextPerEvent', () => {
  /** A schema whose subscription streams `topic` and counts the executions of its events. */
  function schemaOn(topic: Topic, executions: { count: number }): GraphQLSchema {
    return subscriptionSchema(topic, (event) => event.id, executions);
  }

  /** The schema of `events { id viewer }` on `topic`, whose `id` is `id(event)`. */
  function subscriptionSchema(
    topic: Topic,
    id: (event: EventRecord) => string | Promise<string>,
    executions: { count: number },
  ): GraphQLSchema {
    const Event = new GraphQLObjectType({
      name: 'Event',
      fields: {
        id: { type: GraphQLString, resolve: id },
        viewer: {
          type: GraphQLString,
          resolve: (_event, _args, context: { viewer: string }) => {
            executions.count += 1;
            return context.viewer;
          },
        },
      },
    });
    return new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
      subscription: new GraphQLObjectType({
        name: 'Subscription',
        fields: {
          events: {
            type: Event,
            subscribe: () => streamOn(topic),
            resolve: (event: EventRecord) => event,
          },
        },
      }),
    });
  }

  async function subscribeAs(
    schema: GraphQLSchema,
    viewer: string,
    direct?: Pick<PerEventOptions, 'directSender' | 'serializeResult'>,
  ): Promise<AsyncIterableIterator<ExecutionResult>> {
    const result = await subscribeWithContextPerEvent(
      {
        schema,
        document: parse('subscription { events { id viewer } }'),
        contextValue: { viewer },
      },
      {
        keepForEvents: (context) => context,
        contextForEvent: (kept) => kept,
        viewerKey: (context) => (context as { viewer: string }).viewer,
        ...direct,
      },
    );
    if (!(Symbol.asyncIterator in result)) throw new Error('not a stream');
    return result;
  }

  it('executes an event once per viewer, and hands every subscriber of that viewer its result', async () => {
    const topic = new Topic();
    const executions = { count: 0 };
    const schema = schemaOn(topic, executions);
    const ada = [await subscribeAs(schema, 'ada'), await subscribeAs(schema, 'ada')];
    const bob = await subscribeAs(schema, 'bob');
    const pending = [...ada, bob].map((stream) => stream.next());
    topic.publish(eventNumbered(7));
    const [first, second, third] = await Promise.all(pending);
    expect(first?.value).toEqual({ data: { events: { id: '7', viewer: 'ada' } } });
    expect(second?.value).toBe(first?.value);
    expect(third?.value).toEqual({ data: { events: { id: '7', viewer: 'bob' } } });
    expect(executions.count).toBe(2);

    // A subscriber that asks after the shared execution settled gets the same result.
    const late = ada[0]!.next();
    topic.publish(eventNumbered(8));
    expect((await late).value).toEqual({ data: { events: { id: '8', viewer: 'ada' } } });
    expect((await ada[1]!.next()).value).toBe((await late).value);
    expect(executions.count).toBe(3);
    for (const stream of [...ada, bob]) await stream.return?.();
    expect(topic.handlers.size).toBe(0);
  });

  it('hands out data of plain objects, which serialize as the execution built them', async () => {
    const topic = new Topic();
    const stream = await subscribeAs(schemaOn(topic, { count: 0 }), 'ada');
    const pending = stream.next();
    topic.publish(eventNumbered(9));
    const { value } = await pending;
    const data = (value as ExecutionResult).data as { events: Record<string, unknown> };
    // graphql-js builds null-prototype objects; JSON.stringify takes its slow path on those.
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(data.events)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"data":{"events":{"id":"9","viewer":"ada"}}}');
    await stream.return?.();
  });
  /** A client's direct sender: what it was sent, and whether it keeps up (`ready`). */
  function clientOf(
    viewer: string,
    log: string[],
  ): { sent: string[]; ready: boolean } & {
    direct: Pick<PerEventOptions, 'directSender' | 'serializeResult'>;
  } {
    const client = {
      sent: [] as string[],
      ready: true,
      direct: {} as Pick<PerEventOptions, 'directSender' | 'serializeResult'>,
    };
    client.direct = {
      directSender: () => ({
        ready: () => client.ready,
        send: (serialized) => {
          client.sent.push(serialized);
          log.push(`${viewer} direct ${serialized}`);
        },
      }),
      serializeResult: (result) => {
        log.push('serialized');
        return JSON.stringify(result);
      },
    };
    return client;
  }

  it('sends each event straight to waiting subscribers, one execution and one serialization per viewer', async () => {
    const topic = new Topic();
    const executions = { count: 0 };
    const schema = schemaOn(topic, executions);
    const log: string[] = [];
    const clients = [clientOf('ada', log), clientOf('ada', log), clientOf('bob', log)];
    const streams = await Promise.all(
      clients.map((client, i) => subscribeAs(schema, i < 2 ? 'ada' : 'bob', client.direct)),
    );
    // As the transport does: each asks for its next result, and waits.
    const waiting = streams.map((stream) => stream.next());
    topic.publish(eventNumbered(1));
    await new Promise((resolve) => setImmediate(resolve));
    const ada = '{"data":{"events":{"id":"1","viewer":"ada"}}}';
    expect(clients.map((client) => client.sent)).toEqual([
      [ada],
      [ada],
      ['{"data":{"events":{"id":"1","viewer":"bob"}}}'],
    ]);
    expect(executions.count).toBe(2);
    expect(log.filter((line) => line === 'serialized')).toHaveLength(2);

    // A client that falls behind gets the next event through its stream instead.
    clients[2]!.ready = false;
    topic.publish(eventNumbered(2));
    expect((await waiting[2])?.value).toEqual({ data: { events: { id: '2', viewer: 'bob' } } });
    expect(clients[0]!.sent).toHaveLength(2);
    expect(clients[2]!.sent).toHaveLength(1);
    for (const stream of streams) await stream.return?.();
    // Ended: the ones still waiting are told so.
    expect(await waiting[0]).toEqual({ value: undefined, done: true });
    expect(topic.handlers.size).toBe(0);
  });

  it('keeps the order when an event sent straight away still waits for its result', async () => {
    const topic = new Topic();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The first event's execution takes a while (a query, say).
    const schema = subscriptionSchema(
      topic,
      async (event) => {
        if (event.id === '1') await gate;
        return event.id;
      },
      { count: 0 },
    );
    const log: string[] = [];
    const client = clientOf('ada', log);
    const stream = await subscribeAs(schema, 'ada', client.direct);
    const next = stream.next().then((item) => {
      log.push(`next ${JSON.stringify(item.value)}`);
    });
    topic.publish(eventNumbered(1));
    // Event 1 waits for its result; event 2 comes meanwhile and goes through the stream.
    topic.publish(eventNumbered(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual([]);
    release();
    await next;
    expect(log).toEqual([
      'serialized',
      'ada direct {"data":{"events":{"id":"1","viewer":"ada"}}}',
      'next {"data":{"events":{"id":"2","viewer":"ada"}}}',
    ]);
    await stream.return?.();
  });
});
