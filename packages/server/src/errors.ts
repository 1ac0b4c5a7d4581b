import { GraphQLError } from 'graphql';

/** Stable codes of expected failures, sent as `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  /** The database is briefly out of reach (restarting, failing over): retry shortly. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Signed in by the session cookie, a request may run only the web app's own documents. */
  TRUSTED_DOCUMENT_REQUIRED: 'TRUSTED_DOCUMENT_REQUIRED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An expected failure: a typed GraphQL error with a stable code and, for input, the field. */
export class PorticoError extends GraphQLError {
  constructor(
    code: ErrorCode,
    message: string,
    field?: string,
    /** More machine-readable detail, e.g. the state an illegal transition started from. */
    detail: Record<string, string | number> = {},
  ) {
    super(message, { extensions: field ? { code, field, ...detail } : { code, ...detail } });
  }
}

export const badInput = (field: string, message: string): PorticoError =>
  new PorticoError(ErrorCode.BAD_USER_INPUT, message, field);
export const unauthenticated = (message = 'Sign in first.'): PorticoError =>
  new PorticoError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do that.'): PorticoError =>
  new PorticoError(ErrorCode.FORBIDDEN, message);
/** Not found and "exists but not yours" look the same, so ids cannot be probed. */
export const notFound = (what: string, field = 'id'): PorticoError =>
  new PorticoError(ErrorCode.NOT_FOUND, `${what} not found.`, field);
export const conflict = (field: string, message: string): PorticoError =>
  new PorticoError(ErrorCode.CONFLICT, message, field);
/** The operation may return more objects than one request may: ask for smaller pages. */
export const operationTooLarge = (nodes: number, maxNodes: number): PorticoError =>
  new PorticoError(
    ErrorCode.BAD_USER_INPUT,
    `This operation may return ${nodes} objects; one request may return at most ${maxNodes}. Ask for smaller pages or fewer nested lists.`,
    'query',
    { nodes, maxNodes },
  );

/**
 * The operation costs more than is left of the caller's hourly budget: refused before it runs,
 * with when the budget resets. Over HTTP it is answered with a 429 and `Retry-After`.
 */
export function budgetExceeded(
  cost: number,
  remaining: number,
  resetAt: Date,
  now = Date.now(),
): PorticoError {
  return new PorticoError(
    ErrorCode.RATE_LIMITED,
    `This operation costs ${cost} and ${remaining} is left of your budget until ${resetAt.toISOString()}.`,
    undefined,
    {
      cost,
      remaining,
      resetAt: resetAt.toISOString(),
      retryAfter: Math.max(1, Math.ceil((resetAt.getTime() - now) / 1000)),
    },
  );
}

/**
 * The database could not be reached: nothing was changed unless the operation says otherwise,
 * and the same request may be sent again in a moment. Over HTTP it is answered with a 503.
 */
export const serviceUnavailable = (): PorticoError =>
  new PorticoError(
    ErrorCode.SERVICE_UNAVAILABLE,
    'Portico cannot reach its database right now. Try again in a moment.',
  );

/**
 * A request signed in by the session cookie sent a document that is not one of the web app's
 * (see README, "Trusted documents"). Over HTTP it is answered with a 400.
 */
export const untrustedDocument = (): PorticoError =>
  new PorticoError(
    ErrorCode.TRUSTED_DOCUMENT_REQUIRED,
    "This operation is not a registered document of the web app. Signed in with the session cookie, only the web app's own operations run: reload the page if Portico was just updated, or send your own operations with a personal access token (Authorization: Bearer).",
  );

/** Too many requests: `extensions.retryAfter` says in how many seconds to try again. */
export function rateLimited(retryAfterSeconds: number, field?: string): PorticoError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
  const wait =
    retryAfter < 120 ? `${retryAfter} second(s)` : `${Math.ceil(retryAfter / 60)} minute(s)`;
  return new PorticoError(
    ErrorCode.RATE_LIMITED,
    `Too many requests. Try again in ${wait}.`,
    field,
    { retryAfter },
  );
}

/**
 * Runs an access check, reporting "no such organization" as "no such <what>" on `field`:
 * an object in an organization you cannot see does not exist for you.
 */
export async function hidingAsNotFound<T>(
  what: string,
  field: string,
  check: () => Promise<T>,
): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof PorticoError && error.extensions.code === ErrorCode.NOT_FOUND) {
      throw notFound(what, field);
    }
    throw error;
  }
}
