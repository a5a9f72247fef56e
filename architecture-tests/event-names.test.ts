// Rule: an event's name is spelled only by its publisher, in its published language; every other
// module uses the publisher's definition (PaymentsEvents.paymentRefunded), so a renamed or
// re-versioned event cannot leave a stale copy behind. Read from the string literals of every
// module file, tests included: a literal `<other module>.<kebab-name>` is such a copy.
import { describe, expect, it } from 'vitest';
import { fixture, moduleNames, project, type CodeBase } from './support/code-base.js';
import { lexSource } from './support/lex-source.js';
import { lineNumberAt } from './support/line-number.js';
import { moduleOf } from './support/module-paths.js';
import { readSource, sourceFiles } from './support/source-files.js';

function spelledEventNames(codeBase: CodeBase): string[] {
  const modules = moduleNames(codeBase);
  return sourceFiles(codeBase).flatMap((file) => {
    const owner = moduleOf(file);
    if (owner === undefined) return [];
    const others = modules.filter((name) => name !== owner);
    if (others.length === 0) return [];
    const eventName = new RegExp(String.raw`^(${others.join('|')})\.[a-z][a-z0-9]*(-[a-z0-9]+)*$`);
    const { code, literals } = lexSource(readSource(codeBase, file));
    return literals
      .filter((literal) => eventName.test(literal.text))
      .map((literal) => `${file}:${lineNumberAt(code, literal.offset)} spells ${literal.text}`);
  });
}

describe('event names', () => {
  it('are spelled only in the module that publishes them', () => {
    expect(spelledEventNames(project)).toEqual([]);
  });

  it('reports the fixture modules that spell another module’s event names, in code and in tests', () => {
    expect(spelledEventNames(fixture('event-names'))).toEqual([
      'src/modules/orders/handlers/payment-succeeded.handler.ts:4 spells payments.payment-succeeded',
      'src/modules/orders/orders.test-support.ts:2 spells products.stock-reserved',
    ]);
  });
});
