import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/harness.js';
import { freePort } from '../../test/nginx.js';
import { initOrm } from '../database.js';
import { badInput } from '../errors.js';
import { describeConnectionFailure, isDatabaseUnavailable } from './availability.js';

let orm: MikroORM;

beforeAll(async () => {
  orm = await initOrm({ clientUrl: await createTestDatabase() });
});

afterAll(async () => {
  await orm.close(true);
});

/** What `run` rejects with (it must reject). */
async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('isDatabaseUnavailable', () => {
  it('recognises a PostgreSQL that refuses connections', async () => {
    const client = new pg.Client({
      connectionString: `postgres://127.0.0.1:${await freePort()}/x`,
    });
    const error = await failureOf(() => client.connect());
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(describeConnectionFailure(error).code).toBe('ECONNREFUSED');
  });

  it('recognises a connection terminated by the server, through the ORM', async () => {
    const error = await failureOf(() =>
      orm.em.fork().getConnection().execute('select pg_terminate_backend(pg_backend_pid())'),
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(describeConnectionFailure(error).code).toBe('57P01');
    // The pool drops the dead connection (knex may hand it out once more before it notices,
    // which fails the same way) and makes a new one.
    const select = () => orm.em.fork().getConnection().execute('select 1 as one');
    const first = await select().catch((failure: unknown) => failure);
    if (!Array.isArray(first)) expect(isDatabaseUnavailable(first)).toBe(true);
    expect(await select()).toEqual([{ one: 1 }]);
  });

  it('recognises what it wraps (a GraphQL error, a cause)', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable({ originalError: refused })).toBe(true);
    expect(isDatabaseUnavailable(new Error('saving failed', { cause: refused }))).toBe(true);
  });

  it('does not take other failures for an outage', async () => {
    const syntax = await failureOf(() => orm.em.fork().getConnection().execute('selec 1'));
    const division = await failureOf(() => orm.em.fork().getConnection().execute('select 1 / 0'));
    for (const error of [
      syntax,
      division,
      badInput('name', 'Give a name.'),
      new Error('x'),
      null,
    ]) {
      expect(isDatabaseUnavailable(error), String(error)).toBe(false);
    }
  });
});
