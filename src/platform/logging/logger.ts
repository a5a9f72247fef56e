// One pino logger for the process: JSON in production (and whenever stdout is not a terminal),
// readable lines on a terminal. Secrets are redacted at the source, so no call site can leak them:
// neither credentials, nor the SQL and values of a failed query, nor a token in a query string.
import pino, { type Logger } from 'pino';
import { activeTraceIds } from '../observability/trace-context.js';
import { serializeError } from './error-serializer.js';
import { serializeRequest } from './request-serializer.js';

export type { Logger };

/** Paths whose values never reach a log line: credentials, tokens and card data. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-service-token"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'accessToken',
  'token',
  'card',
  'cardNumber',
  'cvc',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.passwordHash',
  '*.accessToken',
  '*.token',
  '*.card',
  '*.cardNumber',
  '*.cvc',
  '*.*.password',
  '*.*.accessToken',
  '*.*.card',
];

export interface LoggerOptions {
  level: string;
  pretty: boolean;
  /** Where to write; tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Fastify and every call site log errors as `err` and requests as `req`: these apply to all.
    serializers: { err: serializeError, req: serializeRequest },
    // Every line written while a request or an event delivery is handled names its trace.
    mixin: activeTraceIds,
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  // Written in the background, not one blocking write per line: under load the lines of a burst go
  // out in one write instead of a system call each. pino flushes what is pending when the process
  // exits (also on a fatal error); only a SIGKILL loses the lines of the last moment.
  return pino(base, pino.destination({ dest: 1, sync: false }));
}
