// scripts/build.mjs on a throw-away tree whose "build" copies its sources and counts its runs:
// it builds when there is no build, or when an input changed since the last one, and only then.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIfChanged, hashInputs, ROOT, STAMP, TARGETS } from './build.mjs';

// Appends a line to out/runs and copies src/main.ts to out/main.js.
const BUILD = `
const fs = require('node:fs');
if (fs.existsSync('fail')) process.exit(3);
fs.mkdirSync('out', { recursive: true });
fs.appendFileSync('out/runs', 'built\\n');
fs.copyFileSync('src/main.ts', 'out/main.js');
`;

describe('build only what changed', () => {
  let root;
  const target = {
    label: 'thing',
    output: 'out',
    inputs: ['src', 'config.json'],
    skip: ['src/generated'],
    command: [process.execPath, '-e', BUILD],
  };
  const quiet = () => undefined;
  const build = () => buildIfChanged(target, { root, log: quiet });
  const runs = async () =>
    (await readFile(path.join(root, 'out/runs'), 'utf8')).split('\n').length - 1;
  const write = async (file, text) => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  };

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'portico-build-'));
    await write('src/main.ts', 'export const a = 1;\n');
    await write('src/nested/part.ts', 'export const b = 2;\n');
    await write('config.json', '{}\n');
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('builds when there is no build yet, then not again while nothing changed', async () => {
    assert.equal(await build(), true);
    assert.equal(await build(), false);
    assert.equal(await build(), false);
    assert.equal(await runs(), 1);
    assert.match(await readFile(path.join(root, 'out', STAMP), 'utf8'), /^[0-9a-f]{64}\n$/);
  });

  it('rebuilds when a source file changes, is added or is removed, or another input changes', async () => {
    await write('src/nested/part.ts', 'export const b = 3;\n');
    assert.equal(await build(), true);
    await write('src/nested/new.ts', 'export const c = 4;\n');
    assert.equal(await build(), true);
    await unlink(path.join(root, 'src/nested/new.ts'));
    assert.equal(await build(), true);
    await write('config.json', '{"changed":true}\n');
    assert.equal(await build(), true);
    assert.equal(await build(), false);
    assert.equal(await runs(), 5);
  });

  it('ignores tests, generated folders and installed packages', async () => {
    await write('src/main.test.ts', 'test();\n');
    await write('src/generated/types.ts', 'export type T = 1;\n');
    await write('src/node_modules/x/index.js', '\n');
    await write('src/dist/old.js', '\n');
    assert.equal(await build(), false);
  });

  it('rebuilds when the output folder was deleted', async () => {
    await rm(path.join(root, 'out'), { recursive: true });
    assert.equal(await build(), true);
    assert.equal(await runs(), 1);
  });

  it('leaves no stamp behind a failed build, so the next start builds again', async () => {
    await write('src/main.ts', 'export const a = 2;\n');
    await write('fail', '');
    await assert.rejects(build(), /failed \(exit code 3\)/);
    await unlink(path.join(root, 'fail'));
    assert.equal(await build(), true);
    assert.equal(await build(), false);
  });

  it("reads the real targets' inputs", async () => {
    for (const real of Object.values(TARGETS)) {
      assert.match(await hashInputs(ROOT, real), /^[0-9a-f]{64}$/);
    }
  });
});
