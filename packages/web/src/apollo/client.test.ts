import { afterEach, describe, expect, it, vi } from 'vitest';
import { gql } from '@apollo/client';
import { Kind, type DocumentNode } from 'graphql';
import trustedDocuments from '../../../../trusted-documents.json';
import * as generated from '../gql/graphql';
import { AccountDocument } from '../gql/graphql';
import { createApolloClient, createCache, registeredHash, websocketUrl } from './client';

describe('websocketUrl', () => {
  it('follows the page protocol', () => {
    expect(websocketUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe(
      'ws://localhost:5173/graphql',
    );
    expect(websocketUrl({ protocol: 'https:', host: 'portal.example' })).toBe(
      'wss://portal.example/graphql',
    );
  });
});

describe('bulk runs in the cache', () => {
  const RunFields = gql`
    fragment Run on BulkRun {
      id
      status
      appliedCount
      failedCount
      finishedAt
    }
  `;
  const write = (cache: ReturnType<typeof createCache>, run: Record<string, unknown>) =>
    cache.writeFragment({
      fragment: RunFields,
      data: { __typename: 'BulkRun', id: 'blk_1', failedCount: 0, finishedAt: null, ...run },
    });
  const read = (cache: ReturnType<typeof createCache>) =>
    cache.readFragment<Record<string, unknown>>({ fragment: RunFields, id: 'BulkRun:blk_1' });

  it('keeps the last event of a run when an answer read before it arrives later', () => {
    const cache = createCache();
    write(cache, { status: 'RUNNING', appliedCount: 0 });
    write(cache, { status: 'FINISHED', appliedCount: 1, finishedAt: '2026-11-30T10:00:00Z' });
    write(cache, { status: 'RUNNING', appliedCount: 1 });
    expect(read(cache)).toMatchObject({
      status: 'FINISHED',
      appliedCount: 1,
      finishedAt: '2026-11-30T10:00:00Z',
    });
  });

  it('moves a run forward', () => {
    const cache = createCache();
    write(cache, { status: 'PLANNED', appliedCount: 0 });
    write(cache, { status: 'QUEUED', appliedCount: 0 });
    write(cache, { status: 'RUNNING', appliedCount: 3, failedCount: 1 });
    expect(read(cache)).toMatchObject({ status: 'RUNNING', appliedCount: 3, failedCount: 1 });
    write(cache, { status: 'REFUSED', appliedCount: 3, failedCount: 1 });
    expect(read(cache)).toMatchObject({ status: 'REFUSED' });
  });
});

describe('trusted documents', () => {
  const registered = new Set(Object.keys(trustedDocuments));
  const location = { protocol: 'http:', host: 'portal.example' } as Location;

  /** Answers every request with `answer`, keeping the bodies sent. */
  function stubFetch(answer: unknown): Record<string, unknown>[] {
    const bodies: Record<string, unknown>[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        bodies.push(JSON.parse(String(init.body)) as Record<string, unknown>);
        return new Response(JSON.stringify(answer), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }),
    );
    return bodies;
  }

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('registers every operation the app writes', () => {
    const operations = Object.entries(generated as Record<string, unknown>).filter(
      ([name, value]) =>
        name.endsWith('Document') &&
        (value as DocumentNode).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION),
    );
    expect(operations.length).toBeGreaterThan(0);
    for (const [name, document] of operations) {
      expect(registered.has(registeredHash(document as DocumentNode)), name).toBe(true);
    }
  });

  it('sends a query by the hash of its trusted document alone', async () => {
    const bodies = stubFetch({ data: { __typename: 'Query', viewer: null } });
    const client = createApolloClient(location);
    await client.query({ query: AccountDocument });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.['query']).toBeUndefined();
    expect(bodies[0]?.['operationName']).toBe('Account');
    expect(bodies[0]?.['extensions']).toMatchObject({
      persistedQuery: { version: 1, sha256Hash: registeredHash(AccountDocument) },
    });
    expect(registered.has(registeredHash(AccountDocument))).toBe(true);
  });

  it('does not send the document when the server does not know the hash', async () => {
    const bodies = stubFetch({
      errors: [
        { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      ],
    });
    const client = createApolloClient(location);
    await expect(client.query({ query: AccountDocument })).rejects.toThrow(
      /PersistedQueryNotFound/,
    );
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.['query']).toBeUndefined();
  });

  it('refuses to send a document that is not registered', async () => {
    const bodies = stubFetch({ data: { viewer: null } });
    const client = createApolloClient(location);
    const unregistered = gql`
      query Unregistered {
        viewer {
          id
        }
      }
    `;
    await expect(client.query({ query: unregistered })).rejects.toThrow(
      /not a registered document/,
    );
    expect(bodies).toHaveLength(0);
  });
});
