// Request validation. JSON bodies are checked strictly: no type coercion, unknown properties
// rejected (not silently dropped), strings trimmed and lower-cased where the schema says so
// (`transform`). Query strings and path params arrive as text, so only they are coerced.
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import addKeywords from 'ajv-keywords';
import type { FastifyInstance } from 'fastify';

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
}
