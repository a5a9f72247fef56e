// `npm run client:generate`: writes the OpenAPI document of the default app (every module hosted)
// to clients/typescript/openapi.json and the TypeScript client generated from it to
// clients/typescript/shop-api.ts. Run it after any change to a route's schema: test/api-client.test.ts
// fails while either file differs from what the code produces.
import { writeFile } from 'node:fs/promises';
import { CLIENT_DIR, CLIENT_SOURCE, OPENAPI_DOCUMENT } from './api-client/client-files.js';
import { generateClientSource } from './api-client/client-source.js';
import { openApiDocumentText } from './api-client/openapi-document.js';
import { startThrowawayDatabase } from './api-client/throwaway-database.js';

const database = await startThrowawayDatabase('openapi-document');
let documentText: string;
try {
  documentText = await openApiDocumentText(database.url);
} finally {
  await database.stop();
}
await writeFile(OPENAPI_DOCUMENT, documentText);
await writeFile(CLIENT_SOURCE, await generateClientSource(JSON.parse(documentText)));
console.info(`client:generate: wrote ${CLIENT_DIR}/openapi.json and ${CLIENT_DIR}/shop-api.ts`);
