// The one hand-written UUID check, for ids that arrive where no schema `format: 'uuid'` looks at them
// (cursors, contract arguments). Either case is accepted, as PostgreSQL's uuid type accepts it.
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
