// Every module specifier a file names: static imports (with or without `type`), side-effect
// imports, `export … from` re-exports, dynamic `import()` (also `typeof import()` in types) and
// `require()`. tsarch only sees import declarations, so rules that must not miss a re-export or a
// lazy import read specifiers here. Statements are matched in the lexed code, where comments and
// the inside of strings are blanked, and the specifier is then read from the literal found there.
import type { LexedSource } from './lex-source.js';

export type ImportKind = 'imports' | 're-exports' | 'dynamically imports' | 'requires';

export interface ImportSpecifier {
  specifier: string;
  kind: ImportKind;
  /** Offset of the statement in the code, for line numbers. */
  offset: number;
}

// The clause between `import`/`export` and `from`: `X`, `* as X`, `{ … }`, `X, { … }`, `X, * as Y`,
// each optionally after `type`. Listing the clause shapes keeps the match from running across
// unrelated statements to some later `from '…'`.
const NAME = String.raw`[\w$]+`;
const CLAUSE = String.raw`(?:type\s+)?(?:\*(?:\s+as\s+${NAME})?|\{[^}]*\}|${NAME}(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+${NAME}))?)`;
const QUOTED = String.raw`(['"])[^'"\n]*\2`;
const NOT_A_MEMBER = String.raw`(?<![\w$.])`;

const STATIC = new RegExp(String.raw`${NOT_A_MEMBER}(import|export)\s+(?:${CLAUSE}\s+from\s*)?${QUOTED}`, 'dg');
const DYNAMIC = new RegExp(String.raw`${NOT_A_MEMBER}(import|require)\s*\(\s*${QUOTED}\s*[,)]`, 'dg');

export function importSpecifiers({ code, literals }: LexedSource): ImportSpecifier[] {
  const literalAt = new Map(literals.map((literal) => [literal.offset, literal.text]));
  const specifierOf = (match: RegExpExecArray) => literalAt.get(match.indices![2]![0]) ?? '';
  const found: ImportSpecifier[] = [];
  for (const match of code.matchAll(STATIC)) {
    found.push({ specifier: specifierOf(match), kind: match[1] === 'export' ? 're-exports' : 'imports', offset: match.index });
  }
  for (const match of code.matchAll(DYNAMIC)) {
    found.push({ specifier: specifierOf(match), kind: match[1] === 'import' ? 'dynamically imports' : 'requires', offset: match.index });
  }
  return found.sort((a, b) => a.offset - b.offset);
}
