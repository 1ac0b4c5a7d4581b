// The benchmark runs from packages/server (`pnpm bench:verify`) but lives outside it, where
// Node cannot resolve the server's dependencies: load them from the server package.
import { createRequire } from 'node:module';
import type Autocannon from 'autocannon';
import type * as Pg from 'pg';
import type * as Pino from 'pino';

const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));

export const autocannon = require('autocannon') as typeof Autocannon;
export const pg = require('pg') as typeof Pg;
export const { pino } = require('pino') as typeof Pino;
export type { Options as CannonOptions, Result as CannonResult } from 'autocannon';
