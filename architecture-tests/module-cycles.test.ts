// Rule: no cycles between modules. Two modules that need each other cannot be split apart or
// started in order; one of them should publish an event or take a contract from app.ts instead.
// The graph is built from the specifier scan, not tsarch: tsarch has no module-level cycle check
// (its beFreeOfCycles is per file) and misses re-exports, which couple modules just the same.
// Reading another module's published language (api.ts: event definitions and contract types) is no
// edge: published languages may be read in both directions, as orders and payments read each other's events.
import { describe, expect, it } from 'vitest';
import { fixture, project, type CodeBase } from './support/code-base.js';
import { cycleGroups } from './support/cycle-groups.js';
import { dependencies, type Dependency } from './support/dependencies.js';
import { isPublishedLanguage, moduleOf } from './support/module-paths.js';

/** One line per group of modules that depend on each other, with a dependency for each link. */
function moduleCycles(codeBase: CodeBase): string[] {
  const edges = new Map<string, Set<string>>();
  const firstEvidence = new Map<string, Dependency>();
  for (const dependency of dependencies(codeBase)) {
    const from = moduleOf(dependency.from);
    const to = moduleOf(dependency.to);
    if (from === undefined || to === undefined || from === to || isPublishedLanguage(dependency.to)) continue;
    edges.set(from, (edges.get(from) ?? new Set()).add(to));
    if (!firstEvidence.has(`${from} → ${to}`)) firstEvidence.set(`${from} → ${to}`, dependency);
  }
  return cycleGroups(edges).map((group) => {
    const links = [...firstEvidence]
      .filter(([link]) => link.split(' → ').every((name) => group.includes(name)))
      .map(([link, { from, line }]) => `${link} (${from}:${line})`)
      .sort();
    return `${group.join(', ')}: ${links.join('; ')}`;
  });
}

describe('module dependencies', () => {
  it('forbids cycles between modules', () => {
    expect(moduleCycles(project)).toEqual([]);
  });

  it('reports the fixture modules that depend on each other, through imports or re-exports', () => {
    expect(moduleCycles(fixture('module-cycles'))).toEqual([
      'orders, users: orders → users (src/modules/orders/module.ts:2); users → orders (src/modules/users/handlers/order-placed.handler.ts:2)',
      'payments, products: payments → products (src/modules/payments/module.ts:2); products → payments (src/modules/products/index.ts:3)',
    ]);
  });
});
