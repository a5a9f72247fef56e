// Rule: no run-time cycles between modules. Two modules that need each other cannot be split apart
// or started in order; one of them should publish an event or take a contract from app.ts instead.
// A module A depends on B at run time when A's code (tests aside) imports B's index.ts or internals,
// or when A declares it needs B's contract. Reading B's published language (api.ts: event
// definitions, contract types) is no edge: published languages may be read in both directions, as
// orders and payments read each other's events.
// The graph is built from the specifier scan, not tsarch: tsarch has no module-level cycle check
// (its beFreeOfCycles is per file) and misses re-exports, which couple modules just the same.
import { describe, expect, it } from 'vitest';
import { fixture, project, type CodeBase } from './support/code-base.js';
import { cycleGroups } from './support/cycle-groups.js';
import { needsDeclarations } from './support/declared-needs.js';
import { dependencies } from './support/dependencies.js';
import { isPublishedLanguage, moduleOf } from './support/module-paths.js';
import { isTestHarness } from './support/module-wiring.js';

interface Link {
  from: string;
  to: string;
  /** 'src/modules/orders/module.ts:19' */
  evidence: string;
}

function importLinks(codeBase: CodeBase): Link[] {
  return dependencies(codeBase).flatMap((dependency) => {
    const from = moduleOf(dependency.from);
    const to = moduleOf(dependency.to);
    if (from === undefined || to === undefined || from === to) return [];
    if (isTestHarness(dependency.from) || isPublishedLanguage(dependency.to)) return [];
    return [{ from, to, evidence: `${dependency.from}:${dependency.line}` }];
  });
}

function needLinks(codeBase: CodeBase): Link[] {
  return needsDeclarations(codeBase).flatMap(({ module, file, line, names }) =>
    (names ?? []).map((name) => ({ from: module, to: name, evidence: `${file}:${line}` })),
  );
}

/** One line per group of modules that depend on each other, with the first evidence of each link. */
function moduleCycles(codeBase: CodeBase): string[] {
  const edges = new Map<string, Set<string>>();
  const firstEvidence = new Map<string, string>();
  for (const { from, to, evidence } of [...importLinks(codeBase), ...needLinks(codeBase)]) {
    edges.set(from, (edges.get(from) ?? new Set()).add(to));
    if (!firstEvidence.has(`${from} → ${to}`)) firstEvidence.set(`${from} → ${to}`, evidence);
  }
  return cycleGroups(edges).map((group) => {
    const links = [...firstEvidence]
      .filter(([link]) => link.split(' → ').every((name) => group.includes(name)))
      .map(([link, evidence]) => `${link} (${evidence})`)
      .sort();
    return `${group.join(', ')}: ${links.join('; ')}`;
  });
}

describe('module dependencies', () => {
  it('forbids run-time cycles between modules (imports of index.ts or internals, and declared needs)', () => {
    expect(moduleCycles(project)).toEqual([]);
  });

  it('reports the fixture modules that depend on each other, through needs, imports or re-exports, and not through api.ts or tests', () => {
    expect(moduleCycles(fixture('module-cycles'))).toEqual([
      'orders, users: orders → users (src/modules/orders/module.ts:6); users → orders (src/modules/users/handlers/order-placed.handler.ts:2)',
      'payments, products: payments → products (src/modules/payments/module.ts:2); products → payments (src/modules/products/index.ts:3)',
    ]);
  });
});
