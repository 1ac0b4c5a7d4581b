import {
  createSourceEventStream,
  execute,
  GraphQLError,
  Kind,
  print,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { EventStream, SubscriberTooSlowError } from './event-stream.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import { serviceUnavailable } from '../errors.js';

export interface PerEventOptions {
  /**
   * What the subscription keeps of its context once its root field has subscribed (the
   * viewer, the request): all `contextForEvent` needs. The operation's own context (its
   * EntityManager fork, DataLoaders) is then let go, however long the subscription lives.
   */
  keepForEvents: (subscriptionContext: unknown) => unknown;
  /** A context for one event, from what the subscription kept (same viewer, fresh state). */
  contextForEvent: (kept: unknown) => unknown;
  /**
   * Who the results are for (e.g. the viewer's id and scopes): subscribers with the same key,
   * the same operation and variables share one execution per event.
   */
  viewerKey: (subscriptionContext: unknown) => string;
  onStreamError?: (err: unknown) => void;
  /**
   * Who sends a subscription's results straight to its client (null: the transport does, one
   * result at a time). Given, each event of a stream that can push (an `EventStream`) is sent
   * from one loop over the subscribers that share its execution, as the transport would send
   * it, with no promise per subscriber: on a fan-out to thousands of sockets, the transport's
   * per-result promises cost more than the sends themselves.
   */
  directSender?: (subscriptionContext: unknown) => DirectSender | null;
  /** A result as the transport's `next` message carries it (JSON); once per shared result. */
  serializeResult?: (result: ExecutionResult) => string;
}

/** Sends one subscription's results to its client (see `PerEventOptions.directSender`). */
export interface DirectSender {
  /** Whether a result may be sent now (the client is there and keeps up). */
  ready(): boolean;
  /** Sends a result, serialized by `serializeResult`. */
  send(serializedResult: string): void;
}

/** Fields of every live event that are the same whoever reads them (no resolver, no viewer). */
const EVENT_SCALARS = new Set(['id', 'kind', 'subjectId', 'createdAt', '__typename']);

/**
 * Whether the subscription selects only the event's own scalars, so that its result depends
 * on the event alone and may be shared by every subscriber of the operation, whoever they are.
 */
function selectsEventScalarsOnly(args: ExecutionArgs): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of args.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    } else if (
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!args.operationName || definition.name?.value === args.operationName)
    ) {
      operation ??= definition;
    }
  }
  const root = operation?.selectionSet.selections[0];
  if (!operation || operation.selectionSet.selections.length !== 1 || root?.kind !== Kind.FIELD) {
    return false;
  }
  const scalarsOnly = (set: SelectionSetNode | undefined, depth: number): boolean => {
    if (!set || depth > 10) return false;
    return set.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) {
        return !selection.selectionSet && EVENT_SCALARS.has(selection.name.value);
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        return scalarsOnly(selection.selectionSet, depth + 1);
      }
      return scalarsOnly(fragments.get(selection.name.value)?.selectionSet, depth + 1);
    });
  };
  return !root.directives?.length && scalarsOnly(root.selectionSet, 0);
}

/**
 * `result` with its data made of plain objects. graphql-js builds data from null-prototype
 * objects, which JSON.stringify walks on its slow path (own keys listed object by object), and
 * the transport stringifies a shared result once for each subscriber it is sent to: made plain
 * once per execution, it is stringified on the fast path by every one of them. The data is
 * JSON already (every scalar serialized), so the round trip keeps it as it is.
 */
