// A Portico gateway instance (INSTANCE_ROLE=gateway, as main.ts starts it: the gateway
// endpoints only) for the gateway benchmark, in a process of its own, on the database of the
// Portico server the benchmark set up, plus what the benchmark asks over IPC.
import type * as EnvModule from '../../packages/server/src/env.js';
import type * as GatewayServerModule from '../../packages/server/src/gateway/server.js';
import { sender } from '../shared/server-child.js';
import { pino } from './deps.js';
import { serveBenchRequests } from './instrument.js';
import type { ServerReply } from './protocol.js';

const dist = new URL('../../packages/server/dist/', import.meta.url);
const { parseEnv } = (await import(new URL('env.js', dist).href)) as typeof EnvModule;
const { createGatewayServer } = (await import(
  new URL('gateway/server.js', dist).href
)) as typeof GatewayServerModule;

const databaseUrl = process.argv[2];
if (!databaseUrl || !process.send) throw new Error('usage: forked with the database URL');
const env = parseEnv({
  NODE_ENV: 'production',
  INSTANCE_ROLE: 'gateway',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'warn',
  DATABASE_URL: databaseUrl,
  PUBLIC_URL: 'http://portico.bench',
});
const gateway = await createGatewayServer(env, pino({ level: env.LOG_LEVEL }));
serveBenchRequests(gateway.gateway, () => gateway.close());
sender<ServerReply>()({ type: 'ready', url: gateway.url });
