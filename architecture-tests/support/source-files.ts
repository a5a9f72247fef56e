// The TypeScript files of a code base's src/, as root-relative paths with forward slashes
// (the same form rules and tsarch labels use, e.g. 'src/modules/users/index.ts').
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CodeBase } from './code-base.js';

const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;

export function sourceFiles(codeBase: CodeBase): string[] {
  return readdirSync(path.join(codeBase.root, 'src'), { recursive: true, withFileTypes: true })
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
