// Which module a root-relative path belongs to, and whether it is one of that module's public doors:
// its index.ts (the definition) or its api.ts (its published language: events and contract).

const IN_MODULE = /^src\/modules\/([^/]+)\//;

/** 'src/modules/orders/db/schema.ts' → 'orders'; undefined outside src/modules/<name>/. */
export function moduleOf(file: string): string | undefined {
  return IN_MODULE.exec(file)?.[1];
}

/** Only src/modules/<name>/index.ts; an index.ts deeper inside a module is still private. */
export function isModuleIndex(file: string): boolean {
  return /^src\/modules\/[^/]+\/index\.ts$/.test(file);
}

/** Only src/modules/<name>/api.ts: what other modules may read of the module in either direction. */
export function isPublishedLanguage(file: string): boolean {
  return /^src\/modules\/[^/]+\/api\.ts$/.test(file);
}

/** The schema a module owns: its name, with `-` as `_` (so SQL needs no quoted names). */
export function schemaOf(module: string): string {
  return module.replaceAll('-', '_');
}
