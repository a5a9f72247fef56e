// The two ways a call to a remote module can fail, kept apart because callers treat them apart:
// the module answered "no" (a 4xx: its verdict, to be handled like the same error in process), or
// the module could not answer (down, slow, overloaded: degrade or refuse).
import { HttpProblem } from '../http/problem.js';

/** The remote module answered with an error status; `status` is that status. */
export class RemoteCallError extends Error {
  override name = 'RemoteCallError';
  readonly module: string;
  readonly method: string;
  readonly status: number;

  constructor(module: string, method: string, status: number, detail: string) {
    super(`${module}.${method} answered ${status}: ${detail}`);
    this.module = module;
    this.method = method;
    this.status = status;
  }
}

/**
 * The remote module could not answer (timeout, connection refused, 5xx, open circuit, full
 * bulkhead) and there was no last good answer to stand in. A 503 problem if nobody catches it:
 * the request may succeed once the module is back. For a method that is not idempotent, the
 * effect may or may not have happened (a timeout says nothing about the far side).
 */
export class RemoteModuleUnavailableError extends HttpProblem {
  override name = 'RemoteModuleUnavailableError';
  readonly module: string;
  readonly method: string;

  constructor(module: string, method: string, cause: unknown) {
    super(503, `The ${module} module is unavailable; try again shortly`, { headers: { 'retry-after': '5' } });
    this.module = module;
    this.method = method;
    this.cause = cause;
  }
}

/**
 * The remote module answered, but not in the shape its contract says (a module of another
 * release, or a bug): reported where the answer arrives, naming the fields, instead of failing
 * somewhere deeper in the caller. A 502 problem if nobody catches it; retrying would not help.
 */
export class RemoteAnswerMismatchError extends HttpProblem {
  override name = 'RemoteAnswerMismatchError';
  readonly module: string;
  readonly method: string;
  readonly problems: readonly string[];

  constructor(module: string, method: string, problems: readonly string[]) {
    super(502, `The ${module} module answered in a shape this process does not understand`);
    this.module = module;
    this.method = method;
    this.problems = problems;
  }
}

/** 429 is "slow down", not a verdict on the request: it is a fault like a 503. */
export function isRemoteVerdict(error: unknown): error is RemoteCallError {
  return error instanceof RemoteCallError && error.status >= 400 && error.status < 500 && error.status !== 429;
}
