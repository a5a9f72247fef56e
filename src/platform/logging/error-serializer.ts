// How an error is written to the logs. A failed query's error carries its SQL text and bound
// values (postgres.js: `query`, `parameters`; drizzle repeats both in its message), and those
// values are customers' addresses, emails, names. Logs keep what diagnoses the failure: the
// Postgres error code, the table, column and constraint, and which statement it was.
import pino from 'pino';

interface ErrorLike {
  message: string;
  stack?: string;
  cause?: unknown;
  [key: string]: unknown;
}

/** Properties of postgres.js and drizzle errors that quote SQL text or data. */
const QUERY_DETAILS = ['query', 'params', 'parameters', 'args', 'types', 'detail', 'where', 'internal_query', 'hint'];

/** What identifies a database error without quoting data: SQLSTATE and the objects involved. */
const DIAGNOSTICS = ['code', 'severity', 'schema_name', 'table_name', 'column_name', 'constraint_name', 'routine'];

// Data exceptions (SQLSTATE class 22) quote the offending value in their message.
const QUOTES_VALUE = /^22/;

export function serializeError(error: unknown): unknown {
  return pino.stdSerializers.err(withoutQueryDetails(error, new Set()) as Error);
}

/** An error's message with any SQL text and values taken out, for wherever errors are stored. */
export function safeErrorMessage(error: unknown): string {
  const safe = withoutQueryDetails(error, new Set());
  return isErrorLike(safe) ? safe.message : String(error);
}

function withoutQueryDetails(error: unknown, seen: Set<unknown>): unknown {
  if (!isErrorLike(error) || seen.has(error)) return error;
  seen.add(error);
  const cause = withoutQueryDetails(error.cause, seen);
  const sql = typeof error.query === 'string' ? error.query : null;
  const fromDatabase = sql !== null || QUERY_DETAILS.some((key) => key in error) || isPostgresError(error);
  if (!fromDatabase && cause === error.cause) return error;

  // Same prototype, so the logged `type` still names the error's class.
  const copy = Object.create(Object.getPrototypeOf(error) as object) as ErrorLike;
  for (const key of Object.keys(error)) {
    if (!QUERY_DETAILS.includes(key)) copy[key] = error[key];
  }
  const message = fromDatabase ? safeMessage(error, sql) : error.message;
  copy.message = message;
  copy.stack = restack(error.stack, error.message, message);
  if (sql !== null) copy.statement = statementName(sql);
  if (error.cause !== undefined) copy.cause = cause;
  // Causes are logged as text only: the wrapper names the database error's code and objects.
  if (isErrorLike(cause)) {
    for (const key of DIAGNOSTICS) if (copy[key] === undefined && cause[key] !== undefined) copy[key] = cause[key];
  }
  return copy;
}

function safeMessage(error: ErrorLike, sql: string | null): string {
  if (sql !== null && error.message.startsWith('Failed query:')) return `Failed query (${statementName(sql)})`;
  if (typeof error.code === 'string' && QUOTES_VALUE.test(error.code)) return `data exception ${error.code}`;
  return error.message;
}

// The stack starts with "Name: message"; the frames below it carry no data.
function restack(stack: string | undefined, original: string, replacement: string): string | undefined {
  if (stack === undefined || original === replacement) return stack;
  const frames = stack.indexOf('\n    at ');
  const head = stack.slice(0, frames === -1 ? stack.length : frames);
  const name = head.includes(original) ? head.slice(0, head.indexOf(original)) : `${head.split(':')[0]}: `;
  return `${name}${replacement}${frames === -1 ? '' : stack.slice(frames)}`;
}

/** `insert into "users"."addresses" (...) values (...)` → `insert users.addresses`. */
export function statementName(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? 'query';
  const table = /\b(?:into|update|from)\s+((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)/i.exec(sql)?.[1];
  return table ? `${verb} ${table.replaceAll('"', '')}` : verb;
}

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as ErrorLike).message === 'string';
}

function isPostgresError(error: ErrorLike): boolean {
  return error.constructor?.name === 'PostgresError' || (typeof error.severity === 'string' && typeof error.code === 'string');
}
