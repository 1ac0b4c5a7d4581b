// The Portico server for the gateway benchmark, in a process of its own: createApp() as
// main.ts runs it (production mode, no web app), plus what the benchmark asks over IPC.
import { sender, startBenchServer } from '../shared/server-child.js';
import { serveBenchRequests } from './instrument.js';
import type { ServerReply } from './protocol.js';

const send = sender<ServerReply>();
const { app, orm } = await startBenchServer();
serveBenchRequests(app.gateway, async () => {
  await app.close();
  await orm.close(true);
});
send({ type: 'ready', url: app.url });
