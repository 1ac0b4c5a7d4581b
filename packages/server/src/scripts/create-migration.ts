import { initOrm } from '../database.js';
import { parseEnv } from '../env.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// Creates a migration from the difference between the entities and the migrated schema,
// against a scratch embedded PostgreSQL (or DATABASE_URL when set).
const env = parseEnv();
const scratch = env.DATABASE_URL
  ? null
  : await mkdtemp(path.join(os.tmpdir(), 'portico-migration-'));
const db = scratch ? await startEmbeddedPostgres(path.join(scratch, 'pg'), 54400, 'scratch') : null;
const orm = await initOrm({ clientUrl: env.DATABASE_URL ?? db!.url });
try {
  const migrator = orm.getMigrator();
  await migrator.up();
  const result = await migrator.createMigration(
    undefined,
    false,
    process.argv.includes('--initial'),
  );
  console.log(result.fileName ? `Created ${result.fileName}` : 'No changes.');
  if (result.diff.up.length) console.log(result.diff.up.join('\n'));
} finally {
  await orm.close();
  await db?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}

// Keep the explicit migrations list in step with the folder.
const { readdir, writeFile } = await import('node:fs/promises');
const { MIGRATIONS_PATH } = await import('../db/orm.js');
const names = (await readdir(MIGRATIONS_PATH))
  .filter((file) => /^Migration\d+.*\.ts$/.test(file))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();
await writeFile(
  path.join(MIGRATIONS_PATH, 'index.ts'),
  [
    "import type { MigrationObject } from '@mikro-orm/core';",
    ...names.map((name) => `import { ${name} } from './${name}.js';`),
    '',
    'export const migrationsList: MigrationObject[] = [',
    ...names.map((name) => `  { name: '${name}', class: ${name} },`),
    '];',
    '',
  ].join('\n'),
);
