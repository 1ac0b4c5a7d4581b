// The benchmark's subscribers: graphql-ws clients, one WebSocket each, like browser tabs.
import { createClient, WebSocket, type GraphqlWsClient } from './deps.js';
import { now, type SubscribersReply, type SubscribersRequest } from './protocol.js';

if (!process.send) throw new Error('fork this file');
const send = (message: SubscribersReply): void => {
  process.send?.(message);
};

const received = new Map<string, number[]>();
let errors = 0;
let cpuAtMark = process.cpuUsage();
const clients: GraphqlWsClient[] = [];

/** The subscription's one root field (`reviewQueueEvents`, `organizationEvents` …): an event. */
type EventPayload = Record<string, { id: string } | undefined>;

async function start(urls: string[], count: number, cookie: string, query: string): Promise<void> {
  class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  }
  let failed = 0;
  const opened: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const url = `${urls[i % urls.length]?.replace(/^http/, 'ws')}/graphql`;
    const client = createClient({
      url,
      webSocketImpl: CookieWebSocket,
      lazy: true,
      retryAttempts: 0,
    });
    clients.push(client);
    opened.push(
      new Promise<void>((resolve) => {
        const offConnected = client.on('connected', () => {
          offConnected();
          offClosed();
          resolve();
        });
        const offClosed = client.on('closed', (event) => {
          offConnected();
          offClosed();
          failed += 1;
          if (failed <= 3) console.error('subscriber closed before connecting:', event);
          resolve();
        });
      }),
    );
    client.subscribe<EventPayload>(
      { query },
      {
        next: (result) => {
          const at = now();
          const id = Object.values(result.data ?? {})[0]?.id;
          if (!id) {
            errors += 1;
            return;
          }
          let times = received.get(id);
          if (!times) {
            times = [];
            received.set(id, times);
          }
          times.push(at);
        },
        error: () => {
          errors += 1;
        },
        complete: () => undefined,
      },
    );
    // Open the sockets in waves of 50, each once the previous one is connected.
    if (i % 50 === 49) await Promise.all(opened.slice(-50));
  }
  await Promise.all(opened);
  send({ type: 'connected', count: count - failed, failed });
}

process.on('message', (message: SubscribersRequest) => {
  if (message.type === 'start') {
    const { urls, count, cookie, query } = message.config;
    void start(urls, count, cookie, query);
  } else if (message.type === 'mark') {
    cpuAtMark = process.cpuUsage();
  } else if (message.type === 'report') {
    const cpu = process.cpuUsage(cpuAtMark);
    void (async () => {
      await Promise.all(clients.map((client) => client.dispose()));
      const report: SubscribersReply = {
        type: 'report',
        received: Object.fromEntries(received),
        errors,
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
      // Exit only once the (large) report went through the IPC channel.
      await new Promise<void>((resolve) => process.send?.(report, undefined, {}, () => resolve()));
      process.exit(0);
    })();
  }
});
process.on('disconnect', () => process.exit(0));
