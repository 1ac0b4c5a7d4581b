import { describe, expect, it } from 'vitest';
import { BackgroundWork } from './context.js';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: () => void } {
  let resolve!: () => void;
  let reject!: () => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = () => rej(new Error('failed'));
  });
  return { promise, resolve, reject };
}

describe('BackgroundWork', () => {
  it('settles once all work is done, work added meanwhile included, failures too', async () => {
    const background = new BackgroundWork();
    const first = deferred();
    const second = deferred();
    const failing = deferred();
    failing.promise.catch(() => undefined);
    background.add(first.promise);
    background.add(failing.promise);
    let settled = false;
    const done = background.settled().then(() => {
      settled = true;
    });
    background.add(second.promise);
    first.resolve();
    failing.reject();
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    second.resolve();
    await done;
    expect(settled).toBe(true);
  });

  it('settles at once with nothing running', async () => {
    await expect(new BackgroundWork().settled()).resolves.toBeUndefined();
  });
});
