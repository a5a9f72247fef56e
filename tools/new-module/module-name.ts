// What a module may be called, and the names derived from it. A module's name is its folder, its
// URL prefix (/api/v1/<name>), its event prefix (<name>.item-created) and, with `-` read as `_`,
// its Postgres schema and role (shop_<schema>): so it must be kebab-case, short enough for a
// PostgreSQL role name, and clear of what the platform and PostgreSQL already use.
export interface ModuleNames {
  /** kebab-case: `gift-cards`. */
  name: string;
  /** camelCase, for variables: `giftCards`. */
  camel: string;
  /** PascalCase, for types and exported objects: `GiftCards`. */
  pascal: string;
  /** The Postgres schema: `gift_cards`. */
  schema: string;
}

const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
// shop_<schema> must fit PostgreSQL's 63-byte identifiers with room to spare.
const MAX_LENGTH = 40;
// Names the platform already serves or stores under (URLs, schemas), and what the code would
// read as something else.
const RESERVED = new Set([
  'admin', 'api', 'app', 'auth', 'docs', 'health', 'internal', 'metrics', 'modules', 'pgboss', 'platform', 'public', 'shop', 'test',
  'information-schema', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await',
]);

/** The module's names, or the one-line reason `name` cannot be a module's name. */
export function moduleNames(name: string, existing: readonly string[]): ModuleNames | string {
  if (!KEBAB_CASE.test(name)) return `"${name}" is not a kebab-case name (lower-case letters and digits, words joined by "-", e.g. gift-cards)`;
  if (name.length > MAX_LENGTH) return `"${name}" is longer than ${MAX_LENGTH} characters`;
  if (RESERVED.has(name) || name.startsWith('pg-')) return `"${name}" is reserved`;
  if (existing.includes(name)) return `a module "${name}" exists already`;
  const camel = name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  return { name, camel, pascal: camel[0]!.toUpperCase() + camel.slice(1), schema: name.replaceAll('-', '_') };
}
