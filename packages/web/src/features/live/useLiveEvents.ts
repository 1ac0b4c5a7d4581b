import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { socketEventsOf } from '../../apollo/socketEvents';

/** An event id grows over time; ids are compared as integers when they are numeric. */
export function isNewerEventId(id: string, last: string | null): boolean {
  if (last === null) return true;
  if (/^\d+$/.test(id) && /^\d+$/.test(last)) return BigInt(id) > BigInt(last);
  return id !== last;
}

const RETRY_MS = 10_000;
const DEFAULT_POLL_MS = 15_000;

export interface LiveEventsOptions<
  TData,
  TVariables extends OperationVariables,
  TEvent extends { id: string },
> {
  /** A subscription taking an `after: ID` argument (resume point). */
  subscription: TypedDocumentNode<TData, TVariables>;
  /** The subscription's variables without `after`. */
  variables: Omit<TVariables, 'after'>;
  /** The event inside a subscription result. */
  select: (data: TData) => TEvent | null | undefined;
  onEvent: (event: TEvent) => void;
  /** Called on an interval while the subscription is down, to keep the page fresh. */
  onPoll?: () => void;
  pollMs?: number;
  skip?: boolean;
}

/**
 * Live events over a GraphQL subscription, each delivered once and in order. When the
 * subscription fails (or the server does not offer it), `onPoll` runs on an interval instead,
 * and the subscription is retried from the last event seen (`after`), so nothing is missed.
 * Likewise when the WebSocket drops and reconnects: graphql-ws would re-send the subscription
 * with the `after` it started with, so it is restarted from the last event seen instead, and
 * the server replays what happened while the socket was down.
 */
export function useLiveEvents<
  TData,
  TVariables extends OperationVariables,
  TEvent extends { id: string },
>(options: LiveEventsOptions<TData, TVariables, TEvent>): { live: boolean } {
  const client = useApolloClient();
  const [live, setLive] = useState(false);
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const lastId = useRef<string | null>(null);
  const { subscription, skip, pollMs = DEFAULT_POLL_MS } = options;
  const variablesKey = JSON.stringify(options.variables);

  useEffect(() => {
    if (skip) return;
    let stopped = false;
    let pollTimer: ReturnType<typeof setInterval> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let current: { unsubscribe(): void } | null = null;
    // The socket closed since the current subscription started: it may have missed events.
    let dropped = false;
    lastId.current = null;

    const startPolling = () => {
      setLive(false);
      if (pollTimer === null && latest.current.onPoll) {
        latest.current.onPoll();
        pollTimer = setInterval(() => latest.current.onPoll?.(), pollMs);
      }
    };
    const stopPolling = () => {
      if (pollTimer !== null) clearInterval(pollTimer);
      pollTimer = null;
    };
    const fail = () => {
      current?.unsubscribe();
      current = null;
      if (stopped) return;
      startPolling();
      retryTimer = setTimeout(connect, RETRY_MS);
    };
    function connect(): void {
      if (stopped) return;
      dropped = false;
      const variables = {
        ...(JSON.parse(variablesKey) as Omit<TVariables, 'after'>),
        after: lastId.current,
      } as unknown as TVariables;
      current = client.subscribe({ query: subscription, variables }).subscribe({
        next: (result) => {
          if (result.error || !result.data) {
            fail();
            return;
          }
          setLive(true);
          stopPolling();
          const event = latest.current.select(result.data as TData);
          if (!event || !isNewerEventId(event.id, lastId.current)) return;
          lastId.current = event.id;
          latest.current.onEvent(event);
        },
        error: fail,
        complete: () => {
          if (!stopped) fail();
        },
      });
      setLive(true);
    }
    // On every (re)connection after a drop, resubscribe from the latest event seen. The new
    // subscription starts before the old one ends, so the socket always has one to carry.
    const restart = () => {
      if (stopped || !dropped || current === null) return;
      const previous = current;
      connect();
      previous.unsubscribe();
    };
    const socket = socketEventsOf(client);
    const unlisten = socket
      ? [
          socket.on('closed', () => {
            dropped = true;
          }),
          socket.on('connected', restart),
        ]
      : [];

    connect();
    return () => {
      stopped = true;
      for (const off of unlisten) off();
      stopPolling();
      if (retryTimer !== null) clearTimeout(retryTimer);
      current?.unsubscribe();
    };
  }, [client, subscription, variablesKey, skip, pollMs]);

  return { live };
}
