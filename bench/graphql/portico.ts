// The Portico server for the GraphQL (and mixed-traffic) benchmark, in a process of its own: createApp() as
// main.ts runs it (production mode, no web app), plus what the benchmark asks over IPC.
import type { LogContext } from '@mikro-orm/core';
import { sender, startBenchServer } from '../shared/server-child.js';
import type { ServerReply, ServerRequest } from './protocol.js';

const send = sender<ServerReply>();
const { app, orm } = await startBenchServer();

// Every statement the ORM runs passes through its logger's logQuery, whether or not query
// logging is on: count them there (an increment, no formatting), and keep their text only
// while the benchmark records them.
let queries = 0;
let recorded: string[] | null = null;
const logger = orm.config.getLogger();
const logQuery = logger.logQuery.bind(logger);
logger.logQuery = (context: LogContext) => {
  queries += 1;
  recorded?.push(context.query ?? '');
  logQuery(context);
};

send({ type: 'ready', url: app.url });

process.on('message', (message: ServerRequest) => {
  if (message.type === 'stats') {
    const { user, system } = process.cpuUsage();
    send({
      type: 'stats',
      queries,
      sessionHits: app.sessions.stats.hits,
      cpuMs: (user + system) / 1000,
    });
  } else if (message.type === 'record') {
    send({ type: 'recorded', statements: recorded ?? [] });
    recorded = message.on ? [] : null;
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
