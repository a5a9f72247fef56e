// The module registry is the one list of modules: every module folder is registered (a folder
// left out would silently not be hosted), each module owns the schema named after it, and what
// cannot import the registry (drizzle-kit's static config) agrees with it.
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import drizzleConfig from '../drizzle.config.js';
import { ALL_MODULES } from '../src/module-registry.js';

const moduleFolders = readdirSync('src/modules', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('the module registry', () => {
  it('lists every folder under src/modules, once', () => {
    const names = ALL_MODULES.map((definition) => definition.name);
    expect([...names].sort()).toEqual([...moduleFolders].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives each module the schema named after it, `-` read as `_`', () => {
    for (const { name, schema } of ALL_MODULES) expect(schema, name).toBe(name.replaceAll('-', '_'));
  });

  it("gives drizzle-kit's schema filter every module schema with tables, and the platform's two (platform, events)", () => {
    const withTables = ALL_MODULES.filter(({ name }) => existsSync(`src/modules/${name}/db/schema.ts`)).map(({ schema }) => schema);
    expect([...(drizzleConfig as { schemaFilter: string[] }).schemaFilter].sort()).toEqual([...withTables, 'platform', 'events'].sort());
  });
});
