// Splits TypeScript source into code and the string literals it contains, dropping comments.
// The checks look for import statements in code and for SQL in literals; a small lexer is enough
// for that and keeps a commented-out import, an import written inside a string, or a quote inside
// a comment or a regex from being taken for the real thing. It is not a parser: exotic syntax may
// be read approximately.

export interface StringLiteral {
  /** The text between the quotes; in a template each `${…}` is replaced by `${}`. */
  text: string;
  /** Offset of the opening quote in the source. */
  offset: number;
  /** For a template, what stands right before the backtick (`sql`, `database.sql`); else ''. */
  tag: string;
}

export interface LexedSource {
  /**
   * The source with every comment and the inside of every literal blanked: quotes, backticks and
   * `${…}` code stay. Newlines are kept, so offsets and line numbers match the source.
   */
  code: string;
  literals: StringLiteral[];
}

// After one of these a `/` starts a regex literal rather than a division.
const BEFORE_REGEX = new Set('(,=:[!&|?{};+-*%<>~^'.split(''));
const KEYWORDS_BEFORE_REGEX = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);

export function lexSource(source: string): LexedSource {
  const code = source.split('');
  const literals: StringLiteral[] = [];

  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < code.length; k++) if (code[k] !== '\n') code[k] = ' ';
  };

  const regexMayStartAt = (at: number): boolean => {
    let k = at - 1;
    while (k >= 0 && /\s/.test(code[k]!)) k--;
    if (k < 0) return true;
    if (BEFORE_REGEX.has(code[k]!)) return true;
    const word = /[\w$]+$/.exec(code.slice(Math.max(0, k - 12), k + 1).join(''));
    return word !== null && KEYWORDS_BEFORE_REGEX.has(word[0]);
  };

  const skipRegex = (at: number): number => {
    let inClass = false;
    for (let k = at + 1; k < source.length; k++) {
      const c = source[k];
      if (c === '\\') k++;
      else if (c === '\n') return at + 1; // not a regex after all: treat the slash as an operator
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) return k + 1;
    }
    return source.length;
  };

  const readString = (at: number, quote: string): number => {
    for (let k = at + 1; k < source.length; k++) {
      const c = source[k];
      if (c === '\\') k++;
      else if (c === '\n') return k; // unterminated: stop at the line end
      else if (c === quote) {
        blank(at + 1, k);
        literals.push({ text: source.slice(at + 1, k), offset: at, tag: '' });
        return k + 1;
      }
    }
    return source.length;
  };

  const readTemplate = (at: number): number => {
    const tag = /([\w$.]*)\s*$/.exec(source.slice(Math.max(0, at - 60), at))?.[1] ?? '';
    const parts: string[] = [];
    let partStart = at + 1;
    for (let k = at + 1; k < source.length; k++) {
      const c = source[k];
      if (c === '\\') k++;
      else if (c === '`') {
        parts.push(source.slice(partStart, k));
        blank(partStart, k);
        literals.push({ text: parts.join('${}'), offset: at, tag });
        return k + 1;
      } else if (c === '$' && source[k + 1] === '{') {
        parts.push(source.slice(partStart, k));
        blank(partStart, k);
        k = readCode(k + 2, true) - 1;
        partStart = k + 1;
      }
    }
    return source.length;
  };

  // Reads code from `at`; when `nested` (inside `${…}`), returns just after the closing brace.
  function readCode(at: number, nested: boolean): number {
    let depth = 0;
    let k = at;
    while (k < source.length) {
      const c = source[k];
      const next = source[k + 1];
      if (c === '/' && next === '/') {
        const end = source.indexOf('\n', k);
        const stop = end === -1 ? source.length : end;
        blank(k, stop);
        k = stop;
      } else if (c === '/' && next === '*') {
        const end = source.indexOf('*/', k + 2);
        const stop = end === -1 ? source.length : end + 2;
        blank(k, stop);
        k = stop;
      } else if (c === "'" || c === '"') k = readString(k, c);
      else if (c === '`') k = readTemplate(k);
      else if (c === '/' && regexMayStartAt(k)) k = skipRegex(k);
      else {
        if (c === '{') depth++;
        if (c === '}') {
          if (nested && depth === 0) return k + 1;
          depth--;
        }
        k++;
      }
    }
    return k;
  }

  readCode(0, false);
  return { code: code.join(''), literals };
}
