import type { EventBus } from './event-bus.js';
import type { EventRecord } from './events.service.js';

export interface EventStreamOptions {
  bus: Pick<EventBus, 'subscribe'>;
  topic: string;
  /** Resume after this event id: its stored successors are delivered first. */
  after: string | null;
  /** Loads stored events of the topic with an id above `after`, oldest first. */
  loadAfter: (after: string, limit: number) => Promise<EventRecord[]>;
  /** Events waiting for a slow client beyond which the stream ends with an error. */
  maxQueued?: number;
  replayPageSize?: number;
  /**
   * Whether the subscriber may still be sent events: null to go on, or the error the stream
   * ends with (e.g. FORBIDDEN once they left the organization). Asked before each event is
   * handed out, and by `recheck()`; it runs per event, so keep it cheap (cached). A check that
   * throws ends the stream with what it threw.
   */
  admit?: () => Error | null | Promise<Error | null>;
}

/**
 * Where a stream may hand its events straight away (see `EventStream.pushTo`): `ready` says
 * whether it can take one now, and `take` takes it (admitted, in order).
 */
export interface DirectSink {
  ready(): boolean;
  take(event: EventRecord): void;
}

/** The client reads too slowly: it should resubscribe with the last id it saw. */
export class SubscriberTooSlowError extends Error {
  constructor() {
    super('The subscriber fell too far behind; subscribe again with the last event id you saw.');
  }
}

/** How many delivered ids a stream remembers to drop duplicates (replay vs live). */
const REMEMBERED_IDS = 2_000;

/**
 * One subscriber's events of one topic, as an async iterator. With `after`, it subscribes to
 * live events first (holding them back), reads the stored backlog in id order, then drains
 * what was held back, skipping what the backlog already delivered: no gap, no duplicate.
 * `return()` ends it at once, even while it waits. With `admit`, no event is handed out
 * unless the subscriber's access holds when it is, and `recheck()` ends a stream whose
 * access is gone even when no event comes.
 */
export class EventStream implements AsyncIterableIterator<EventRecord> {
  private readonly ready: EventRecord[] = [];
  /** Live events that arrived while the backlog loads; null once live. */
  private held: EventRecord[] | null;
  /**
   * Ids delivered, to drop an event that both the backlog and the live feed bring: only a
   * stream that replays a backlog needs it (the bus itself never delivers an event twice).
   */
  private readonly delivered: Set<string> | null;
  private waiter: ((result: IteratorResult<EventRecord>) => void) | null = null;
  private failWaiter: ((err: Error) => void) | null = null;
  private roomWaiter: (() => void) | null = null;
  private failure: Error | null = null;
  private done = false;
  private endListeners: (() => void)[] | null = null;
  private sink: DirectSink | null = null;
  private readonly unsubscribe: () => void;
  private readonly maxQueued: number;

