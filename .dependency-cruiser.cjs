// The server's layers, enforced by `pnpm lint` (see README, "Architecture").
//
//   core      env, errors, ids, crypto, context, loaders; db/ (base entity, ORM config,
//             migrations, references, constraint errors); graphql/; auth/; events/ (the bus);
//             audit/ (the append-only record); limits/ (rate limits, in memory or Redis)
//   modules   in this order; a module imports only from the core and from modules before it
//   gateway   /v1/verify and /v1/usage: reads every module's tables
//   top       app.ts, main.ts, schema.ts, database.ts, jobs/, seed/, scripts/: the wiring
const SRC = '^packages/server/src/';
const MODULE_ORDER = [
  'mail',
  'accounts',
  'notifications',
  'orgs',
  'tokens',
  'audit',
  'applications',
  'projects',
  'apps',
  'products',
  'grants',
  'credentials',
  'app-lifecycle',
  'usage',
  'catalogue',
  'gateway-tokens',
  'oauth',
  'webhooks',
  'staff',
  'live',
];
const CORE = `${SRC}((env|errors|ids|crypto|context|loaders)\\.ts$|(db|graphql|auth|events|audit|limits)/)`;
const GATEWAY = `${SRC}gateway/`;
const TOP = `${SRC}((app|main|schema|database)\\.ts$|(jobs|seed|scripts)/)`;
const TESTS = '\\.test\\.ts$';

const moduleRules = MODULE_ORDER.slice(0, -1).map((name, i) => ({
  name: `module-order:${name}`,
  comment: `${name} comes before ${MODULE_ORDER.slice(i + 1).join(', ')}: it may not import them.`,
  severity: 'error',
  from: { path: `${SRC}modules/${name}/`, pathNot: TESTS },
  to: { path: `${SRC}modules/(${MODULE_ORDER.slice(i + 1).join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles.',
      severity: 'error',
      from: { path: SRC, pathNot: TESTS },
      to: { circular: true },
    },
    {
      name: 'core-names-no-domain',
      comment: 'The shared core sits below every module: it imports no module and no wiring.',
      severity: 'error',
      from: { path: CORE, pathNot: TESTS },
      to: { path: [`${SRC}modules/`, GATEWAY, TOP] },
    },
    ...moduleRules,
    {
      name: 'unknown-module',
      comment: 'Every module has its place in MODULE_ORDER (.dependency-cruiser.cjs).',
      severity: 'error',
      from: { path: `${SRC}modules/(?!(${MODULE_ORDER.join('|')})/)` },
      to: {},
    },
    {
      name: 'modules-below-gateway',
      comment: 'Modules do not import the gateway.',
      severity: 'error',
      from: { path: `${SRC}modules/`, pathNot: TESTS },
      to: { path: GATEWAY },
    },
    {
      name: 'wiring-on-top',
      comment: 'Only tests and the wiring itself import the wiring (app, main, schema, jobs …).',
      severity: 'error',
      from: { path: `${SRC}(modules|gateway)/`, pathNot: TESTS },
      to: { path: TOP },
    },
    {
      name: 'tests-apart',
      comment: 'Code does not import test support; tests live beside it, support under test/.',
      severity: 'error',
      from: { path: SRC, pathNot: TESTS },
      to: { path: '^packages/server/test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'packages/server/tsconfig.json') },
  },
};
