// The benchmark's subscribers: 5,000 WebSockets speaking graphql-ws's protocol
// (graphql-transport-ws), one subscription each, like browser tabs. All of them share this one
// process and its one event loop, where a real client has a machine of its own, so each
// message costs as little here as the protocol allows: a message's receive time is taken when
// its WebSocket frame arrives, before it is parsed, and the client is the protocol itself
// (init, ack, subscribe, next, ping/pong) rather than graphql-ws's client, whose validation
// and dispatch of every message doubled this process's CPU per delivery.
import { WebSocket, type RawData, type WebSocketClient } from './deps.js';
import { now, type SubscribersReply, type SubscribersRequest } from './protocol.js';

if (!process.send) throw new Error('fork this file');
const send = (message: SubscribersReply): void => {
  process.send?.(message);
};

const received = new Map<string, number[]>();
let errors = 0;
/** Subscribers whose socket closed before the server acknowledged it. */
let failed = 0;
let cpuAtMark = process.cpuUsage();
const sockets: WebSocketClient[] = [];
let closing = false;

/** The server's messages that a subscriber reads (graphql-transport-ws). */
type ServerMessage =
  | { type: 'connection_ack' | 'pong' }
  | { type: 'ping' }
  | { type: 'next'; id: string; payload: { data?: Record<string, { id: string } | null> } }
  | { type: 'error'; id: string; payload: unknown }
  | { type: 'complete'; id: string };

function record(at: number, message: Extract<ServerMessage, { type: 'next' }>): void {
  const data = message.payload.data;
  // The subscription's one root field (`reviewQueueEvents` …): an event.
  const event = data ? Object.values(data)[0] : undefined;
  if (!event?.id) {
    errors += 1;
    return;
  }
  let times = received.get(event.id);
  if (!times) {
    times = [];
    received.set(event.id, times);
  }
  times.push(at);
}

/** Opens one subscriber; resolves true once its subscription is sent, false if it closed first. */
function subscribe(url: string, cookie: string, subscribeMessage: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', {
      headers: { cookie },
      perMessageDeflate: false,
    });
    sockets.push(socket);
    let acknowledged = false;
    socket.on('open', () => socket.send('{"type":"connection_init"}'));
    socket.on('message', (data: RawData) => {
      const at = now();
      const message = JSON.parse(data.toString()) as ServerMessage;
      switch (message.type) {
        case 'next':
          record(at, message);
          break;
        case 'connection_ack':
          acknowledged = true;
          socket.send(subscribeMessage);
          resolve(true);
          break;
        case 'ping':
          socket.send('{"type":"pong"}');
          break;
        case 'pong':
          break;
        default:
          // `error` or `complete`: the server ended the subscription.
          errors += 1;
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => {
      if (!acknowledged) {
        // Counted as failed to connect by `start` (not as an error of the events).
        if (failed < 3) console.error('subscriber closed before connecting:', code, `${reason}`);
        resolve(false);
      } else if (!closing) {
        errors += 1;
      }
    });
  });
}

async function start(urls: string[], count: number, cookie: string, query: string): Promise<void> {
  const subscribeMessage = JSON.stringify({ id: '1', type: 'subscribe', payload: { query } });
  const opened: Promise<boolean>[] = [];
  for (let i = 0; i < count; i++) {
    const url = `${urls[i % urls.length]?.replace(/^http/, 'ws')}/graphql`;
    opened.push(
      subscribe(url, cookie, subscribeMessage).then((ok) => {
        if (!ok) failed += 1;
        return ok;
      }),
    );
    // Open the sockets in waves of 50, each once the previous one is acknowledged.
    if (i % 50 === 49) await Promise.all(opened.slice(-50));
  }
  await Promise.all(opened);
  send({ type: 'connected', count: count - failed, failed });
}

/** Closes every socket (1000, as a client that is done) and waits until each has closed. */
async function closeAll(): Promise<void> {
  closing = true;
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close(1000);
        }),
    ),
  );
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
      await closeAll();
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
