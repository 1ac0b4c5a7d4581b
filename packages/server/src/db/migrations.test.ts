import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';

const server = useTestServer();

describe('migrations', () => {
  it('create exactly the schema the entities describe', async () => {
    const pending = await server.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false });
    expect(pending.trim(), 'entities changed without a migration: run pnpm migration:create').toBe(
      '',
    );
  });
});
