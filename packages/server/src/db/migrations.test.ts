import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('migrations', () => {
  it('create exactly the schema the entities describe', async () => {
    const pending = await server.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false });
    expect(pending.trim(), 'entities changed without a migration: run pnpm migration:create').toBe(
      '',
    );
  });
});
