#!/usr/bin/env node
// Compares the committed GraphQL schema with the one before it and fails on a breaking change
// (a removed field, type or enum value, a changed type, a new required argument…), printing
// every change. Removing a field that the older schema already marked `@deprecated` is allowed:
// that is how a field leaves the API.
//
//   node scripts/schema-breaking.mjs                 schema.graphql against HEAD~1's
//   SCHEMA_BASE=<commit> node scripts/…              against that commit's (e.g. a PR's base)
//   node scripts/schema-breaking.mjs --old A --new B two files
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA = 'schema.graphql';

/** The schema file as it was at `ref`, or null when there is no such commit or file. */
function schemaAt(ref) {
  try {
    return execFileSync('git', ['show', `${ref}:${SCHEMA}`], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return null;
  }
}

function inspect(oldFile, newFile) {
  const cli = path.join(ROOT, 'node_modules', '.bin', 'graphql-inspector');
  const result = spawnSync(
    cli,
    ['diff', oldFile, newFile, '--rule', 'suppressRemovalOfDeprecatedField'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function main() {
  const { values } = parseArgs({
    options: { old: { type: 'string' }, new: { type: 'string' } },
  });
  if (values.old || values.new) {
    if (!values.old || !values.new) {
      console.error('schema-breaking: give both --old and --new, or neither.');
      return 2;
    }
    return inspect(values.old, values.new);
  }
  const chosen = process.env.SCHEMA_BASE;
  const base = chosen || 'HEAD~1';
  const previous = schemaAt(base);
  if (previous === null) {
    // The first commit (or a clone without history) has nothing before it; a base that was
    // asked for by name must exist.
    if (chosen) {
      console.error(`schema-breaking: no ${SCHEMA} at ${base} (SCHEMA_BASE).`);
      return 2;
    }
    console.log(`schema-breaking: no ${SCHEMA} at ${base}: nothing to compare with.`);
    return 0;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portico-schema-'));
  try {
    const oldFile = path.join(dir, `base-${SCHEMA}`);
    writeFileSync(oldFile, previous);
    console.log(`schema-breaking: ${SCHEMA} against ${base}`);
    return inspect(oldFile, path.join(ROOT, SCHEMA));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
