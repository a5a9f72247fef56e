// A query string's percent-escapes must spell UTF-8. Fastify's query parser keeps a component it
// cannot decode (`%zz`, `%ED%A0%80`, a lone `%`) as typed, so a route would see text the client
// never sent (a search for "%ED%A0%80"); the same escapes in the path are already refused before
// routing. Refused here with a 400 naming the parameter, like every other malformed input.
import type { FieldError } from './problem.js';

const MESSAGE = 'has a malformed percent-escape (not UTF-8)';

/** The query parameters of `url` whose name or value has a percent-escape that does not decode. */
export function malformedQueryEscapes(url: string): FieldError[] {
  const start = url.indexOf('?');
  if (start === -1 || !url.includes('%', start)) return [];
  const errors: FieldError[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    if (!pair.includes('%')) continue;
    const separator = pair.indexOf('=');
    const rawName = separator === -1 ? pair : pair.slice(0, separator);
    const name = decoded(rawName);
    if (name === null || (separator !== -1 && decoded(pair.slice(separator + 1)) === null)) {
      // A name that does not decode cannot be named: the error is the query string's.
      const path = name === null || name === '' ? 'querystring' : `querystring.${name}`;
      if (!errors.some((error) => error.path === path)) errors.push({ path, message: MESSAGE });
    }
  }
  return errors;
}

function decoded(component: string): string | null {
  try {
    return decodeURIComponent(component.replaceAll('+', ' '));
  } catch {
    return null;
  }
}
