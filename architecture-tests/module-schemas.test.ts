// Rule: each module keeps its tables in a Postgres schema named after it (`-` read as `_`: module
// shipping-labels owns schema shipping_labels), and no query of one
// module reads another module's schema. That is what lets a module's data move to its own
// database later; other modules get data through its contract or its events instead.
// tsarch sees imports only, so this rule reads the source text of each module.
import { describe, expect, it } from 'vitest';
import { fixture, moduleNames, project, type CodeBase } from './support/code-base.js';
import { lexSource } from './support/lex-source.js';
import { lineNumberAt } from './support/line-number.js';
import { moduleOf, schemaOf } from './support/module-paths.js';
import { readSource, sourceFiles } from './support/source-files.js';
import { sqlLiterals } from './support/sql-literals.js';


// drizzle builders that create objects in the public schema; pgSchema('<name>').table/.enum/…
// are the per-module equivalents.
const PUBLIC_SCHEMA_BUILDER = /(?<![\w$.])(pgTable|pgTableCreator|pgEnum|pgView|pgMaterializedView|pgSequence)\s*\(/g;
const PG_SCHEMA_CALL = /(?<![\w$.])pgSchema\s*\(\s*([^)]*?)\s*\)/dg;

function schemaViolations(codeBase: CodeBase): string[] {
  // The project's modules count in a fixture too: a query naming their schema is already wrong there.
  const schemaNames = [...new Set([...moduleNames(codeBase), ...moduleNames(project)])].map(schemaOf);
  return sourceFiles(codeBase).flatMap((file) => {
    const module = moduleOf(file);
    if (module === undefined) return [];
    const owner = schemaOf(module);
    const source = readSource(codeBase, file);
    // Matched in the lexed code, so a comment or a string that mentions pgTable( is not a call.
    const { code, literals } = lexSource(source);
    const at = (offset: number) => `${file}:${lineNumberAt(code, offset)}`;
    const violations: string[] = [];
    for (const match of code.matchAll(PUBLIC_SCHEMA_BUILDER)) {
      violations.push(`${at(match.index)} calls ${match[1]}(, which puts it in the public schema, not pgSchema('${owner}')`);
    }
    for (const match of code.matchAll(PG_SCHEMA_CALL)) {
      const argument = source.slice(...match.indices![1]!); // the lexed code has string contents blanked
      if (argument !== `'${owner}'` && argument !== `"${owner}"`) {
        violations.push(`${at(match.index)} calls pgSchema(${argument}), not pgSchema('${owner}')`);
      }
    }
    const others = schemaNames.filter((name) => name !== owner);
    // A schema-qualified name: users.x or "users".x, but not products.users (a table called users).
    const otherSchemaReference = new RegExp(String.raw`(?<![\w$."])"?(${others.join('|')})"?\s*\.\s*"?[A-Za-z_]`, 'g');
    for (const literal of sqlLiterals(literals)) {
      for (const match of literal.text.matchAll(otherSchemaReference)) {
        const line = lineNumberAt(code, literal.offset) + lineNumberAt(literal.text, match.index) - 1;
        violations.push(`${file}:${line} has SQL that reads the ${match[1]} schema: ${match[0]}`);
      }
    }
    return violations;
  });
}

describe('module schemas', () => {
  it("keeps each module's tables in pgSchema('<module>') and its SQL out of other modules' schemas", () => {
    expect(schemaViolations(project)).toEqual([]);
  });

  it('reports the fixture tables outside their module schema and the SQL that crosses into another one', () => {
    expect(schemaViolations(fixture('module-schemas'))).toEqual([
      "src/modules/orders/db/schema.ts:4 calls pgTable(, which puts it in the public schema, not pgSchema('orders')",
      "src/modules/orders/db/schema.ts:8 calls pgEnum(, which puts it in the public schema, not pgSchema('orders')",
      "src/modules/payments/db/schema.ts:4 calls pgSchema('orders'), not pgSchema('payments')",
      "src/modules/payments/db/schema.ts:7 calls pgSchema(schemaName), not pgSchema('payments')",
      'src/modules/products/db/products.repository.ts:8 has SQL that reads the users schema: users.u',
      'src/modules/products/db/products.repository.ts:13 has SQL that reads the orders schema: "orders".o',
      'src/modules/products/db/products.repository.ts:18 has SQL that reads the payments schema: payments.p',
    ]);
  });
});
