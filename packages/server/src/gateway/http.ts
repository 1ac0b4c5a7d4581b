import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { describeConnectionFailure, isDatabaseUnavailable } from '../db/availability.js';
import type { Gateway } from './gateway.js';
import { deny, type Decision, type Denied } from './verify.js';

const MAX_HEADER = 8192;
const KEYS_VERIFY_BODY_LIMIT = 16 * 1024;
const USAGE_BODY_LIMIT = 5 * 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';
const ALLOWED_BODY = '{"allowed":true}';
const ALLOWED_LENGTH = `${ALLOWED_BODY.length}`;

class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const REPEATED = Symbol('repeated');

type OriginalValue = string | undefined | typeof REPEATED;

/** What /v1/verify reads of a request's headers. */
interface VerifyHeaders {
  /**
   * X-Original-URI, X-Forwarded-URI, X-Original-Method, X-Forwarded-Method (in that order,
   * ORIGINAL_HEADERS' indexes), each of which may come at most once.
   */
  originals: [OriginalValue, OriginalValue, OriginalValue, OriginalValue];
  /** The first Authorization, as Node keeps it. */
  authorization: string | undefined;
  /** X-API-Key, repeated ones joined with ", " as Node joins them. */
  apiKey: string | undefined;
}

/**
 * Whether `text` starts with `lower` (lower-case ASCII) in any ASCII case. `canonical` is the
 * case clients nearly always send, compared first as a whole.
 */
function startsWithAnyCase(text: string, lower: string, canonical: string = lower): boolean {
  if (text.length < lower.length) return false;
  if (text.startsWith(canonical) || text.startsWith(lower)) return true;
  for (let i = 0; i < lower.length; i++) {
    const code = text.charCodeAt(i);
    const want = lower.charCodeAt(i);
    if (code !== want && !(code >= 65 && code <= 90 && code + 32 === want)) return false;
  }
  return true;
}

/** An original-request header (NGINX's `auth_request` sets them), which may come at most once. */
interface OriginalHeader {
  /** Its place in VerifyHeaders.originals. */
  readonly index: 0 | 1 | 2 | 3;
  readonly lower: string;
  /** The case gateways send. */
  readonly canonical: string;
}

/** The original-request headers by the length of their names (no two share one). */
const ORIGINAL_BY_LENGTH: readonly (OriginalHeader | undefined)[] = (() => {
  const byLength: (OriginalHeader | undefined)[] = [];
  for (const header of [
    { index: 0, lower: 'x-original-uri', canonical: 'X-Original-URI' },
    { index: 1, lower: 'x-forwarded-uri', canonical: 'X-Forwarded-Uri' },
    { index: 2, lower: 'x-original-method', canonical: 'X-Original-Method' },
    { index: 3, lower: 'x-forwarded-method', canonical: 'X-Forwarded-Method' },
  ] as const) {
    byLength[header.lower.length] = header;
  }
  return byLength;
})();

/**
 * The headers /v1/verify reads, in one pass over `rawHeaders` (names as sent, any case),
 * with the meaning `req.headers` gives them, without making `req.headers` (every header's
 * name lower-cased, its duplicates merged) nor a lower-cased copy of any name: a
 * verification is the gateway's hot path. Each name is told by its length, then compared.
 */
function verifyHeadersOf(req: IncomingMessage): VerifyHeaders {
  const found: VerifyHeaders = {
    originals: [undefined, undefined, undefined, undefined],
    authorization: undefined,
    apiKey: undefined,
  };
  const originals = found.originals;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    switch (name.length) {
      case 9:
        if (startsWithAnyCase(name, 'x-api-key', 'X-API-Key')) {
          found.apiKey = found.apiKey === undefined ? value : `${found.apiKey}, ${value}`;
        }
        break;
      case 13:
        if (
          found.authorization === undefined &&
          startsWithAnyCase(name, 'authorization', 'Authorization')
        ) {
          found.authorization = value;
        }
        break;
      default: {
        const original = ORIGINAL_BY_LENGTH[name.length];
        if (original && startsWithAnyCase(name, original.lower, original.canonical)) {
          // By index, not by field name: a property named at run time is a slow lookup.
          originals[original.index] = originals[original.index] === undefined ? value : REPEATED;
        }
      }
    }
  }
  return found;
}

/**
 * The original request's value from a pair of headers (X-Original-* and X-Forwarded-*), or the
 * refusal of a request that repeats one or gives both with different values: a client could
 * add one its gateway does not set.
 */
function originalHeader(
  first: OriginalValue,
  second: OriginalValue,
  original: string,
  forwarded: string,
): string | undefined | Denied {
  if (first === REPEATED || second === REPEATED) {
    const name = first === REPEATED ? original : forwarded;
    return deny('bad_request', {
      reason: 'duplicate_header',
      message: `The request carries ${name} more than once.`,
    });
  }
  if (first !== undefined && second !== undefined && first !== second) {
    return deny('bad_request', {
      reason: 'conflicting_headers',
      message: `The request carries ${original} and ${forwarded} with different values.`,
    });
  }
  return first ?? second;
}

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearerOf(req: IncomingMessage): string | undefined {
  return bearerIn(req.headers.authorization);
}

