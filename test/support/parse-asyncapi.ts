// Parses an AsyncAPI document as @asyncapi/parser does; `errors` are its diagnostics of severity 0.
import { Parser } from '@asyncapi/parser';

export async function parseAsyncApi(document: unknown) {
  const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
  return { parsed, errors: diagnostics.filter((diagnostic) => diagnostic.severity === 0) };
}
