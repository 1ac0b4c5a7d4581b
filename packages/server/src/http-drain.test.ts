import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer } from '../test/harness.js';
import { HttpDrain } from './http-drain.js';

/** A raw keep-alive connection: what was received, and whether the server ended it. */
function connect(
  port: number,
  allowHalfOpen = false,
): {
  socket: net.Socket;
  received: () => string;
  ended: Promise<void>;
} {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const ended = once(socket, 'end').then(() => undefined);
  return { socket, received: () => text, ended };
}

const portOf = (url: string): number => Number(new URL(url).port);

/** Resolves with true once `promise` settles, or false after `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), delay(ms).then(() => false)]);
}

describe('HttpDrain', () => {
  let server: Server;

  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  // A grace period longer than the test's timeout: only the drain itself can end these.
  const GRACE_MS = 120_000;

  it('ends idle keep-alive connections at once, and one in flight as soon as it is answered', async () => {
    let answer: (() => void) | undefined;
    server = createServer((req, res) => {
      req.resume();
      if (req.url === '/slow') answer = () => res.end('slow');
      else res.end('fast');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    const idle = connect(port);
    idle.socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    const busy = connect(port);
    busy.socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => idle.received()).toContain('fast');
    await expect.poll(() => answer).toBeDefined();

    const drained = new HttpDrain(server, GRACE_MS).drain();
    await idle.ended;
    // The busy connection stays open, and the drain waits, until its answer went out.
    expect(await settlesWithin(drained, 200)).toBe(false);
    expect(busy.socket.readableEnded).toBe(false);
    answer?.();
    await busy.ended;
    expect(busy.received()).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*slow$/);
    await drained;
    // No new connection is accepted.
    const late = net.connect(port, '127.0.0.1');
    const [error] = (await once(late, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('ends the upgraded sockets it was given, and destroys what is left after the grace period', async () => {
    server = createServer((_req, res) => res.end());
    const drain = new HttpDrain(server, 300);
    let upgradedCount = 0;
    server.on('upgrade', (_req, socket) => {
      upgradedCount += 1;
      drain.trackUpgraded(socket);
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n',
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    // This client never closes its side: the drain ends the socket, then destroys it (the
    // server has stopped only once every socket is closed).
    const client = connect(port, true);
    client.socket.write(
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n',
    );
    await expect.poll(() => client.received()).toContain('101 Switching Protocols');

    const drained = drain.drain();
    await client.ended;
    await drained;
    expect(upgradedCount).toBe(1);
  });
});

describe('stopping the portal', () => {
  it('answers the request in flight, closes WebSockets with 1001, and only then has stopped', async () => {
    const portal = await startTestServer();
    const port = portOf(portal.url);

    const ws = new WebSocket(
      `${portal.url.replace(/^http/, 'ws')}/graphql`,
      'graphql-transport-ws',
    );
    await once(ws, 'open');
    const wsClosed = once(ws, 'close') as Promise<[number, Buffer]>;

    // A key check whose body is only half sent: the request is in flight.
    const body = JSON.stringify({ key: 'not-a-key', path: '/anything' });
    const inFlight = connect(port);
    inFlight.socket.write(
      `POST /v1/keys/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`,
    );
    await delay(50);

    const stopped = portal.close();
    const [code] = await wsClosed;
    expect(code).toBe(1001);
    expect(await settlesWithin(stopped, 200)).toBe(false);
    inFlight.socket.write(body.slice(5));
    await inFlight.ended;
    expect(inFlight.received()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(inFlight.received()).toContain('"valid":false');
    await stopped;
  });

  it('leaves SIGINT and SIGTERM to the process, in production too, so that it stops once', async () => {
    const listeners = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const before = listeners();
    const portal = await startTestServer({
      env: { NODE_ENV: 'production', PUBLIC_URL: 'http://portico.test' },
    });
    try {
      expect(listeners()).toEqual(before);
    } finally {
      await portal.close();
    }
  });
});