function withPlainData(result: ExecutionResult): ExecutionResult {
  if (!result.data) return result;
  return { ...result, data: JSON.parse(JSON.stringify(result.data)) as ExecutionResult['data'] };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** One execution of an event, and its result once it has one. */
interface SharedExecution {
  readonly pending: Promise<IteratorResult<ExecutionResult>>;
  settled?: IteratorResult<ExecutionResult>;
  /** The result serialized for direct sends, made once. */
  serialized?: string;
  /** Direct sends waiting for the result, sent in one loop once it comes. */
  waiting?: ((execution: SharedExecution, failure?: unknown) => void)[];
}

function serializedOf(
  execution: SharedExecution,
  serialize: (r: ExecutionResult) => string,
): string {
  return (execution.serialized ??= serialize(execution.settled?.value ?? {}));
}

/** Whether `source` can hand its events to a sink (an `EventStream`). */
function canPush(source: object): source is Pick<EventStream, 'pushTo' | 'end'> {
  return source instanceof EventStream;
}

/**
 * Executions in flight or done, per event (the payload object the EventBus hands every
 * subscriber of an instance) and per sharing key; forgotten with the event. The subscribers
 * after the first are handed the settled result itself, without waiting a turn for it.
 */
const sharedResults = new WeakMap<object, Map<string, SharedExecution>>();

/**
 * graphql-js `subscribe`, except that:
 * - each event is executed with a context of its own (`contextForEvent`: a fresh `em.fork()`
 *   and fresh DataLoaders) instead of the one context of the subscription, so a long-lived
 *   subscription never serves stale cached entities nor grows an identity map forever. The
 *   root field's `subscribe` sees the subscription's context (the viewer) for access checks;
 * - subscribers of the same operation and variables share one execution per event: all of
 *   them when it selects only the event's scalars, else those with the same viewer.
 *
 * Unlike an async generator, `return()` ends the source at once, even while it waits.
 */
export async function subscribeWithContextPerEvent(
  args: ExecutionArgs,
  options: PerEventOptions,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source;
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  const shareKey = [
    selectsEventScalarsOnly(args) ? '*' : options.viewerKey(args.contextValue),
    args.operationName ?? '',
    JSON.stringify(args.variableValues ?? {}),
    print(args.document),
  ].join('\n');
  const sender = options.directSender?.(args.contextValue) ?? null;
  // `args` is the object the transport keeps for the subscription's life (graphql-ws does):
  // from now on it holds only what each event's context is made from.
  const kept = options.keepForEvents(args.contextValue);
  args.contextValue = kept;

  const run = async (payload: unknown): Promise<IteratorResult<ExecutionResult>> => ({
    value: withPlainData(
      await execute({
        ...args,
        rootValue: payload,
        contextValue: options.contextForEvent(kept),
      }),
    ),
    done: false,
  });

  /** The execution of `payload` this subscription shares with others, started if need be. */
  const sharedExecution = (payload: object): SharedExecution => {
    let results = sharedResults.get(payload);
    if (!results) {
      results = new Map();
      sharedResults.set(payload, results);
    }
    const shared = results.get(shareKey);
    if (shared) return shared;
    const execution: SharedExecution = { pending: run(payload) };
    execution.pending.then(
      (result) => {
        execution.settled = result;
        const waiting = execution.waiting ?? [];
        execution.waiting = undefined;
        for (const send of waiting) send(execution);
      },
      (err: unknown) => {
        for (const send of execution.waiting ?? []) send(execution, err);
        execution.waiting = undefined;
      },
    );
    results.set(shareKey, execution);
    return execution;
  };

  const executeEvent = (
    payload: unknown,
  ): IteratorResult<ExecutionResult> | Promise<IteratorResult<ExecutionResult>> => {
    if (typeof payload !== 'object' || payload === null) return run(payload);
    const shared = sharedExecution(payload);
    return shared.settled ?? shared.pending;
  };

  // Direct sends. `sending` is the shared execution whose result this subscription waits
  // for, if any: until it is sent, later events wait behind it (see `next`).
  const serialize = options.serializeResult;
  const pushing = sender && serialize && canPush(source) ? source : null;
  let sending: SharedExecution | null = null;
  const sendDirect = (execution: SharedExecution, failure?: unknown): void => {
    if (sending === execution) sending = null;
    if (finished || !sender || !serialize) return;
    if (failure === undefined) sender.send(serializedOf(execution, serialize));
    else pushing?.end(failure instanceof Error ? failure : new Error(String(failure)));
  };
  if (pushing && sender && serialize) {
    pushing.pushTo({
      ready: () => !finished && sending === null && sender.ready(),
      take: (event) => {
        const execution = sharedExecution(event);
        if (execution.settled) {
          sender.send(serializedOf(execution, serialize));
          return;
        }
        sending = execution;
        (execution.waiting ??= []).push(sendDirect);
      },
    });
  }

  const end = async (): Promise<IteratorResult<ExecutionResult>> => {
    if (!finished) {
      finished = true;
      await iterator.return?.();
    }
    return { value: undefined, done: true };
  };

  /** A failed stream ends with one result carrying the error, then completes. */
  const failed = (err: unknown): IteratorResult<ExecutionResult> => {
    finished = true;
    // An expected end (e.g. FORBIDDEN: the viewer lost access) says so, typed.
    if (err instanceof GraphQLError) return { value: { errors: [err] }, done: false };
    // The database went away while the stream read its backlog: typed, to retry later.
    if (isDatabaseUnavailable(err)) {
      return { value: { errors: [serviceUnavailable()] }, done: false };
    }
    if (!(err instanceof SubscriberTooSlowError)) options.onStreamError?.(err);
    const message =
      err instanceof SubscriberTooSlowError
        ? err.message
        : 'The event stream failed; subscribe again with the last event id you saw.';
    return { value: { errors: [new GraphQLError(message)] }, done: false };
  };

  const mapped: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]() {
      return mapped;
    },
    // A promise chain rather than an async function: a subscription waits for its next event
    // most of its life, and a suspended async function holds its whole frame meanwhile.
    next() {
      if (finished) return Promise.resolve({ value: undefined, done: true });
      let pending: Promise<IteratorResult<unknown>>;
      try {
        pending = iterator.next();
      } catch (err) {
        return Promise.resolve(failed(err));
      }
      return pending.then((item) => {
        if (item.done) {
          finished = true;
          return { value: undefined, done: true };
        }
        // An event sent directly still waits for its result: this one goes after it.
        const before = sending;
        return before
          ? before.pending.then(
              () => executeEvent(item.value),
              () => executeEvent(item.value),
            )
          : executeEvent(item.value);
      }, failed);
    },
    return: end,
    async throw(err: unknown) {
      await end();
      throw err;
    },
  };
  return mapped;
}
