// The Portico server for the GraphQL (and mixed-traffic) benchmark, in a process of its own: createApp() as
// main.ts runs it (production mode, no web app), plus what the benchmark asks over IPC.
import { sender, startBenchServer } from '../shared/server-child.js';
import type { ServerReply, ServerRequest } from './protocol.js';

const send = sender<ServerReply>();
const { app, orm } = await startBenchServer();
send({ type: 'ready', url: app.url });

process.on('message', (message: ServerRequest) => {
  if (message.type === 'stats') {
    const { user, system } = process.cpuUsage();
    send({
      type: 'stats',
      // Statements are not counted here (counting would cost the server time); the session
      // lookups answered from memory are.
      queries: Number.NaN,
      sessionHits: app.sessions.stats.hits,
      cpuMs: (user + system) / 1000,
    });
  } else if (message.type === 'reload') {
    void app.gateway.catalog.reload().then(() => send({ type: 'reloaded' }));
  } else if (message.type === 'stop') {
    void (async () => {
      await app.close();
      await orm.close(true);
      send({ type: 'stopped' });
      process.exit(0);
    })();
  }
});
// Never outlive the benchmark.
process.on('disconnect', () => process.exit(0));
