import { describe, expect, it } from 'vitest';
import { gql } from '@apollo/client';
import { createCache, websocketUrl } from './client';

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
