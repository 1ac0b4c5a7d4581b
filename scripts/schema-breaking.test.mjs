// scripts/schema-breaking.mjs on fixture schemas: breaking changes fail with the change named,
// a field removed after its deprecation and additions pass, and the git comparison runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./schema-breaking.mjs', import.meta.url));
const fixture = (name) =>
  fileURLToPath(new URL(`./fixtures/schema-breaking/${name}.graphql`, import.meta.url));

function run(args, env = {}) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { env: { ...process.env, SCHEMA_BASE: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? error.code : 0, output: stdout + stderr });
      },
    );
  });
}

const against = (name) => run(['--old', fixture('base'), '--new', fixture(name)]);

describe('schema-breaking', () => {
  it('fails on a removed field that was never deprecated, naming it', async () => {
    const { code, output } = await against('field-removed');
    assert.equal(code, 1);
    assert.match(output, /Field name was removed from object type App/);
    assert.match(output, /1 breaking change/);
  });

  it('fails on a new required argument', async () => {
    const { code, output } = await against('argument-required');
    assert.equal(code, 1);
    assert.match(output, /Argument organizationId: ID! added to field Query.app/);
  });

  it('lets a field go once the schema before it deprecated it, and says so', async () => {
    const { code, output } = await against('deprecated-removed');
    assert.equal(code, 0);
    assert.match(output, /Field legacyKey \(deprecated\) was removed/);
    assert.match(output, /No breaking changes detected/);
  });

  it('passes additions and deprecations, printing each change', async () => {
    const { code, output } = await against('additions');
    assert.equal(code, 0);
    assert.match(output, /Field displayName was added to object type App/);
    assert.match(output, /Field App.name is deprecated/);
    assert.match(output, /Enum value DELETED was added to enum AppStatus/);
  });

  it('compares the committed schema with a commit of the history', async () => {
    const { code, output } = await run([], { SCHEMA_BASE: 'HEAD' });
    assert.equal(code, 0, output);
    assert.match(output, /schema.graphql against HEAD/);
    assert.match(output, /No changes detected/);
  });

  it('refuses a base that was asked for and does not exist', async () => {
    const { code, output } = await run([], { SCHEMA_BASE: 'no-such-commit' });
    assert.equal(code, 2);
    assert.match(output, /no schema.graphql at no-such-commit/);
  });

  it('refuses half a pair of files', async () => {
    const { code } = await run(['--old', fixture('base')]);
    assert.equal(code, 2);
  });
});
