// The benchmark runs from packages/server (`pnpm bench:events`) but lives outside it, where
// Node cannot resolve the server's dependencies: load them from the server package.
import { createRequire } from 'node:module';
import type * as Pg from 'pg';
import type * as Ws from 'ws';

const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));

export const { WebSocket, WebSocketServer } = require('ws') as typeof Ws;
export const pg = require('pg') as typeof Pg;
export type { RawData, WebSocket as WebSocketClient } from 'ws';
