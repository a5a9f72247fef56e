// Where the committed client lives: the document it was generated from, and its source.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_FILE_NAME } from './client-source.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const CLIENT_DIR = 'clients/typescript';
export const OPENAPI_DOCUMENT = path.join(ROOT, CLIENT_DIR, 'openapi.json');
export const CLIENT_SOURCE = path.join(ROOT, CLIENT_DIR, CLIENT_FILE_NAME);
