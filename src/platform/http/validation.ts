// Request validation. JSON bodies are checked strictly: no type coercion, unknown properties
// rejected (not silently dropped), strings trimmed and lower-cased where the schema says so
// (`transform`). Query strings and path params arrive as text, so only they are coerced. Text
// PostgreSQL cannot store is refused everywhere (storable-text.ts), and so are query strings whose
// percent-escapes are not UTF-8 (query-escapes.ts).
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import addKeywords from 'ajv-keywords';
import type { FastifyInstance } from 'fastify';
import { problem } from './problem.js';
import { malformedQueryEscapes } from './query-escapes.js';
import { unstorableText } from './storable-text.js';

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, strict: false, ...options });
  addFormats.default(ajv);
  addKeywords.default(ajv, ['transform']);
  return ajv;
}

export function installValidation(server: FastifyInstance): void {
  const strict = createAjv({ coerceTypes: false });
  const coercing = createAjv({ coerceTypes: 'array' });
  server.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? strict.compile(schema) : coercing.compile(schema),
  );
  // A hook rather than a keyword: it covers routes without a schema and fields typed loosely
  // (unknown, records) as well, before any route's own preValidation sees the input.
  server.addHook('preValidation', async (request) => {
    const errors = [
      ...malformedQueryEscapes(request.url),
      ...unstorableText(request.params, 'params'),
      ...unstorableText(request.query, 'querystring'),
      ...unstorableText(request.body, null),
    ];
    if (errors.length > 0) throw problem.badRequest('The request is invalid', errors);
  });
}
