import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      'packages/web/src/gql/**',
      'packages/server/src/db/migrations/**',
      'packages/e2e/test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    files: ['packages/server/src/**/*.ts'],
    ignores: ['packages/server/src/env.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through env.ts.' },
      ],
    },
  },
  {
    // Events are published with the typed `publish`, whose kind says the topics; `appendEvent`
    // is the transport under it, for the event bus's own tests and benchmarks.
    files: ['packages/server/src/**/*.ts'],
    ignores: ['packages/server/src/events/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/events/events.service.js'],
              importNames: ['appendEvent'],
              message: 'Publish with publish(em, kind, input): the kind says the topics.',
            },
          ],
        },
      ],
    },
  },
  {
    // Topics are built by `topics` and read by `parseTopic` (events/topics.ts), not by hand.
    files: ['packages/server/src/**/*.ts'],
    ignores: ['packages/server/src/**/*.test.ts', 'packages/server/src/events/topics.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        {
          selector: 'TemplateElement[value.raw=/^(org|user):$/]',
          message: 'Build topics with topics.org(id) / topics.user(id).',
        },
        {
          selector: 'Literal[value=/^(review_queue|org:|user:)$/]',
          message: 'Use topics.reviewQueue, or parseTopic(topic) to read a topic.',
        },
      ],
    },
  },
  {
    // CommonJS configuration files of tools (dependency-cruiser).
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Node scripts in plain JavaScript (the preflight, the builds, the examples, the benchmark runner).
    files: [
      'scripts/**/*.mjs',
      'packages/*/scripts/**/*.mjs',
      'examples/**/*.mjs',
      'bench/**/*.mjs',
    ],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    files: ['packages/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: [
      '**/*.config.{js,ts}',
      'packages/web/codegen.ts',
      'packages/server/test/global-setup.ts',
      'packages/e2e/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off', 'no-restricted-properties': 'off' },
  },
);
