// Which modules this process hosts, in an order where every module comes after those it needs,
// and a clear refusal when a hosted module needs a contract nobody provides.
import { ConfigError } from '../config/env-reader.js';
import type { ModuleDefinition } from './module-definition.js';

export function resolveHostedModules(
  definitions: readonly ModuleDefinition[],
  hosted: readonly string[],
  provided: ReadonlySet<string>,
): ModuleDefinition[] {
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const ordered: ModuleDefinition[] = [];
  const visiting = new Set<string>();

  const visit = (name: string, neededBy: string | null) => {
    if (ordered.some((definition) => definition.name === name)) return;
    if (!hosted.includes(name)) {
      if (provided.has(name)) return;
      throw new ConfigError(
        `MODULES: module "${neededBy}" needs the ${name} contract, but ${name} is neither hosted (MODULES) nor remote (REMOTE_MODULES)`,
      );
    }
    const definition = byName.get(name);
    if (!definition) throw new ConfigError(`MODULES names an unknown module "${name}"`);
    if (visiting.has(name)) throw new ConfigError(`modules ${[...visiting].join(' → ')} → ${name} need each other in a cycle`);
    visiting.add(name);
    for (const needed of definition.needs) visit(needed, name);
    visiting.delete(name);
    ordered.push(definition);
  };

  for (const name of hosted) visit(name, null);
  return ordered;
}
