import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { entities, initOrm } from '../database.js';
import { randomBase62 } from '../ids.js';
import { ormConfig } from './orm.js';
import { queryRows } from './rows.js';

const server = useTestServer();

/** The statements the connection of `em`'s open transaction has prepared with this text. */
async function preparedOnConnection(em: EntityManager, text: string): Promise<string[]> {
  const rows = await em.execute<{ name: string }[]>(
    'select name from pg_prepared_statements where statement = ? and not from_sql',
    [text],
  );
  return rows.map((row) => row.name);
}

describe('statements sent by queryRows', () => {
  it('are prepared once per connection under one name, and answer as unnamed ones do', async () => {
    const text = `select $1::int + 1 as "next", '${randomBase62(8)}' as "tag"`;
    const em = server.orm.em.fork();
    const names = await em.transactional(async (tx) => {
      // Inside a transaction every statement runs on its connection.
      expect(await queryRows(tx, text, [1])).toMatchObject([{ next: 2 }]);
      expect(await queryRows(tx, text, [41])).toMatchObject([{ next: 42 }]);
      return preparedOnConnection(tx, text);
    });
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^portico_\d+$/);
  });

  it('go unnamed from an ORM started with prepared statements off', async () => {
    const orm = await initOrm({ clientUrl: server.databaseUrl, preparedStatements: false });
    try {
      const text = `select $1::int * 2 as "double", '${randomBase62(8)}' as "tag"`;
      const names = await orm.em.fork().transactional(async (tx) => {
        expect(await queryRows(tx, text, [21])).toMatchObject([{ double: 42 }]);
        return preparedOnConnection(tx, text);
      });
      expect(names).toEqual([]);
    } finally {
      await orm.close(true);
    }
  });
});

describe('a prepared read whose columns changed type (a migration ran meanwhile)', () => {
  // One connection, so that every read finds the statements the earlier ones prepared.
  let orm: MikroORM;
  const table = `prepared_${randomBase62(8).toLowerCase()}`;
  beforeAll(async () => {
    orm = await MikroORM.init({
      ...ormConfig(entities, { clientUrl: server.databaseUrl }),
      pool: { min: 1, max: 1 },
    });
    await orm.em
      .fork()
      .execute(`create table "${table}" (v integer); insert into "${table}" values (41)`);
  });
  afterAll(async () => {
    await orm.em.fork().execute(`drop table if exists "${table}"`);
    await orm.close(true);
  });

  it('is read again under a new name outside a transaction, and fails inside one', async () => {
    const text = `select v from "${table}"`;
    expect(await queryRows(orm.em.fork(), text, [])).toEqual([{ v: 41 }]);

    await orm.em.fork().execute(`alter table "${table}" alter column v type text using v::text`);
    expect(await queryRows(orm.em.fork(), text, [])).toEqual([{ v: '41' }]);

    // In a transaction the failed statement has already aborted it: the error is the caller's.
    await orm.em
      .fork()
      .execute(`alter table "${table}" alter column v type bigint using v::bigint`);
    await expect(orm.em.fork().transactional((tx) => queryRows(tx, text, []))).rejects.toThrow(
      /cached plan must not change result type/,
    );
    // The next read prepares the statement afresh.
    expect(await queryRows(orm.em.fork(), text, [])).toEqual([{ v: '41' }]);
  });
});
