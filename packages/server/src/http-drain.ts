import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** How often a draining server looks for connections whose last response went out. */
const SWEEP_MS = 20;

/**
 * Stops an HTTP server gracefully, from the connection lists Node.js keeps anyway, with nothing
 * done per request (the hot paths, `/v1/verify` first, pay nothing for it):
 *
 * - it stops listening, and ends every keep-alive connection that waits for no answer;
 * - a connection with a request in flight ends as soon as its answer has gone out;
 * - upgraded sockets (WebSockets) are ended once the WebSocket server had its turn to send
 *   them a close frame;
 * - whatever is still open after `graceMs` is destroyed.
 *
 * Resolves once every connection is closed.
 */
export class HttpDrain {
  private readonly upgraded = new Set<Duplex>();

  constructor(
    private readonly server: Server,
    private readonly graceMs = 10_000,
  ) {}

  /** A socket taken over by an upgrade (the HTTP server no longer counts it as a connection). */
  trackUpgraded(socket: Duplex): void {
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
  }

  async drain(): Promise<void> {
    // The WebSocket server's own drain (in the same turn) writes its close frames first.
    await nextTurn();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.upgraded) socket.end();
    const sweep = setInterval(() => this.server.closeIdleConnections(), SWEEP_MS);
    const deadline = setTimeout(() => {
      this.server.closeAllConnections();
      for (const socket of this.upgraded) socket.destroy();
    }, this.graceMs);
    try {
      await closed;
    } finally {
      clearInterval(sweep);
      clearTimeout(deadline);
    }
  }
}

/**
 * Listens on `port` and `host`; resolves with the server's URL (a wildcard host is reached on
 * loopback), or rejects when it cannot listen (the port is taken).
 */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
}
