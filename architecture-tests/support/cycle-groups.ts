// Groups of nodes that can reach each other: every such group of two or more is (a union of)
// cycles. The module graph has a handful of nodes, so plain reachability is enough.

/** Each group sorted, groups sorted by their first member. */
export function cycleGroups(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((targets) => [...targets])]);
  const reachable = new Map([...nodes].map((node) => [node, reachableFrom(node, edges)]));
  const grouped = new Set<string>();
  const groups: string[][] = [];
  for (const node of [...nodes].sort()) {
    if (grouped.has(node)) continue;
    const group = [...nodes].filter((other) => reachable.get(node)!.has(other) && reachable.get(other)!.has(node)).sort();
    if (group.length < 2) continue;
    group.forEach((member) => grouped.add(member));
    groups.push(group);
  }
  return groups;
}

function reachableFrom(start: string, edges: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const seen = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    for (const next of edges.get(pending.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return seen;
}
