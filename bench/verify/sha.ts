// The second baseline of the gateway benchmark, in a process of its own: a bare node:http
// server that reads the credential as /v1/verify does (Authorization: Bearer or X-API-Key),
// hashes it with SHA-256 and looks the hash up in a Map, then answers what /v1/verify answers
// an allowed request. Beside the bare server (HTTP alone), it shows Portico's own decision
// cost apart from the hash and lookup every cache hit needs.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALLOWED_BODY, ALLOWED_HEADERS } from './allowed.js';
import type { ServerReply, ServerRequest } from './protocol.js';

if (!process.send) throw new Error('fork this file');
const send = (message: ServerReply): void => {
  process.send?.(message);
};

/** Hashes of the credentials this server knows (the benchmark's one, sent with `reload`). */
const known = new Map<string, typeof ALLOWED_HEADERS>();
let misses = 0;

const server = createServer((req, res) => {
  req.resume();
  const authorization = req.headers.authorization;
  const secret = authorization?.startsWith('Bearer ')
    ? authorization.slice(7)
    : req.headers['x-api-key'];
  const headers =
    typeof secret === 'string'
      ? known.get(createHash('sha256').update(secret).digest('hex'))
      : undefined;
  if (!headers) {
    misses += 1;
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"allowed":false}');
    return;
  }
  res.writeHead(200, headers);
  res.end(ALLOWED_BODY);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  send({ type: 'ready', url: `http://127.0.0.1:${port}` });
});

process.on('message', (message: ServerRequest) => {
  if (message.type === 'stats') {
    const { user, system } = process.cpuUsage();
    send({ type: 'stats', queries: 0, byKind: {}, waited: misses, cpuMs: (user + system) / 1000 });
  } else if (message.type === 'reload') {
    if (message.secret) {
      known.set(createHash('sha256').update(message.secret).digest('hex'), ALLOWED_HEADERS);
    }
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
