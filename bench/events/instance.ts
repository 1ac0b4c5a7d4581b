// One server instance for the events benchmark, in a process of its own.
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { sender, startBenchServer } from '../shared/server-child.js';
import type { InstanceReply, InstanceRequest } from './protocol.js';

const send = sender<InstanceReply>();
const { app, orm } = await startBenchServer({ SESSION_TTL_DAYS: '1' });
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
  } else if (message.type === 'memory') {
    // Forked with --expose-gc: what is left after a full collection is what is held.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    // BENCH_HEAP=<dir>: a heap snapshot there too, to see what a subscription holds.
    if (process.env.BENCH_HEAP) {
      writeHeapSnapshot(
        path.join(process.env.BENCH_HEAP, `instance-${process.pid}-${Date.now()}.heapsnapshot`),
      );
    }
    const { rss, heapUsed, external } = process.memoryUsage();
    send({ type: 'memory', rss, heapUsed, external });
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
