// The benchmark runs from packages/server (`pnpm bench:graphql`) but lives outside it, where
// Node cannot resolve the server's dependencies: load them from the server package.
import { createRequire } from 'node:module';
import type Autocannon from 'autocannon';
import type * as GraphqlJs from 'graphql';
import type * as GraphqlHttp from 'graphql-http/lib/use/http';
import type * as Pg from 'pg';

const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));

// The server's modules the baseline imports (the usage statement's builder) declare their
// GraphQL types with type-graphql, which needs the metadata polyfill loaded first, as
// schema.ts loads it in the server.
require('reflect-metadata');

export const autocannon = require('autocannon') as typeof Autocannon;
export const graphqlJs = require('graphql') as typeof GraphqlJs;
export const { createHandler } = require('graphql-http/lib/use/http') as typeof GraphqlHttp;
export const pg = require('pg') as typeof Pg;
export type { Result as CannonResult } from 'autocannon';
