import {
  ApolloClient,
  ApolloLink,
  HttpLink,
  InMemoryCache,
  type FieldMergeFunction,
  type FieldPolicy,
} from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { OperationTypeNode, type DocumentNode } from 'graphql';
import { from, mergeMap } from 'rxjs';
import { registerSocketEvents, SocketEvents } from './socketEvents';

/** The GraphQL endpoint lives on the same origin as the app (the dev server proxies it). */
export const GRAPHQL_PATH = '/graphql';

export function websocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${GRAPHQL_PATH}`;
}

/**
 * The hash under which a document is registered as one of the app's trusted documents: codegen
 * puts it on every document written with `graphql()` from src/gql (`__meta__.hash`, the
 * SHA-256 listed in trusted-documents.json).
 */
export function registeredHash(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string') {
    throw new Error(
      'This operation is not a registered document: write it with graphql() from src/gql and run `pnpm documents:write`.',
    );
  }
  return hash;
}

/**
 * Queries and mutations go by the hash of their trusted document alone
 * (`extensions.persistedQuery`): signed in by the session cookie, the server runs nothing
 * else, and reads the document by its hash. A hash it does not know means it runs another
 * build than this page: sending the document instead would not help, so nothing is retried.
 */
export function trustedDocumentLink(): ApolloLink {
  return new PersistedQueryLink({
    generateHash: registeredHash,
    retry: () => false,
    disable: () => false,
  });
}

/** HTTP for queries and mutations; the session cookie rides along, and the header satisfies
 * Apollo Server's CSRF prevention. */
function httpLink(): ApolloLink {
  return ApolloLink.from([
    trustedDocumentLink(),
    new HttpLink({
      uri: GRAPHQL_PATH,
      credentials: 'same-origin',
      headers: { 'apollo-require-preflight': 'true' },
    }),
  ]);
}

/** How long the socket stays open after its last subscription ends (e.g. between pages). */
const LAZY_CLOSE_MS = 3_000;

/**
 * Subscriptions over graphql-ws at ws(s)://<host>/graphql, each sent as its document (which
 * the server recognizes as a trusted one by its hash). graphql-ws and the link are loaded
 * with the first subscription, so pages without live data do not pay for them. Every
 * connection and close of the socket is reported on `events`.
 */
function subscriptionLink(url: string, events: SocketEvents): ApolloLink {
  let link: Promise<ApolloLink> | null = null;
  const load = (): Promise<ApolloLink> =>
    (link ??= Promise.all([import('graphql-ws'), import('@apollo/client/link/subscriptions')]).then(
      ([ws, subscriptions]) =>
        new subscriptions.GraphQLWsLink(
          ws.createClient({
            url,
            lazy: true,
            // A subscription that restarts (see useLiveEvents) must not close the socket.
            lazyCloseTimeout: LAZY_CLOSE_MS,
            retryAttempts: Infinity,
            shouldRetry: () => true,
            on: {
              connected: () => events.emit('connected'),
              closed: () => events.emit('closed'),
            },
          }),
        ),
    ));
  return new ApolloLink((operation, forward) =>
    from(load()).pipe(mergeMap((loaded) => loaded.request(operation, forward))),
  );
}

interface NodePage {
  nodes: readonly unknown[];
}

/**
 * A connection shown with "Load more": the next page (fetched with `after`) is appended to the
 * nodes already shown; a first page (no `after`) replaces them. `keyArgs` keep apart the lists
 * that other arguments (a status, a filter) select.
 */
function appendingPages(keyArgs: string[] | false): FieldPolicy<NodePage> {
  return {
    keyArgs,
    merge(existing, incoming, { args }) {
      if (!existing || !args?.['after']) return incoming;
      return { ...incoming, nodes: [...existing.nodes, ...incoming.nodes] };
    },
  };
}

/**
 * A bulk run and its items only move forward: an answer read before a live event (a refetch
 * still in flight when the run's last event arrives) must not put the run back to RUNNING or
 * its counts back down.
 */
const RUN_STATUS_RANK: Readonly<Record<string, number>> = {
  PLANNED: 0,
  QUEUED: 1,
  RUNNING: 2,
  FINISHED: 3,
  REFUSED: 3,
};
const ITEM_STATE_RANK: Readonly<Record<string, number>> = { PLANNED: 0, APPLIED: 1, FAILED: 1 };

function forwardOnly(rank: (value: unknown) => number): FieldMergeFunction {
  return (existing: unknown, incoming: unknown) =>
    existing !== undefined && rank(existing) > rank(incoming) ? existing : incoming;
}
const rankIn =
  (ranks: Readonly<Record<string, number>>) =>
  (value: unknown): number =>
    typeof value === 'string' ? (ranks[value] ?? 0) : 0;
const asCount = (value: unknown): number => (typeof value === 'number' ? value : 0);
const asPresence = (value: unknown): number => (value === null || value === undefined ? 0 : 1);

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    // Fragments on interfaces match their implementations (schema.graphql: `implements ReviewItem`).
    possibleTypes: { ReviewItem: ['GrantReviewItem', 'ApplicationReviewItem'] },
    typePolicies: {
      Query: {
        fields: {
          // "Load more" appends the next page (fetched with `after`) to the list already shown.
          mailOutbox: appendingPages(false),
          reviewQueue: { keyArgs: ['filter'], merge: false },
          products: { merge: false },
          plans: { merge: false },
          reasonTemplates: { merge: false },
        },
      },
      // Lists owned by a parent are replaced wholesale when refetched.
      Organization: {
        fields: {
          members: { merge: false },
          invitations: { keyArgs: ['status'], merge: false },
          membersConnection: appendingPages(false),
          projectsConnection: { merge: false },
          appsConnection: { merge: false },
          standaloneAppsConnection: { merge: false },
          invitationsConnection: appendingPages(['status']),
          projects: { merge: false },
          standaloneApps: { merge: false },
          apps: { merge: false },
          planSubscriptions: { merge: false },
          devEnvironments: { keyArgs: ['productId'], merge: false },
        },
      },
      Project: { fields: { apps: { merge: false }, appsConnection: appendingPages(false) } },
      User: {
        fields: {
          organizations: { merge: false },
          personalAccessTokens: { merge: false },
          notifications: { keyArgs: ['unreadOnly'], merge: false },
        },
      },
      App: {
        fields: {
          attributes: { merge: false },
          callbackUrls: { merge: false },
          grants: { merge: false },
        },
      },
      ApiProduct: { fields: { approvalRules: { merge: false } } },
      BulkRun: {
        fields: {
          status: { merge: forwardOnly(rankIn(RUN_STATUS_RANK)) },
          appliedCount: { merge: forwardOnly(asCount) },
          failedCount: { merge: forwardOnly(asCount) },
          finishedAt: { merge: forwardOnly(asPresence) },
        },
      },
      BulkRunItem: { fields: { state: { merge: forwardOnly(rankIn(ITEM_STATE_RANK)) } } },
      DeveloperApplication: { fields: { messages: { merge: false } } },
      // An app's or organization's usage (no id of its own): the newest answer wins.
      StaffUsage: { merge: true },
    },
  });
}

export function createApolloClient(location: Location = window.location): ApolloClient {
  const events = new SocketEvents();
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    subscriptionLink(websocketUrl(location), events),
    httpLink(),
  );
  const client = new ApolloClient({ link, cache: createCache() });
  registerSocketEvents(client, events);
  return client;
}
