// The contracts each module declares it needs: `needs: ['users']` in its module.ts. app.ts hands a
// module those contracts when it starts, so a need is a run-time dependency as real as an import,
// though no import shows it. Read from the text, which works only while each list is made of
// string literals: the source scanner test checks that every module's is.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { moduleNames, type CodeBase } from './code-base.js';
import { lexSource, type LexedSource } from './lex-source.js';
import { lineNumberAt } from './line-number.js';
import { readSource } from './source-files.js';

export interface NeedsList {
  /** Offset of `needs` in the code. */
  offset: number;
  /** The module names listed, or null when an entry is not a plain string literal. */
  names: string[] | null;
}

export interface NeedsDeclaration {
  module: string;
  /** Root-relative path and line of the `needs:` list. */
  file: string;
  line: number;
  names: string[] | null;
}

// In the lexed code the inside of literals is blanked, so the first `]` closes the list.
const NEEDS = /(?<![\w$.])needs\s*:\s*\[([^\]]*)\]/dg;
// What a list of quoted strings leaves in the lexed code: quotes, commas, blanks. A template's
// backticks, a name or a call leave more, and make the list unreadable.
const ONLY_LITERALS = /^[\s,'"]*$/;

export function needsLists({ code, literals }: LexedSource): NeedsList[] {
  return [...code.matchAll(NEEDS)].map((match) => {
    const [start, end] = match.indices![1]!;
    const inside = literals.filter(({ offset }) => offset >= start && offset < end);
    return { offset: match.index, names: ONLY_LITERALS.test(match[1]!) ? inside.map(({ text }) => text) : null };
  });
}

/** Every `needs:` list in the modules' module.ts files. */
export function needsDeclarations(codeBase: CodeBase): NeedsDeclaration[] {
  return moduleNames(codeBase).flatMap((module) => {
    const file = `src/modules/${module}/module.ts`;
    if (!existsSync(path.join(codeBase.root, file))) return [];
    const lexed = lexSource(readSource(codeBase, file));
    return needsLists(lexed).map(({ offset, names }) => ({ module, file, line: lineNumberAt(lexed.code, offset), names }));
  });
}
