import type { ErrorRequestHandler } from 'express';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** Fixed answers to the body parser's refusals, by its error `type`. */
const BODY_ERRORS: Readonly<Record<string, { status: number; message: string }>> = {
  'entity.parse.failed': { status: 400, message: 'The request body is not valid JSON.' },
  'entity.too.large': { status: 413, message: 'The request body is too large.' },
  'encoding.unsupported': { status: 415, message: "The request body's encoding is not supported." },
  'charset.unsupported': { status: 415, message: "The request body's charset is not supported." },
  'request.aborted': { status: 400, message: 'The request was aborted.' },
};

const INTERNAL_ERROR = 'Something went wrong on our side.';

function describe(err: unknown): { name: string; type?: string; status?: number } {
  if (typeof err !== 'object' || err === null) return { name: typeof err };
  const { name, type, status } = err as { name?: unknown; type?: unknown; status?: unknown };
  return {
    name: typeof name === 'string' ? name : 'Error',
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof status === 'number' ? { status } : {}),
  };
}

/**
 * Answers a request that could not be read, or failed before GraphQL could answer it: a fixed
 * JSON message, and a log line with the error's name and type, never the body it may carry.
 * A client's mistake (4xx) is logged at info with nothing more; anything else as an error,
 * with its stack.
 */
export function answerRequestError(err: unknown, res: ServerResponse, log: Logger): void {
  const error = describe(err);
  const known = error.type ? BODY_ERRORS[error.type] : undefined;
  const clientError = error.status !== undefined && error.status >= 400 && error.status < 500;
  const status = known?.status ?? (clientError ? (error.status ?? 400) : 500);
  const message =
    known?.message ?? (status < 500 ? 'The request could not be read.' : INTERNAL_ERROR);
  if (status < 500) {
    log.info({ error }, 'refused a request that could not be read');
  } else {
    // A server-side failure keeps its stack, unless it carries a copy of the request body.
    const stack = err instanceof Error && !('body' in err) ? err.stack : undefined;
    log.error({ error: { ...error, stack } }, 'unexpected error answering an HTTP request');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({
    errors: [
      { message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } },
    ],
  });
  res.writeHead(status, {
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * The last error handler of the Express app, in place of Express's own (which prints the
 * error, and with it the body parser's copy of the request body, to stderr): see
 * `answerRequestError`.
 */
export function requestErrorHandler(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    answerRequestError(err, res, log);
  };
}
