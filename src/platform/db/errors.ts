// Recognises database errors under drizzle's wrapping: those that are the caller's fault (a taken
// unique value), so services can answer 409 instead of 500, and those that say the database cannot
// be reached right now (down, restarting, refusing connections), which are answered 503.
interface PostgresError {
  code?: string;
  constraint_name?: string;
  message?: string;
  cause?: unknown;
  /** AggregateError: a connection tried several addresses. */
  errors?: unknown[];
}

/** The violated unique constraint's name, or null when the error is something else. */
export function uniqueViolation(error: unknown): string | null {
  for (let current = error as PostgresError | undefined; current; current = current.cause as PostgresError | undefined) {
    if (current.code === '23505') return current.constraint_name ?? '';
  }
  return null;
}

// Socket errors (node), postgres.js's own connection errors, and SQLSTATEs of a server that is going
// away or not there yet.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown: the server is stopping and ended the session
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
]);

// node-postgres (pg-boss's pool) says it in words only.
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

// An established session ended under a statement (as opposed to a connection attempt that failed).
const LOST_CODES = new Set(['CONNECTION_CLOSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', '57P01', '57P02', '57P05', '08003', '08006']);

/**
 * Whether the error (or one it wraps) says the database cannot be reached right now: the request
 * may succeed when retried shortly, so it is a 503, not a 500.
 */
export function databaseUnavailable(error: unknown): boolean {
  return someCause(error, (cause) => {
    const code = typeof cause.code === 'string' ? cause.code : '';
    // Class 08: connection exception (08000, 08003, 08006, 08001, 08004, …).
    if (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    return typeof cause.message === 'string' && UNAVAILABLE_MESSAGES.test(cause.message);
  });
}

/**
 * Whether the error (or one it wraps) says the transaction lost a race with another one (a deadlock,
 * a serialization failure): nothing it did stands, and running it again may well succeed.
 */
export function transactionConflict(error: unknown): boolean {
  return someCause(error, (cause) => cause.code === '40P01' || cause.code === '40001');
}

/** Whether the error says a statement's connection died under it (the server ended the session, the socket broke). */
export function connectionLost(error: unknown): boolean {
  return someCause(error, (cause) => typeof cause.code === 'string' && LOST_CODES.has(cause.code));
}

function someCause(error: unknown, test: (cause: PostgresError) => boolean): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop() as PostgresError | undefined;
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (test(current)) return true;
    pending.push(current.cause);
    if (Array.isArray(current.errors)) pending.push(...current.errors);
  }
  return false;
}
