import type { ApolloClient } from '@apollo/client';

export type SocketEvent = 'connected' | 'closed';
type Listener = () => void;

/**
 * The life of the subscription WebSocket, for code that must act when it (re)connects: after a
 * drop graphql-ws re-sends each subscription with its original variables, so a subscription
 * that resumes from a cursor (`after`) has to restart itself from the latest event it saw.
 */
export class SocketEvents {
  private readonly listeners = new Map<SocketEvent, Set<Listener>>();

  on(event: SocketEvent, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit(event: SocketEvent): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener();
  }
}

const registry = new WeakMap<ApolloClient, SocketEvents>();

export function registerSocketEvents(client: ApolloClient, events: SocketEvents): void {
  registry.set(client, events);
}

/** The socket events of a client made by createApolloClient (undefined for other clients). */
export function socketEventsOf(client: ApolloClient): SocketEvents | undefined {
  return registry.get(client);
}
