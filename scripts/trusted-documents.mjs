// The web app's trusted documents: every operation it sends, registered by the SHA-256 hash of
// its normalized text. GraphQL Codegen's client preset generates them with the typed documents
// (packages/web/src/gql/persisted-documents.json, `pnpm --filter @portico/web codegen`); this
// script keeps the committed copy the server reads, trusted-documents.json at the root, in
// step with them, ordered by operation name so that a change to what a session may run reads
// as a one-line change in review.
//
//   node scripts/trusted-documents.mjs           write trusted-documents.json
//   node scripts/trusted-documents.mjs --check   exit 1 when it differs from the generated one
//   (--generated FILE and --committed FILE read and write other files, for the tests)
//
// Run through `pnpm documents:write` and `pnpm documents:check`, which run codegen first.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const GENERATED = fileURLToPath(
  new URL('../packages/web/src/gql/persisted-documents.json', import.meta.url),
);
export const COMMITTED = fileURLToPath(new URL('../trusted-documents.json', import.meta.url));

const OPERATION = /^(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** The name of the first operation defined at the top level of `document` ('' if none). */
export function operationName(document) {
  let depth = 0;
  for (let i = 0; i < document.length; i += 1) {
    const char = document[i];
    if (char === '{') depth += 1;
    else if (char === '}') depth -= 1;
    else if (depth === 0 && (i === 0 || /\s/.test(document[i - 1]))) {
      const match = OPERATION.exec(document.slice(i, i + 200));
      if (match) return match[2];
    }
  }
  return '';
}

/** The manifest `{ hash: document }` as committed: ordered by operation name, then hash. */
export function formatManifest(manifest) {
  const entries = Object.entries(manifest).sort(
    ([hashA, a], [hashB, b]) =>
      operationName(a).localeCompare(operationName(b)) || hashA.localeCompare(hashB),
  );
  return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
}

async function main({ check, generated: generatedFile, committed: committedFile }) {
  let generated;
  try {
    generated = JSON.parse(await readFile(generatedFile, 'utf8'));
  } catch (error) {
    console.error(
      `Cannot read ${generatedFile} (${error.code ?? error.message}): run \`pnpm --filter @portico/web codegen\` first.`,
    );
    process.exit(1);
  }
  const expected = formatManifest(generated);
  if (!check) {
    await writeFile(committedFile, expected);
    console.log(`Wrote ${committedFile} (${Object.keys(generated).length} documents)`);
    return;
  }
  const committed = await readFile(committedFile, 'utf8').catch(() => '');
  if (committed !== expected) {
    console.error(
      "trusted-documents.json is out of date with the web app's operations. Run `pnpm documents:write` and commit it.",
    );
    process.exit(1);
  }
  console.log(`trusted-documents.json is up to date (${Object.keys(generated).length} documents).`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      generated: { type: 'string', default: GENERATED },
      committed: { type: 'string', default: COMMITTED },
    },
  });
  await main(values);
}
