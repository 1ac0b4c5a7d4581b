import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isForbiddenHost } from '../../graphql/validation.js';

/**
 * Where webhooks may go. Every delivery resolves its host itself, refuses it if any address is
 * not allowed, connects to the address it checked (no second lookup a rebinding DNS server
 * could answer differently) and checks the address the socket actually reached. Redirects are
 * never followed, attempts have a connection and a total timeout, and at most 64 KiB of an
 * answer is read.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (the system's resolver by default). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: ResolveHost = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

export interface NetworkPolicy {
  /** http:// and private, loopback and CGNAT addresses allowed (development, tests). */
  allowPrivate: boolean;
  resolve: ResolveHost;
}

/**
 * Addresses of the deployment's own networks: private (RFC 1918, unique-local IPv6), loopback,
 * CGNAT (RFC 6598), benchmarking, and NAT64 (whose IPv4 part could be any of them). Allowed only
 * when the deployment says so.
 */
const PRIVATE = (() => {
  const list = new BlockList();
  for (const [address, prefix] of [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['127.0.0.0', 8],
    ['100.64.0.0', 10],
    ['198.18.0.0', 15],
  ] as const) {
    list.addSubnet(address, prefix, 'ipv4');
  }
  list.addAddress('::1', 'ipv6');
  list.addSubnet('fc00::', 7, 'ipv6');
  list.addSubnet('64:ff9b::', 96, 'ipv6');
  return list;
})();

/** Never a destination: multicast, reserved and broadcast, besides the core's forbidden hosts. */
const NEVER = (() => {
  const list = new BlockList();
  list.addSubnet('224.0.0.0', 4, 'ipv4');
  list.addSubnet('240.0.0.0', 4, 'ipv4');
  list.addSubnet('192.0.0.0', 24, 'ipv4');
  list.addSubnet('ff00::', 8, 'ipv6');
  return list;
})();

export type AddressKind = 'public' | 'private' | 'forbidden';

/**
 * `forbidden`: link-local, cloud metadata, unspecified, multicast or reserved (never allowed);
 * `private`: the deployment's own networks (allowed only when the deployment says so);
 * `public`: anything else. IPv4-mapped IPv6 addresses are judged as their IPv4 address.
 */
export function classifyAddress(raw: string): AddressKind {
  let address = raw.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) address = mapped[1];
  const family = isIP(address);
  if (family === 0) return 'forbidden';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (isForbiddenHost(address) || NEVER.check(address, type)) return 'forbidden';
  if (PRIVATE.check(address, type)) return 'private';
  return 'public';
}

export function isAllowedAddress(address: string, allowPrivate: boolean): boolean {
  const kind = classifyAddress(address);
  return kind === 'public' || (kind === 'private' && allowPrivate);
}

const bare = (hostname: string): string =>
  hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;

/**
 * What is wrong with an endpoint URL, as a sentence for its `url` field, or null. Resolves the
 * host: every address it has must be allowed.
 */
export async function endpointUrlProblem(
  value: string,
  policy: NetworkPolicy,
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter an absolute https:// URL.';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowPrivate)) {
    return policy.allowPrivate
      ? 'The URL must start with https:// or http://.'
      : 'The URL must start with https://.';
  }
  if (url.username || url.password || /^[a-z]+:\/\/[^/?#]*@/i.test(value)) {
    return 'The URL must not hold a user name or password.';
  }
  if (isForbiddenHost(url.hostname)) {
    return 'The URL must not point to a link-local, cloud metadata or unspecified address.';
  }
  const host = bare(url.hostname);
  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) return `The host ${host} could not be resolved.`;
  }
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind === 'forbidden') {
      return 'The URL leads to a link-local, metadata or reserved address, where webhooks are never sent.';
    }
    if (kind === 'private' && !policy.allowPrivate) {
      return 'The URL leads to a private, loopback or shared address; webhooks go to public addresses only.';
    }
  }
  return null;
}

/** What one attempt got back. */
export interface AttemptResult {
  /** The HTTP status, or null when none came (refused, timed out, blocked). */
  status: number | null;
  responseTimeMs: number;
  /** The start of the body (1,000 characters at most), null without an answer. */
  excerpt: string | null;
  /** Why there was no status: `blocked_address`, `timeout`, `ECONNREFUSED`… */
  error: string | null;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The most of an answer that is read; the rest is dropped with the connection. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const EXCERPT_CHARACTERS = 1000;
const CONNECT_TIMEOUT_MS = 5_000;

class AttemptError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** Error code of a failed request: a known code, never its message (it may quote the URL). */
function codeOf(error: unknown): string {
  if (error instanceof AttemptError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ABORT_ERR') return 'timeout';
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'request_failed';
}

function excerptOf(body: Buffer): string {
  return (
    body
      .toString('utf8')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
      .replace(/\uFFFD+$/, '')
      .slice(0, EXCERPT_CHARACTERS)
  );
}

/** POSTs one delivery under `policy`; never throws. */
export async function postWebhook(
  request: WebhookRequest,
  policy: NetworkPolicy,
  timeoutMs: number,
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = (): number => Math.max(0, Math.round(performance.now() - started));
  const failed = (error: string): AttemptResult => ({
    status: null,
    responseTimeMs: elapsed(),
    excerpt: null,
    error,
  });

  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return failed('invalid_url');
  }
  const secure = url.protocol === 'https:';
  if (!secure && !(url.protocol === 'http:' && policy.allowPrivate)) return failed('insecure_url');
  if (url.username || url.password) return failed('invalid_url');
  const host = bare(url.hostname);

  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      return failed('dns_failure');
    }
  }
  const target = addresses[0];
  if (!target) return failed('dns_failure');
  if (addresses.some(({ address }) => !isAllowedAddress(address, policy.allowPrivate))) {
    return failed('blocked_address');
  }

  // The checked address, whatever the host name would resolve to by now.
  const pinned = ((_hostname: string, options: { all?: boolean }, callback: unknown) => {
    const done = callback as (
      error: Error | null,
      address: string | ResolvedAddress[],
      family?: number,
    ) => void;
    if (options.all) done(null, [target]);
    else done(null, target.address, target.family);
  }) as unknown as LookupFunction;

  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const settle = (result: AttemptResult): void => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      resolve(result);
    };
    const options: https.RequestOptions = {
      protocol: url.protocol,
      hostname: host,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      lookup: pinned,
      agent: false,
      ...(secure && !isIP(host) ? { servername: host } : {}),
    };
    const req = (secure ? https : http).request(options);
    timers.push(setTimeout(() => req.destroy(new AttemptError('timeout')), timeoutMs));
    req.on('socket', (socket: Socket) => {
      const connectTimer = setTimeout(
        () => req.destroy(new AttemptError('connect_timeout')),
        Math.min(CONNECT_TIMEOUT_MS, timeoutMs),
      );
      timers.push(connectTimer);
      const checkPeer = (): void => {
        clearTimeout(connectTimer);
        const peer = socket.remoteAddress;
        if (!peer || !isAllowedAddress(peer, policy.allowPrivate)) {
          req.destroy(new AttemptError('blocked_address'));
        }
      };
      socket.once('connect', checkPeer);
      socket.once('secureConnect', checkPeer);
    });
    req.on('error', (error) => settle(failed(codeOf(error))));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (): void => {
        settle({
          status: res.statusCode ?? null,
          responseTimeMs: elapsed(),
          excerpt: excerptOf(Buffer.concat(chunks)),
          error: null,
        });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
        size += chunk.length;
        if (size >= MAX_RESPONSE_BYTES) finish();
      });
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
    req.end(request.body);
  });
}
