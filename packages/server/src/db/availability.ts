/**
 * Telling "the database is out of reach" (restarting, killed, not yet accepting connections)
 * from every other failure: the first is answered as a typed, retryable SERVICE_UNAVAILABLE;
 * the second is a bug, logged and masked.
 */

/**
 * How long opening one connection may take before it fails: a PostgreSQL that is down refuses
 * at once, but an unreachable host would otherwise hold a request until the OS gives up.
 */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The longest a request waits for a connection of the ORM's pool (all busy, or none can be
 * made) before it fails with SERVICE_UNAVAILABLE instead of hanging.
 */
export const ACQUIRE_TIMEOUT_MS = 10_000;

/** Options for every `pg` pool and client of the server (besides its connection string). */
export const PG_CONNECTION_OPTIONS = {
  connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  // A connection to a host that vanished is noticed by the OS instead of waiting forever.
  keepAlive: true,
} as const;

/**
 * SQLSTATEs of a server that went away or is not ready: class 08 (connection exception),
 * 57P01 admin_shutdown (also "terminating connection due to unexpected postmaster exit"),
 * 57P02 crash_shutdown (another backend crashed), 57P03 cannot_connect_now (starting up,
 * recovering), 53300 too_many_connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Socket errors of a server that cannot be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Messages of `pg`, `pg-pool` and knex when a connection broke or none could be had; they
 * carry no code (and knex puts the statement before a query's message). knex answers "query
 * already complete" to every statement of a transaction whose BEGIN failed on a connection
 * that had just died (it hands the transaction out all the same); the server never runs a
 * statement in a transaction it has ended otherwise.
 */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/,
  /is not queryable/,
  /timeout exceeded when trying to connect/,
  /Knex: Timeout acquiring a connection/,
  /^Transaction query already complete/,
];

function isUnavailableItself(error: object): boolean {
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (code.startsWith('08') && code.length === 5) return true;
    if (UNAVAILABLE_SQLSTATES.has(code) || NETWORK_CODES.has(code)) return true;
  }
  if (name === 'KnexTimeoutError') return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message));
}

/**
 * Whether `error` (or what it wraps: MikroORM's DriverException, GraphQL's originalError, an
 * Error's cause, an AggregateError of connection attempts) says the database is out of reach.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    if (isUnavailableItself(current)) return true;
    const { cause, originalError, errors } = current as {
      cause?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    pending.push(cause, originalError);
    if (Array.isArray(errors)) pending.push(...(errors as unknown[]));
  }
  return false;
}

/**
 * What to log about a connection failure: its name and code, never its message, which for a
 * failed statement quotes the SQL (and so, possibly, a value it carried).
 */
export function describeConnectionFailure(error: unknown): { name: string; code: string | null } {
  if (!(error instanceof Error)) return { name: typeof error, code: null };
  const { code } = error as { code?: unknown };
  return { name: error.name, code: typeof code === 'string' ? code : null };
}

/** How long /readyz waits for the database's answer before it reports not ready. */
export const READY_TIMEOUT_MS = 2_000;

/** Whether `selectOne` (a `select 1`) answers within READY_TIMEOUT_MS: what /readyz reports. */
export async function databaseAnswers(selectOne: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  const check = selectOne().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
