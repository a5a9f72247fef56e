// The one line a new module adds to the module registry (src/module-registry.ts), with its import.
import type { ModuleNames } from './module-name.js';

export function registerModule(registry: string, n: ModuleNames): string {
  const entries = /(export const ALL_MODULES[^=]*= \[\n)([\s\S]*?)(\];)/.exec(registry);
  const lastImport = [...registry.matchAll(/^import .*;\n/gm)].at(-1);
  if (!entries || !lastImport) throw new Error('src/module-registry.ts no longer has the shape new:module edits (imports, then ALL_MODULES = [ … ])');
  const withEntry = registry.replace(entries[0], `${entries[1]}${entries[2]}  ${n.camel}Module,\n${entries[3]}`);
  const importAt = lastImport.index + lastImport[0].length;
  return `${withEntry.slice(0, importAt)}import { ${n.camel}Module } from './modules/${n.name}/index.js';\n${withEntry.slice(importAt)}`;
}
