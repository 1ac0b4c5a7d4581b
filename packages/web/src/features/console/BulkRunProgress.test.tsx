import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runInProgress, useBulkRunLive } from './BulkRunProgress';

/** A client whose subscription opens and stays quiet, as a stream with nothing new does. */
function quietClient() {
  const link = new ApolloLink(() => new Observable<ApolloLink.Result>(() => undefined));
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

describe('useBulkRunLive', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads a run in progress again every few seconds even when the stream is quiet, and stops when it ends', () => {
    const client = quietClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <ApolloProvider client={client}>{children}</ApolloProvider>
    );
    const onChange = vi.fn();
    const { rerender, unmount } = renderHook(
      ({ status }: { status: string }) => useBulkRunLive('run_1', onChange, runInProgress(status)),
      { wrapper, initialProps: { status: 'RUNNING' } },
    );
    act(() => vi.advanceTimersByTime(5_000));
    expect(onChange).toHaveBeenCalledTimes(1);
    act(() => vi.advanceTimersByTime(10_000));
    expect(onChange).toHaveBeenCalledTimes(3);

    rerender({ status: 'FINISHED' });
    act(() => vi.advanceTimersByTime(20_000));
    expect(onChange).toHaveBeenCalledTimes(3);
    unmount();
  });

  it('knows which statuses are in progress', () => {
    expect(['PLANNED', 'QUEUED', 'RUNNING', 'FINISHED', 'REFUSED'].map(runInProgress)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });
});
