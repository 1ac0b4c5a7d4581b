// The baseline of the gateway benchmark, in a process of its own: a bare node:http server
// answering every request as /v1/verify answers an allowed one (same status, headers and
// body, fixed values), with nothing decided.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALLOWED_BODY, ALLOWED_HEADERS } from './allowed.js';
import type { ServerReply, ServerRequest } from './protocol.js';

if (!process.send) throw new Error('fork this file');
const send = (message: ServerReply): void => {
  process.send?.(message);
};

const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, ALLOWED_HEADERS);
  res.end(ALLOWED_BODY);
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
