// scripts/trusted-documents.mjs: the committed manifest is ordered by operation name, written
// from the generated one, and the check fails when the two differ.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatManifest, operationName } from './trusted-documents.mjs';

const SCRIPT = fileURLToPath(new URL('./trusted-documents.mjs', import.meta.url));

function run(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, output: stdout + stderr });
    });
  });
}

const GENERATED = {
  b2: 'query Viewer { __typename viewer { __typename id } }',
  a1: 'fragment Row on App { __typename id } mutation CreateApp($input: CreateAppInput!) { __typename createApp(input: $input) { __typename app { __typename ...Row } } }',
  c3: 'subscription AppEvents { appEvents { __typename id query } }',
};

describe('operationName', () => {
  it('names the operation after its fragments, not a field', () => {
    assert.equal(operationName(GENERATED.a1), 'CreateApp');
    assert.equal(operationName(GENERATED.c3), 'AppEvents');
    assert.equal(operationName('{ viewer { id } }'), '');
  });
});

describe('formatManifest', () => {
  it('orders the documents by operation name', () => {
    const manifest = JSON.parse(formatManifest(GENERATED));
    assert.deepEqual(Object.keys(manifest), ['c3', 'a1', 'b2']);
    assert.equal(manifest.b2, GENERATED.b2);
  });
});

describe('trusted-documents.mjs', () => {
  let dir;
  let generated;
  let committed;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'trusted-documents-'));
    generated = path.join(dir, 'persisted-documents.json');
    committed = path.join(dir, 'trusted-documents.json');
    await writeFile(generated, JSON.stringify(GENERATED));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the manifest, then finds it up to date', async () => {
    const written = await run(['--generated', generated, '--committed', committed]);
    assert.equal(written.code, 0, written.output);
    assert.equal(await readFile(committed, 'utf8'), formatManifest(GENERATED));
    const checked = await run(['--check', '--generated', generated, '--committed', committed]);
    assert.equal(checked.code, 0, checked.output);
  });

  it('fails the check when an operation changed, saying how to fix it', async () => {
    await writeFile(generated, JSON.stringify({ ...GENERATED, d4: 'query Extra { __typename }' }));
    const checked = await run(['--check', '--generated', generated, '--committed', committed]);
    assert.equal(checked.code, 1);
    assert.match(checked.output, /out of date.*pnpm documents:write/);
  });

  it('fails the check when the committed manifest is missing', async () => {
    const missing = path.join(dir, 'none.json');
    const checked = await run(['--check', '--generated', generated, '--committed', missing]);
    assert.equal(checked.code, 1);
  });
});
