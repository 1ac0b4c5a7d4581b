import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Each worker imports the server once and runs file after file on it, instead of importing
    // it afresh for each of the ~110 files (more than half of the suite's time). The files share
    // the modules, not their data: each has a database of its own, cloned from the template,
    // and starts its own servers. They pass in any order (`--sequence.shuffle.files`).
    isolate: false,
  },
});