function bearerIn(authorization: string | undefined): string | undefined {
  if (authorization === undefined || !startsWithAnyCase(authorization, 'bearer ', 'Bearer '))
    return undefined;
  return authorization.slice(7).trim() || undefined;
}

/** The credential: `Authorization: Bearer <token>` or `X-API-Key: <token>`. */
function credentialIn(headers: VerifyHeaders): string | undefined {
  return bearerIn(headers.authorization) ?? (headers.apiKey?.trim() || undefined);
}

/** The request's credential, as /v1/verify reads it. */
export function credentialOf(req: IncomingMessage): string | undefined {
  return credentialIn(verifyHeadersOf(req));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function rateHeaders(decision: Decision): Record<string, string | number> {
  const rate = decision.rate;
  if (!rate) return {};
  return {
    'x-ratelimit-limit': rate.limit,
    'x-ratelimit-remaining': rate.remaining,
    'x-ratelimit-reset': rate.resetSeconds,
  };
}

/** The JSON body of a decision, shared by /v1/verify denials and /v1/keys/verify. */
export function decisionBody(decision: Decision): Record<string, unknown> {
  if (decision.allowed) return { allowed: true };
  return {
    allowed: false,
    code: decision.code,
    ...(decision.reason ? { reason: decision.reason } : {}),
    message: decision.message,
    ...(decision.required ? { required: decision.required, granted: decision.granted } : {}),
  };
}

export function denialHeaders(decision: Decision): Record<string, string | number> {
  if (decision.allowed) return {};
  const headers = rateHeaders(decision);
  // The reason as a header too: a proxy that drops the body (NGINX auth_request) can pass it on.
  headers['x-portico-reason'] = decision.code;
  if (decision.status === 401) headers['www-authenticate'] = 'Bearer error="invalid_token"';
  if (decision.retryAfterSeconds !== null) headers['retry-after'] = decision.retryAfterSeconds;
  return headers;
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const type = header(req, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    req.resume();
    throw new BodyError(415, 'unsupported_media_type', 'Send Content-Type: application/json.');
  }
  const declared = Number(header(req, 'content-length') ?? '0');
  if (declared > limit) {
    req.resume();
    throw new BodyError(413, 'payload_too_large', `The body is limited to ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new BodyError(413, 'payload_too_large', `The body is limited to ${limit} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'malformed_json', 'The body is not valid JSON.');
  }
}

/**
 * The gateway's HTTP endpoints, answered straight from node:http (no framework on the hot
 * path): `/v1/verify`, `POST /v1/keys/verify`, `POST /v1/usage`.
 */
export function createGatewayHandler(
  gateway: Gateway,
  log: Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  const answerVerify = (res: ServerResponse, decision: Decision): void => {
    if (decision.allowed) {
      // A flat [name, value, …] list: the cheapest form for writeHead (this is the hot path).
      const headers: string[] = [
        'content-type',
        JSON_TYPE,
        'content-length',
        ALLOWED_LENGTH,
        'cache-control',
        'no-store',
        'x-portico-app',
        decision.credential.appId,
        'x-portico-org',
        decision.credential.organizationId,
        'x-portico-environment',
        decision.environment,
        'x-portico-credential',
        decision.credential.credentialId,
        'x-portico-product',
        decision.product.slug,
      ];
      const user = decision.credential.userId;
      if (user) headers.push('x-portico-user', user);
      const rate = decision.rate;
      if (rate) {
        headers.push(
          'x-ratelimit-limit',
          `${rate.limit}`,
          'x-ratelimit-remaining',
          `${rate.remaining}`,
          'x-ratelimit-reset',
          `${rate.resetSeconds}`,
        );
      }
      const deprecation = decision.deprecation;
      if (deprecation) {
        headers.push('deprecation', deprecation.deprecation);
        if (deprecation.sunset) headers.push('sunset', deprecation.sunset);
      }
      res.writeHead(200, headers);
      res.end(ALLOWED_BODY);
      return;
    }
    sendJson(res, decision.status, decisionBody(decision), denialHeaders(decision));
  };

  /** Synchronous on a cache hit (no promise at all); a promise only when it must wait. */
  const handleVerify = (req: IncomingMessage, res: ServerResponse): Promise<void> | void => {
    const headers = verifyHeadersOf(req);
    const [originalUri, forwardedUri, originalMethod, forwardedMethod] = headers.originals;
    const uri = originalHeader(originalUri, forwardedUri, 'x-original-uri', 'x-forwarded-uri');
    if (typeof uri === 'object') return answerVerify(res, uri);
    const method = originalHeader(
      originalMethod,
      forwardedMethod,
      'x-original-method',
      'x-forwarded-method',
    );
    if (typeof method === 'object') return answerVerify(res, method);
    const token = credentialIn(headers);
    if ((uri?.length ?? 0) > MAX_HEADER || (token?.length ?? 0) > MAX_HEADER) {
      answerVerify(res, deny('bad_request', { message: 'A header is too long.' }));
      return;
    }
    const decision = gateway.verify({ token, method: method ?? req.method ?? 'GET', uri });
    if (decision instanceof Promise) return decision.then((d) => answerVerify(res, d));
    answerVerify(res, decision);
  };

  const handleKeysVerify = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = parseJson(await readBody(req, KEYS_VERIFY_BODY_LIMIT));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BodyError(400, 'bad_request', 'The body must be a JSON object.');
    }
    const { key, method, path } = body as Record<string, unknown>;
    for (const [field, value, required] of [
      ['key', key, true],
      ['path', path, true],
      ['method', method, false],
    ] as const) {
      if ((required && value === undefined) || (value !== undefined && typeof value !== 'string')) {
        sendJson(res, 400, {
          code: 'bad_request',
          field,
          message: `Give "${field}" as a string.`,
        });
        return;
      }
    }
    const decision = await gateway.verify({
      token: key as string,
      method: (method as string | undefined) ?? 'GET',
      uri: path as string,
    });
    const credential = decision.credential;
    sendJson(res, 200, {
      valid: decision.allowed,
      status: decision.allowed ? 200 : decision.status,
      code: decision.allowed ? null : decision.code,
      ...(!decision.allowed && decision.reason ? { reason: decision.reason } : {}),
      message: decision.allowed ? null : decision.message,
      app: credential?.appId ?? null,
      org: credential?.organizationId ?? null,
      environment: decision.allowed ? decision.environment : null,
      product: decision.product?.slug ?? null,
      credential: credential?.credentialId ?? null,
      ...(credential?.userId ? { user: credential.userId } : {}),
      ratelimit: decision.rate
        ? {
            limit: decision.rate.limit,
            remaining: decision.rate.remaining,
            reset: decision.rate.resetSeconds,
          }
        : null,
      ...(!decision.allowed && decision.retryAfterSeconds !== null
        ? { retryAfter: decision.retryAfterSeconds }
        : {}),
      ...(!decision.allowed && decision.required
        ? { required: decision.required, granted: decision.granted }
        : {}),
    });
  };

  const handleUsage = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const token = bearerOf(req);
    if (!token) {
      req.resume();
      sendJson(
        res,
        401,
        {
          code: 'missing_gateway_token',
          message: 'Send a gateway token as Authorization: Bearer.',
        },
        { 'www-authenticate': 'Bearer' },
      );
      return;
    }
    if (!(await gateway.tokens.authenticate(token))) {
      req.resume();
      sendJson(
        res,
        401,
        { code: 'invalid_gateway_token', message: 'This gateway token is unknown or revoked.' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
      return;
    }
    const body = parseJson(await readBody(req, USAGE_BODY_LIMIT));
    const result = await gateway.reports.record(body);
    if (result.ok) {
      sendJson(res, 202, { accepted: result.accepted });
      return;
    }
    sendJson(res, result.code === 'bad_request' ? 400 : 422, {
      code: result.code,
      message: result.message,
      errors: result.errors,
    });
  };

  const route = (req: IncomingMessage, res: ServerResponse): Promise<void> | void => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (path === '/v1/verify') return handleVerify(req, res);
    if (path === '/v1/keys/verify' || path === '/v1/usage') {
      if (req.method !== 'POST') {
        req.resume();
        sendJson(res, 405, { code: 'method_not_allowed', message: 'Use POST.' }, { allow: 'POST' });
        return;
      }
      return path === '/v1/usage' ? handleUsage(req, res) : handleKeysVerify(req, res);
    }
    req.resume();
    sendJson(res, 404, { code: 'not_found', message: 'No such gateway endpoint.' });
  };

  return (req, res) => {
    let pending: Promise<void> | void;
    try {
      pending = route(req, res);
    } catch (err) {
      pending = Promise.reject(err);
    }
    if (!pending) return;
    pending.catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof BodyError) {
        // A body cut short (too large) cannot be drained: close the connection after answering.
        sendJson(
          res,
          err.status,
          { code: err.code, message: err.message },
          err.status === 413 ? { connection: 'close' } : {},
        );
        return;
      }
      if (isDatabaseUnavailable(err)) {
        log.warn(
          { error: describeConnectionFailure(err) },
          'gateway request: database unavailable',
        );
      } else {
        log.error({ err }, 'gateway request failed');
      }
      sendJson(
        res,
        503,
        { code: 'unavailable', message: 'Try again shortly.' },
        { 'retry-after': 1 },
      );
    });
  };
}
