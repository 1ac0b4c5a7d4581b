// The benchmark runs from packages/server (`pnpm bench:events`) but lives outside it, where
// Node cannot resolve the server's dependencies: load them from the server package.
import { createRequire } from 'node:module';
import type * as GraphqlWs from 'graphql-ws';
import type * as Pg from 'pg';
import type * as Ws from 'ws';

const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));

export const { createClient } = require('graphql-ws') as typeof GraphqlWs;
export const { WebSocket } = require('ws') as typeof Ws;
export const pg = require('pg') as typeof Pg;
export type { Client as GraphqlWsClient } from 'graphql-ws';
