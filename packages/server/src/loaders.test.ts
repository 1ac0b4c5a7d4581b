import { describe, expect, it } from 'vitest';
import { andThen, SettledLoader } from './loaders.js';

/** A loader of squares that records each batch it was asked for. */
function squares(fail: ReadonlySet<number> = new Set()) {
  const batches: number[][] = [];
  const loader = new SettledLoader<number, number>(async (keys) => {
    batches.push([...keys]);
    return keys.map((key) => (fail.has(key) ? new Error(`no square of ${key}`) : key * key));
  });
  return { loader, batches };
}

describe('SettledLoader', () => {
  it('answers a key it has not loaded with a promise, and once it settled with the value itself', async () => {
    const { loader, batches } = squares();
    const first = loader.get(3);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBe(9);
    expect(loader.get(3)).toBe(9);
    expect(batches).toEqual([[3]]);
  });

  it('loads many keys in one batch, then answers each of them at once', async () => {
    const { loader, batches } = squares();
    await loader.loadMany([1, 2, 3]);
    expect([loader.get(1), loader.get(2), loader.get(3)]).toEqual([1, 4, 9]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('keeps a failure as a rejected promise, so that whoever asks sees the error', async () => {
    const { loader } = squares(new Set([4]));
    const loaded = await loader.loadMany([4, 5]);
    expect(loaded[0]).toBeInstanceOf(Error);
    const again = loader.get(4);
    expect(again).toBeInstanceOf(Promise);
    await expect(again).rejects.toThrow('no square of 4');
    expect(loader.get(5)).toBe(25);
  });

  it('forgets what it settled when cleared, and loads it again', async () => {
    const { loader, batches } = squares();
    await loader.load(2);
    loader.clear(2);
    const reloaded = loader.get(2);
    expect(reloaded).toBeInstanceOf(Promise);
    expect(await reloaded).toBe(4);
    await loader.load(3);
    loader.clearAll();
    const again = loader.get(3);
    expect(again).toBeInstanceOf(Promise);
    expect(await again).toBe(9);
    expect(batches).toEqual([[2], [2], [3], [3]]);
  });

  it('does not keep the value of a load that was cleared before it settled', async () => {
    let round = 0;
    const loader = new SettledLoader<string, number>(async (keys) => {
      round += 1;
      const answer = round;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return keys.map(() => answer);
    });
    const stale = loader.load('k');
    // Its batch is under way (answering after 5 ms) when the key is cleared.
    await new Promise((resolve) => setImmediate(resolve));
    loader.clear('k');
    expect(await stale).toBe(1);
    const fresh = loader.get('k');
    expect(fresh).toBeInstanceOf(Promise);
    expect(await fresh).toBe(2);
    expect(loader.get('k')).toBe(2);
  });

  it('answers a primed value at once once it settled, without a batch', async () => {
    const { loader, batches } = squares();
    loader.prime(7, 50);
    // The primed value, as DataLoader answers it: not a square.
    expect(await loader.load(7)).toBe(50);
    expect(loader.get(7)).toBe(50);
    expect(batches).toEqual([]);
  });

  it('keys what it settled by the cache key, as DataLoader does', async () => {
    const loader = new SettledLoader<{ id: string }, string, string>(
      async (keys) => keys.map((key) => key.id.toUpperCase()),
      { cacheKeyFn: (key) => key.id },
    );
    await loader.load({ id: 'a' });
    expect(loader.get({ id: 'a' })).toBe('A');
  });
});

describe('andThen', () => {
  it('calls on at once with a value, and after it settles with a promise', async () => {
    expect(andThen(2, (n) => n + 1)).toBe(3);
    const later = andThen(Promise.resolve(2), (n) => n + 1);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(3);
  });

  it('lets a refusal thrown on a value through at once, and rejects on a promise', async () => {
    const refuse = (): number => {
      throw new Error('refused');
    };
    expect(() => andThen(1, refuse)).toThrow('refused');
    await expect(andThen(Promise.resolve(1), refuse)).rejects.toThrow('refused');
  });
});
