import { describe, expect, it } from 'vitest';
import type { GatewayDb } from './gateway-db.js';
import { UsageBatch, UsageWriter, type UsageKey } from './usage-recorder.js';

const MINUTE = Date.parse('2026-05-04T10:00:00Z');

const key = (appId: string): UsageKey => ({
  organizationId: 'org_writer',
  appId,
  productId: 'prd_writer',
  credentialId: '',
  environmentId: '',
});

interface Statement {
  params: unknown[];
  release: () => void;
  fail: (error: Error) => void;
}

/** A database whose statements wait until the test lets each one end (or fail). */
function heldDatabase() {
  const statements: Statement[] = [];
  let arrived: (() => void) | null = null;
  const db = {
    query(_sql: string, params: unknown[] = []) {
      return new Promise<never[]>((resolve, reject) => {
        statements.push({ params, release: () => resolve([]), fail: reject });
        arrived?.();
      });
    },
  };
  const nextStatement = async (index: number): Promise<Statement> => {
    while (statements.length <= index) {
      await new Promise<void>((resolve) => (arrived = resolve));
    }
    return statements[index]!;
  };
  return { db: db as unknown as GatewayDb, statements, nextStatement };
}

/** The app ids and requests of a statement's per-app rows ($2 and $7 of writeUsage). */
const rowsOf = (statement: Statement) => {
  const apps = statement.params[1] as string[];
  const requests = statement.params[6] as number[];
  return apps.map((app, i) => [app, requests[i]]);
};

const settled = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'written',
    (error: unknown) => `failed: ${(error as Error).message}`,
  );

describe('usage writer (group commit)', () => {
  it('writes what comes in during a statement with the next one, rows added up', async () => {
    const { db, statements, nextStatement } = heldDatabase();
    const writer = new UsageWriter(db);

    const first = writer.nextBatch();
    first.batch.addRequest(MINUTE, key('app_a'));
    const running = await nextStatement(0);

    // Three reports and a flush arrive while the first statement runs.
    const reports = ['app_a', 'app_b', 'app_a'].map((appId) => {
      const next = writer.nextBatch();
      next.batch.addResponse(MINUTE + 1_000, key(appId), false, 12, 1);
      next.batch.addRequest(MINUTE, key(appId));
      return next.written;
    });
    const flushed = new UsageBatch();
    flushed.addRequest(MINUTE + 30_000, key('app_b'));
    const flush = writer.write(flushed, true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(statements).toHaveLength(1);

    running.release();
    expect(await settled(first.written)).toBe('written');
    const second = await nextStatement(1);
    expect(rowsOf(second)).toEqual([
      ['app_a', 2],
      ['app_b', 2],
    ]);
    second.release();
    expect(await Promise.all([...reports, flush].map(settled))).toEqual([
      'written',
      'written',
      'written',
      'written',
    ]);
    expect(statements).toHaveLength(2);
    // The flushed batch is copied, not taken: it can be written again if its statement fails.
    expect(flushed.size).toBe(1);
  });

  it('fails every caller of a statement that fails, and goes on with the next', async () => {
    const { db, nextStatement } = heldDatabase();
    const writer = new UsageWriter(db);

    const first = writer.nextBatch();
    first.batch.addRequest(MINUTE, key('app_a'));
    const running = await nextStatement(0);
    const failing = [writer.nextBatch(), writer.nextBatch()].map((next, i) => {
      next.batch.addRequest(MINUTE, key(`app_${i}`));
      return next.written;
    });
    running.release();
    (await nextStatement(1)).fail(new Error('connection lost'));
    expect(await Promise.all([first.written, ...failing].map(settled))).toEqual([
      'written',
      'failed: connection lost',
      'failed: connection lost',
    ]);

    const later = writer.nextBatch();
    later.batch.addRequest(MINUTE, key('app_c'));
    const third = await nextStatement(2);
    expect(rowsOf(third)).toEqual([['app_c', 1]]);
    third.release();
    expect(await settled(later.written)).toBe('written');
  });

  it('writes nothing for an empty batch', async () => {
    const { db, statements } = heldDatabase();
    const writer = new UsageWriter(db);
    expect(await settled(writer.write(new UsageBatch()))).toBe('written');
    expect(await settled(writer.nextBatch().written)).toBe('written');
    expect(statements).toHaveLength(0);
  });
});
