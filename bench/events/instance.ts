// One server instance for the events benchmark, in a process of its own.
import { createApp } from '../../packages/server/src/app.js';
import { initOrm } from '../../packages/server/src/db/orm.js';
import { parseEnv } from '../../packages/server/src/env.js';
import type { InstanceReply, InstanceRequest } from './protocol.js';

const databaseUrl = process.argv[2];
if (!databaseUrl || !process.send) throw new Error('usage: forked with the database URL');
const send = (message: InstanceReply): void => {
  process.send?.(message);
};

const orm = await initOrm({ clientUrl: databaseUrl });
const env = parseEnv({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'warn',
  WEB_DIST: '/nonexistent',
  SESSION_TTL_DAYS: '1',
});
const app = await createApp({ env, orm });
send({ type: 'ready', url: app.url });

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

process.on('message', (message: InstanceRequest) => {
  if (message.type === 'stats') {
    const bus = app.services.events;
    send({
      type: 'stats',
      subscribers: bus.subscriberCount,
      delivered: bus.stats.delivered,
      fetches: bus.stats.fetches,
      cpuMs: cpuMs(),
    });
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
