import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildSchema, printSortedSchema } from '../schema.js';

const target = fileURLToPath(new URL('../../../../schema.graphql', import.meta.url));
const sdl = printSortedSchema(await buildSchema());

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== sdl) {
    console.error(
      'schema.graphql is out of date with the code. Run `pnpm --filter @portico/server schema:emit` and commit it.',
    );
    process.exit(1);
  }
  console.log('schema.graphql is up to date.');
} else {
  await writeFile(target, sdl);
  console.log(`Wrote ${target}`);
}
