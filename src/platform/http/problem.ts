// RFC 9457 problem details: the one error shape this API answers with.
import { STATUS_CODES } from 'node:http';

export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Throw one from a route or service; the error handler turns it into problem+json. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.status = status;
    if (options.errors) this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

export const problem = {
  badRequest: (detail: string, errors?: FieldError[]) => new HttpProblem(400, detail, errors ? { errors } : {}),
  unauthorized: (detail = 'Authentication is required') =>
    new HttpProblem(401, detail, { headers: { 'www-authenticate': 'Bearer' } }),
  forbidden: (detail = 'You are not allowed to do this') => new HttpProblem(403, detail),
  notFound: (detail = 'Not found') => new HttpProblem(404, detail),
  conflict: (detail: string) => new HttpProblem(409, detail),
  unprocessable: (detail: string, errors?: FieldError[]) => new HttpProblem(422, detail, errors ? { errors } : {}),
};

export function problemBody(status: number, detail: string, instance: string, extra: Partial<ProblemBody> = {}): ProblemBody {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance,
    ...extra,
  };
}
