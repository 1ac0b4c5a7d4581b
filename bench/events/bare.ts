// The baseline of the events benchmark, in a process of its own: a bare WebSocket broadcast
// server. It gets each event as a Portico instance does, by LISTEN on the benchmark's database,
// and sends it to every subscription in one loop, speaking just enough graphql-transport-ws for
// the subscribers (ack, pong, subscribe, complete), with no GraphQL, no session and no event
// bus: what the kernel, `ws` and the subscribers' process cost on this machine.
import type { AddressInfo } from 'node:net';
import { answerBenchmark } from './answer.js';
import { pg, WebSocketServer, type RawData, type WebSocketClient } from './deps.js';
import { BARE_CHANNEL, type BareEvent } from './protocol.js';

/** The client's messages that the server reads (graphql-transport-ws). */
type ClientMessage =
  | { type: 'connection_init' | 'pong' }
  | { type: 'ping' }
  | { type: 'subscribe'; id: string }
  | { type: 'complete'; id: string };

interface Subscription {
  socket: WebSocketClient;
  /** Its `next` message up to the payload: `{"id":…,"type":"next","payload":`. */
  prefix: string;
}

const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error('usage: forked with the database URL');

const subscriptions = new Set<Subscription>();
let delivered = 0;

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (socket) => {
  const own = new Map<string, Subscription>();
  socket.on('message', (data: RawData) => {
    const message = JSON.parse(data.toString()) as ClientMessage;
    if (message.type === 'connection_init') {
      socket.send('{"type":"connection_ack"}');
    } else if (message.type === 'ping') {
      socket.send('{"type":"pong"}');
    } else if (message.type === 'subscribe' && !own.has(message.id)) {
      const subscription = {
        socket,
        prefix: `{"id":${JSON.stringify(message.id)},"type":"next","payload":`,
      };
      own.set(message.id, subscription);
      subscriptions.add(subscription);
    } else if (message.type === 'complete') {
      const subscription = own.get(message.id);
      if (subscription) subscriptions.delete(subscription);
      own.delete(message.id);
    }
  });
  socket.on('close', () => {
    for (const subscription of own.values()) subscriptions.delete(subscription);
  });
});
await new Promise<void>((resolve) => wss.once('listening', resolve));

const listener = new pg.Client({ connectionString: databaseUrl });
await listener.connect();
listener.on('notification', ({ payload }) => {
  if (!payload) return;
  const { id, kind, subjectId, createdAt } = JSON.parse(payload) as BareEvent;
  // One payload per event; each subscription's message is its prefix and that payload.
  const tail = `${JSON.stringify({ data: { reviewQueueEvents: { id, kind, subjectId, createdAt } } })}}`;
  for (const { socket, prefix } of subscriptions) socket.send(prefix + tail);
  delivered += 1;
});
await listener.query(`LISTEN ${BARE_CHANNEL}`);

answerBenchmark({
  name: 'bare',
  url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
  counts: () => ({ subscribers: subscriptions.size, delivered, fetches: 0 }),
  async close() {
    for (const socket of wss.clients) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await listener.end();
  },
});
