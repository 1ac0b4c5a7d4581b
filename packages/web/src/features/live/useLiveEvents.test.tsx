import { ApolloClient, ApolloLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { act, renderHook } from '@testing-library/react';
import { parse } from 'graphql';
import type { ReactNode } from 'react';
import { Observable, type Subscriber } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { registerSocketEvents, SocketEvents } from '../../apollo/socketEvents';
import { useLiveEvents } from './useLiveEvents';

interface Event {
  __typename: 'Event';
  id: string;
}
// Parsed rather than tagged: a test-only operation, outside codegen's documents.
const EventsSubscription: TypedDocumentNode<{ events: Event }, { after?: string | null }> = parse(
  'subscription Events($after: ID) { events(after: $after) { id } }',
);

interface Opened {
  after: unknown;
  sink: Subscriber<ApolloLink.Result>;
  closed: boolean;
}

function setup() {
  const opened: Opened[] = [];
  const link = new ApolloLink(
    (operation) =>
      new Observable<ApolloLink.Result>((sink) => {
        const entry: Opened = { after: operation.variables['after'], sink, closed: false };
        opened.push(entry);
        return () => {
          entry.closed = true;
        };
      }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const socket = new SocketEvents();
  registerSocketEvents(client, socket);
  const seen: string[] = [];
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ApolloProvider client={client}>{children}</ApolloProvider>
  );
  renderHook(
    () =>
      useLiveEvents({
        subscription: EventsSubscription,
        variables: {},
        select: (data) => data.events,
        onEvent: (event) => seen.push(event.id),
      }),
    { wrapper },
  );
  const send = (entry: Opened | undefined, id: string) =>
    act(() => entry?.sink.next({ data: { events: { __typename: 'Event', id } } }));
  return { opened, socket, seen, send };
}

describe('useLiveEvents', () => {
  it('resubscribes from the latest event when the socket reconnects', async () => {
    const { opened, socket, seen, send } = setup();
    await act(async () => undefined);
    expect(opened.map((entry) => entry.after)).toEqual([null]);

    // The first connection does not restart the subscription.
    act(() => socket.emit('connected'));
    expect(opened).toHaveLength(1);

    await send(opened[0], '7');
    act(() => {
      socket.emit('closed');
      socket.emit('connected');
    });
    await act(async () => undefined);
    expect(opened.map((entry) => entry.after)).toEqual([null, '7']);
    expect(opened[0]?.closed).toBe(true);

    // Replayed and new events after the restart, delivered once each.
    await send(opened[1], '7');
    await send(opened[1], '8');
    expect(seen).toEqual(['7', '8']);
  });
});
