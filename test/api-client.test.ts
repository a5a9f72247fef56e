// The committed TypeScript client (clients/typescript) is what `npm run client:generate` makes of
// the current code: the document the app serves now, and the client generated from it. A route
// whose schema changed without regenerating fails here; a change that breaks the client's callers
// fails the type check of the end-to-end tests, which drive the API through it.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SOURCE, OPENAPI_DOCUMENT } from '../tools/api-client/client-files.js';
import { generateClientSource } from '../tools/api-client/client-source.js';
import { openApiDocumentText } from '../tools/api-client/openapi-document.js';
import { createTestDatabase } from './support/test-database.js';

const REGENERATE = 'out of date: run `npm run client:generate` and commit clients/typescript';

/** Where two texts first part, in a line a failure message can show; null when they are equal. */
function firstDifference(expected: string, actual: string): string | null {
  if (expected === actual) return null;
  const [want, got] = [expected.split('\n'), actual.split('\n')];
  const line = want.findIndex((text, index) => text !== got[index]);
  const at = line === -1 ? want.length : line;
  return `line ${at + 1}: expected ${JSON.stringify(want[at] ?? '<end of file>')}, committed ${JSON.stringify(got[at] ?? '<end of file>')}`;
}

describe('the committed TypeScript client', () => {
  let documentText: string;
  beforeAll(async () => {
    documentText = await openApiDocumentText(await createTestDatabase());
  });

  it('was generated from the document the app serves now', async () => {
    const committed = await readFile(OPENAPI_DOCUMENT, 'utf8');
    expect(firstDifference(documentText, committed), `clients/typescript/openapi.json is ${REGENERATE}`).toBeNull();
  });

  it('is what the generator makes of that document', async () => {
    const committed = await readFile(CLIENT_SOURCE, 'utf8');
    const generated = await generateClientSource(JSON.parse(documentText));
    expect(firstDifference(generated, committed), `clients/typescript/shop-api.ts is ${REGENERATE}`).toBeNull();
  });
});
