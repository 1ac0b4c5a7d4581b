// What each server of the events benchmark (a Portico instance, the bare broadcast server)
// answers the benchmark over IPC, from the process it runs in: ready, stats, memory, stop.
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { InstanceReply, InstanceRequest } from './protocol.js';

export interface ServerHooks {
  /** Names its heap snapshots (BENCH_HEAP). */
  name: string;
  /** Its http:// URL; the subscribers open ws:// on it. */
  url: string;
  counts(): { subscribers: number; delivered: number; fetches: number };
  close(): Promise<void>;
}

const send = (message: InstanceReply): void => {
  process.send?.(message);
};

export function answerBenchmark(server: ServerHooks): void {
  if (!process.send) throw new Error('fork this file');
  send({ type: 'ready', url: server.url });
  process.on('message', (message: InstanceRequest) => {
    if (message.type === 'stats') {
      const { user, system } = process.cpuUsage();
      send({ type: 'stats', ...server.counts(), cpuMs: (user + system) / 1000 });
    } else if (message.type === 'memory') {
      // Forked with --expose-gc: what is left after a full collection is what is held.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      // BENCH_HEAP=<dir>: a heap snapshot there too, to see what a subscription holds.
      if (process.env.BENCH_HEAP) {
        writeHeapSnapshot(
          path.join(
            process.env.BENCH_HEAP,
            `${server.name}-${process.pid}-${Date.now()}.heapsnapshot`,
          ),
        );
      }
      const { rss, heapUsed, external } = process.memoryUsage();
      send({ type: 'memory', rss, heapUsed, external });
    } else if (message.type === 'stop') {
      void (async () => {
        await server.close();
        send({ type: 'stopped' });
        process.exit(0);
      })();
    }
  });
  // Never outlive the benchmark.
  process.on('disconnect', () => process.exit(0));
}
