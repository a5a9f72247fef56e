// RFC 9457 problem details: the one error shape this API answers with.
import { STATUS_CODES } from 'node:http';
import { Type } from 'typebox';

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

// The same shapes as schemas, for the OpenAPI document (error responses are documented, never
// validated or serialised with them: an error answer is written as it is, see error-handler.ts).
const FieldErrorSchema = Type.Object(
  {
    path: Type.String({ description: 'where the field is: `items.0.quantity` in the body, `querystring.limit` elsewhere' }),
    message: Type.String(),
  },
  { title: 'FieldError' },
);

const problemFields = {
  type: Type.String({ description: 'a URI naming the kind of problem; `about:blank` when the status says it all' }),
  title: Type.String({ description: 'the status code’s reason phrase' }),
  status: Type.Integer({ minimum: 400, maximum: 599 }),
  detail: Type.String({ description: 'what went wrong with this request, for people' }),
  instance: Type.Optional(Type.String({ description: 'the path of the request' })),
};

export const ProblemSchema = Type.Object(problemFields, {
  title: 'Problem',
  description: 'RFC 9457 problem details. Some problems add members of their own.',
  additionalProperties: true,
});

export const ValidationProblemSchema = Type.Object(
  {
    ...problemFields,
    errors: Type.Optional(
      Type.Array(FieldErrorSchema, { description: 'each field that failed; absent when the request could not be read at all (malformed JSON or URL)' }),
    ),
  },
  { title: 'ValidationProblem', description: 'A problem with the request’s fields: RFC 9457 problem details listing each failing field.', additionalProperties: true },
);