  constructor(private readonly options: EventStreamOptions) {
    this.maxQueued = options.maxQueued ?? 10_000;
    this.held = options.after === null ? null : [];
    this.delivered = options.after === null ? null : new Set();
    // Live first, so nothing committed while the backlog loads slips between the two.
    this.unsubscribe = options.bus.subscribe(options.topic, (event) => this.onLive(event));
    if (options.after !== null) {
      this.replay(options.after).catch((err: unknown) => this.fail(asError(err)));
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  // A promise chain rather than an async function: a stream waits for its next event most of
  // its life, and a suspended async function holds its whole frame meanwhile. An answer `admit`
  // gives at once (from memory, as it mostly does) is used at once, without waiting a turn.
  next(): Promise<IteratorResult<EventRecord>> {
    return this.take().then((result) => {
      if (result.done || !this.options.admit) return result;
      const denied = this.admitNow();
      if (denied instanceof Promise) return denied.then((error) => this.admitOrEnd(error, result));
      return this.admitOrEnd(denied, result);
    });
  }

  /** `result` when `denied` is null and the stream still runs, else how the stream ends. */
  private admitOrEnd(
    denied: Error | null,
    result: IteratorResult<EventRecord>,
  ): IteratorResult<EventRecord> | Promise<IteratorResult<EventRecord>> {
    if (denied) this.fail(denied);
    // Ended meanwhile: by the check, by a recheck, or by the client.
    if (this.failure) return this.take();
    if (this.done) return { value: undefined, done: true };
    return result;
  }

  /** Asks `admit` now, and ends the stream with its error if access is gone. */
  async recheck(): Promise<void> {
    if (!this.options.admit || this.done || this.failure) return;
    const denied = await this.admitNow();
    if (denied) this.fail(denied);
  }

  /**
   * From now on, an event that comes while the consumer waits with nothing queued goes to
   * `sink` at once (once admitted, from memory) if it is ready, instead of resolving the
   * consumer's `next()`: the consumer goes on waiting, and a fan-out to many subscribers
   * makes no promise per subscriber. Anything else (the sink not ready, an admission that
   * must wait, the end, a failure) reaches the consumer as before, so the order holds.
   */
  pushTo(sink: DirectSink): void {
    this.sink = sink;
  }

  /** Ends the stream with `err`, as a failed admission would. */
  end(err: Error): void {
    this.fail(err);
  }

  /** Calls `listener` once when the stream ends, however it ends. */
  onEnd(listener: () => void): void {
    if (this.done || this.failure) listener();
    else (this.endListeners ??= []).push(listener);
  }

  /** What `admit` answers, a throw taken as its answer: at once when it answers at once. */
  private admitNow(): Error | null | Promise<Error | null> {
    let answer: Error | null | Promise<Error | null> | undefined;
    try {
      answer = this.options.admit?.();
    } catch (err) {
      return asError(err);
    }
    if (answer instanceof Promise) return answer.then((denied) => denied ?? null, asError);
    return answer ?? null;
  }

  /** The next event as it stands in the queue, or the end, or the failure. */
  private take(): Promise<IteratorResult<EventRecord>> {
    if (this.failure) {
      // Told once: then the stream is done, as an iterator that threw.
      const failure = this.failure;
      this.failure = null;
      this.finish();
      return Promise.reject(failure);
    }
    const event = this.ready.shift();
    if (event) {
      if (this.roomWaiter && this.ready.length < (this.options.replayPageSize ?? 500)) {
        const wake = this.roomWaiter;
        this.roomWaiter = null;
        wake();
      }
      return Promise.resolve({ value: event, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = reject;
    });
  }

  return(): Promise<IteratorResult<EventRecord>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<EventRecord>> {
    this.finish();
    return Promise.reject(asError(err));
  }

  private onLive(event: EventRecord): void {
    if (this.held) this.held.push(event);
    else this.deliver(event);
    if ((this.held?.length ?? 0) + this.ready.length > this.maxQueued) {
      this.fail(new SubscriberTooSlowError());
    }
  }

  private async replay(after: string): Promise<void> {
    const pageSize = this.options.replayPageSize ?? 500;
    let cursor = after;
    for (;;) {
      if (this.done) return;
      // Backpressure: load the next page only once the client has read most of this one.
      if (this.ready.length >= pageSize) {
        await new Promise<void>((resolve) => (this.roomWaiter = resolve));
        continue;
      }
      const page = await this.options.loadAfter(cursor, pageSize);
      for (const event of page) this.deliver(event);
      const last = page[page.length - 1];
      if (!last || page.length < pageSize) break;
      cursor = last.id;
    }
    const held = this.held ?? [];
    this.held = null;
    for (const event of held) this.deliver(event);
  }

  private deliver(event: EventRecord): void {
    if (this.done) return;
    const delivered = this.delivered;
    if (delivered) {
      if (delivered.has(event.id)) return;
      delivered.add(event.id);
      if (delivered.size > REMEMBERED_IDS) {
        const oldest = delivered.values().next().value;
        if (oldest !== undefined) delivered.delete(oldest);
      }
    }
    if (this.waiter) {
      if (this.sink?.ready() && this.handedToSink(this.sink, event)) return;
      const resolve = this.waiter;
      this.waiter = null;
      this.failWaiter = null;
      resolve({ value: event, done: false });
    } else {
      this.ready.push(event);
    }
  }

  /**
   * Hands `event` to `sink` when it is admitted at once, or ends the stream when it is refused
   * at once (true either way); false when the admission must wait (then `next()` asks again).
   */
  private handedToSink(sink: DirectSink, event: EventRecord): boolean {
    const denied = this.options.admit ? this.admitNow() : null;
    if (denied instanceof Promise) return false;
    if (denied) this.fail(denied);
    else sink.take(event);
    return true;
  }

  private fail(err: Error): void {
    if (this.done || this.failure) return;
    this.failure = err;
    this.unsubscribe();
    this.held = null;
    this.ready.length = 0;
    this.ended();
    if (this.failWaiter) {
      const reject = this.failWaiter;
      this.waiter = null;
      this.failWaiter = null;
      this.failure = null;
      this.finish();
      reject(err);
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.unsubscribe();
    this.held = null;
    this.ready.length = 0;
    const resolve = this.waiter;
    this.waiter = null;
    this.failWaiter = null;
    resolve?.({ value: undefined, done: true });
    const wake = this.roomWaiter;
    this.roomWaiter = null;
    wake?.();
    this.ended();
  }

  private ended(): void {
    const listeners = this.endListeners ?? [];
    this.endListeners = null;
    for (const listener of listeners) listener();
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
