// The string literals in a file that hold SQL: templates tagged `sql` (drizzle's sql`…`,
// postgres.js' sql`…`, `database.sql`…``) and any other literal that reads like a statement.
// Event names such as 'users.user-registered' never have a keyword followed by a space, so
// they are not mistaken for SQL that names the users schema.
import type { StringLiteral } from './lex-source.js';

const SQL_TAG = /(^|\.)sql$/;
const SQL_KEYWORD = /(^|\s)(select|insert|update|delete|from|join|into|references|create|alter|drop|truncate|grant)\s/i;

export function sqlLiterals(literals: readonly StringLiteral[]): StringLiteral[] {
  return literals.filter((literal) => SQL_TAG.test(literal.tag) || SQL_KEYWORD.test(literal.text));
}
