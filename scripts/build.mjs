// Builds the web app (packages/web/dist) and the server (packages/server/dist) when, and only
// when, the files they are built from changed since their last build. Each build writes the
// SHA-256 of its input files (paths and contents) to `.build-inputs` in its output folder;
// a build whose recorded hash equals the current one is skipped. Deleting the output folder
// forces the build.
//
//   node scripts/build.mjs [web] [server]     (both when none is named)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Name of the file, in a build's output folder, holding the hash of its inputs. */
export const STAMP = '.build-inputs';

/** Files that never go into a build: tests and their snapshots, generated and installed files. */
const TEST_FILE = /\.test\.[cm]?[jt]sx?$/;
const NEVER = new Set(['node_modules', 'dist', '.data', '__snapshots__', 'coverage']);

/**
 * What is built, from what, and how. `inputs` are files or folders (relative to the root);
 * folders are read recursively except for `skip` (paths relative to the root) and the names
 * in NEVER. The lockfile is an input of both: a dependency's new version may change the output.
 */
export const TARGETS = {
  web: {
    label: 'web app',
    output: 'packages/web/dist',
    // docs/nginx.conf is shown on the Gateways page.
    inputs: [
      'packages/web',
      'schema.graphql',
      'docs/nginx.conf',
      'tsconfig.base.json',
      'pnpm-lock.yaml',
    ],
    // src/gql is generated from schema.graphql and the operations by the build itself.
    skip: ['packages/web/src/gql', 'packages/web/scripts', 'packages/web/vitest.config.ts'],
    command: ['pnpm', '--filter', '@portico/web', 'build'],
  },
  server: {
    label: 'server',
    output: 'packages/server/dist',
    inputs: [
      'packages/server/src',
      'packages/server/scripts/build.mjs',
      'packages/server/package.json',
      'packages/server/tsconfig.json',
      'tsconfig.base.json',
      'pnpm-lock.yaml',
    ],
    skip: [],
    command: ['pnpm', '--filter', '@portico/server', 'build'],
  },
};

async function collect(root, relative, skip, files) {
  const absolute = path.join(root, relative);
  let entries;
  try {
    entries = await readdir(absolute, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOTDIR') {
      files.push(relative);
      return;
    }
    throw error;
  }
  for (const entry of entries) {
    const child = path.join(relative, entry.name);
    if (NEVER.has(entry.name) || skip.has(child) || TEST_FILE.test(entry.name)) continue;
    if (entry.isDirectory()) await collect(root, child, skip, files);
    else if (entry.isFile()) files.push(child);
  }
}

/** SHA-256 of the input files' paths and contents, in a stable order. */
export async function hashInputs(root, target) {
  const skip = new Set(target.skip.map((entry) => path.normalize(entry)));
  const files = [];
  for (const input of target.inputs) await collect(root, path.normalize(input), skip, files);
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file.split(path.sep).join('/')}\0`);
    hash.update(await readFile(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function readStamp(file) {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
}

function run(command, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/**
 * Builds `target` unless its output records the hash of the current inputs. Resolves to
 * whether it built.
 */
export async function buildIfChanged(target, { root = ROOT, log = console.log } = {}) {
  const stampFile = path.join(root, target.output, STAMP);
  const inputs = await hashInputs(root, target);
  const recorded = await readStamp(stampFile);
  if (recorded === inputs) {
    log(`${target.label}: up to date (no source changed since its last build), not rebuilt`);
    return false;
  }
  log(
    recorded === null
      ? `${target.label}: building (no previous build in ${target.output})`
      : `${target.label}: building (sources changed since the last build)`,
  );
  const started = Date.now();
  // A build that fails half-way must not look finished.
  await rm(stampFile, { force: true });
  await run(target.command, root);
  await writeFile(stampFile, `${inputs}\n`);
  log(`${target.label}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

async function main(names) {
  const unknown = names.filter((name) => !(name in TARGETS));
  if (unknown.length) {
    console.error(`Unknown build target ${unknown.join(', ')}: use ${Object.keys(TARGETS)}`);
    process.exit(2);
  }
  for (const name of names.length ? names : Object.keys(TARGETS)) {
    await buildIfChanged(TARGETS[name]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
