// The server's production build: every module of src/ (tests and the development scripts
// left out) compiled to JavaScript in dist/, with source maps, by the same SWC transform that
// runs the sources in development and in the tests (@swc-node/register reads tsconfig.json
// into these options): legacy decorators with their design-time metadata, which type-graphql
// and MikroORM read, and class fields assigned as TypeScript does without
// useDefineForClassFields. `pnpm start` and the Dockerfile run dist/main.js.
//
//   node scripts/build.mjs [--out-dir dist]
//
// It compiles without type-checking: `pnpm typecheck` (part of `pnpm test` and CI) does that.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const srcDir = path.join(packageDir, 'src');

const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = path.resolve(packageDir, values['out-dir']);

/** Source files that are not part of the running server. */
function leftOut(relative) {
  return (
    relative.endsWith('.test.ts') ||
    relative.endsWith('.d.ts') ||
    relative.startsWith(`scripts${path.sep}`)
  );
}

async function sources(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await sources(file)));
    else if (entry.name.endsWith('.ts') && !leftOut(path.relative(srcDir, file))) found.push(file);
  }
  return found;
}

/** The options @swc-node/register derives from tsconfig.json (ES2022, ES modules). */
function swcOptions(source, target) {
  return {
    filename: source,
    sourceFileName: path.relative(path.dirname(target), source),
    sourceMaps: true,
    inlineSourcesContent: false,
    isModule: true,
    swcrc: false,
    module: { type: 'es6' },
    jsc: {
      target: 'es2022',
      keepClassNames: true,
      parser: { syntax: 'typescript', tsx: false, decorators: true, dynamicImport: true },
      transform: {
        legacyDecorator: true,
        decoratorMetadata: true,
        useDefineForClassFields: false,
      },
      experimental: { keepImportAttributes: true },
    },
  };
}

const started = Date.now();
const files = await sources(srcDir);
await rm(outDir, { recursive: true, force: true });
await Promise.all(
  files.map(async (source) => {
    const target = path.join(outDir, path.relative(srcDir, source)).replace(/\.ts$/, '.js');
    const { code, map } = await transformFile(source, swcOptions(source, target));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
  }),
);
console.log(
  `server: compiled ${files.length} files to ${path.relative(process.cwd(), outDir) || '.'} in ${Date.now() - started} ms`,
);
