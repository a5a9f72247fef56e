// The TypeScript files of a code base's src/ and, when it has one, test/ (the test harness, which
// the boundary rule also judges), as root-relative paths with forward slashes (the same form rules
// and tsarch labels use, e.g. 'src/modules/users/index.ts').
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CodeBase } from './code-base.js';

const SCANNED_FOLDERS = ['src', 'test'];
const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;

export function sourceFiles(codeBase: CodeBase): string[] {
  return SCANNED_FOLDERS.map((folder) => path.join(codeBase.root, folder))
    .filter((folder) => existsSync(folder))
    .flatMap((folder) => readdirSync(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && TYPESCRIPT_FILE.test(entry.name))
    .map((entry) => toPosix(path.relative(codeBase.root, path.join(entry.parentPath, entry.name))))
    .sort();
}

export function readSource(codeBase: CodeBase, file: string): string {
  return readFileSync(path.join(codeBase.root, file), 'utf8');
}

export function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
