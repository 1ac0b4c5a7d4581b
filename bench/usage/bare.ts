// The baseline of the usage ingestion benchmark, in a process of its own: a bare node:http
// server that reads each POST body, parses it as JSON and answers 202 with the number of
// events, as /v1/usage answers an accepted batch, with nothing checked, counted or written.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerReply, ServerRequest } from '../verify/protocol.js';

if (!process.send) throw new Error('fork this file');
const send = (message: ServerReply): void => {
  process.send?.(message);
};

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: unknown[] };
    const text = JSON.stringify({ accepted: body.events.length });
    res.writeHead(202, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    res.end(text);
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  send({ type: 'ready', url: `http://127.0.0.1:${port}` });
});

process.on('message', (message: ServerRequest) => {
  if (message.type === 'stats') {
    const { user, system } = process.cpuUsage();
    send({ type: 'stats', queries: 0, byKind: {}, waited: 0, cpuMs: (user + system) / 1000 });
  } else if (message.type === 'reload') {
    send({ type: 'reloaded' });
  } else if (message.type === 'stop') {
    server.closeAllConnections();
    server.close(() => {
      send({ type: 'stopped' });
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));
