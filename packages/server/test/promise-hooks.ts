import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Whether Node's promise hooks are on: a promise made now carries async context. On Node 20 an
 * AsyncLocalStorage, once used, keeps them on until it is disabled, and every promise of every
 * request then pays for them.
 */
export function promiseHooksOn(): boolean {
  return Object.getOwnPropertySymbols(Promise.resolve()).length > 0;
}

/** Waits until the hooks are off (nothing that needs them pending, background jobs included). */
export async function hooksOffSoon(): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (!promiseHooksOn()) return true;
    await sleep(5);
  }
  return false;
}
