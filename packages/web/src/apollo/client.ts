import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { OperationTypeNode } from 'graphql';
import { from, mergeMap } from 'rxjs';

/** The GraphQL endpoint lives on the same origin as the app (the dev server proxies it). */
export const GRAPHQL_PATH = '/graphql';

export function websocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${GRAPHQL_PATH}`;
}

/** HTTP for queries and mutations; the session cookie rides along, and the header satisfies
 * Apollo Server's CSRF prevention. */
function httpLink(): ApolloLink {
  return new HttpLink({
    uri: GRAPHQL_PATH,
    credentials: 'same-origin',
    headers: { 'apollo-require-preflight': 'true' },
  });
}

/**
 * Subscriptions over graphql-ws at ws(s)://<host>/graphql. graphql-ws and the link are loaded
 * with the first subscription, so pages without live data do not pay for them.
 */
function subscriptionLink(url: string): ApolloLink {
  let link: Promise<ApolloLink> | null = null;
  const load = (): Promise<ApolloLink> =>
    (link ??= Promise.all([import('graphql-ws'), import('@apollo/client/link/subscriptions')]).then(
      ([ws, subscriptions]) =>
        new subscriptions.GraphQLWsLink(
          ws.createClient({ url, lazy: true, retryAttempts: Infinity, shouldRetry: () => true }),
        ),
    ));
  return new ApolloLink((operation, forward) =>
    from(load()).pipe(mergeMap((loaded) => loaded.request(operation, forward))),
  );
}

interface OutboxPage {
  nodes: readonly unknown[];
}

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          // "Load more" appends the next page (fetched with `after`) to the list already shown.
          mailOutbox: {
            keyArgs: false,
            merge(existing: OutboxPage | undefined, incoming: OutboxPage, { args }) {
              if (!existing || !args?.['after']) return incoming;
              return { ...incoming, nodes: [...existing.nodes, ...incoming.nodes] };
            },
          },
        },
      },
      // Lists owned by a parent are replaced wholesale when refetched.
      Organization: {
        fields: {
          members: { merge: false },
          invitations: { keyArgs: ['status'], merge: false },
          projects: { merge: false },
          standaloneApps: { merge: false },
          apps: { merge: false },
        },
      },
      Project: { fields: { apps: { merge: false } } },
      User: { fields: { organizations: { merge: false }, personalAccessTokens: { merge: false } } },
      App: { fields: { attributes: { merge: false }, callbackUrls: { merge: false } } },
    },
  });
}

export function createApolloClient(location: Location = window.location): ApolloClient {
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    subscriptionLink(websocketUrl(location)),
    httpLink(),
  );
  return new ApolloClient({ link, cache: createCache() });
}
