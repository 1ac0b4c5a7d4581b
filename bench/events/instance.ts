// One server instance for the events benchmark, in a process of its own.
import { startBenchServer } from '../shared/server-child.js';
import { answerBenchmark } from './answer.js';

const { app, orm } = await startBenchServer({ SESSION_TTL_DAYS: '1' });
answerBenchmark({
  name: 'instance',
  url: app.url,
  counts() {
    const bus = app.services.events;
    return {
      subscribers: bus.subscriberCount,
      delivered: bus.stats.delivered,
      fetches: bus.stats.fetches,
    };
  },
  async close() {
    await app.close();
    await orm.close(true);
  },
});
