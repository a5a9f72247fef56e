// Which request paths the gateway forwards. The instance must see the path the gateway routed, not
// another one: reply-from hands the path to the WHATWG URL parser, which treats \ as / and resolves
// . and .. segments (%2e forms too), so `/api/v1/orders/x\..\..\metrics` would leave as `/metrics`;
// and the instance's router decodes percent escapes once more, so %252e or %255c would become
// something else there. Rather than guess what each layer makes of an odd path, only a path already
// in plain form is forwarded, byte for byte: one the URL parser leaves unchanged and the instance can
// only read one way. The query string is not looked at; it is forwarded as it came.

/** Path characters of RFC 3986 (unreserved, sub-delims, ':', '@', '/') and percent escapes. */
const PLAIN_PATH = /^(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)+$/;
/** Escapes of '/', '\' and '%' (a second decoding would turn %25 into a new escape). */
const AMBIGUOUS_ESCAPE = /%(?:2[Ff]|5[Cc]|25)/;
/** NUL and the other C0 and C1 controls, DEL: never part of a resource name, often of an attack. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The path to send upstream, or null when the request must not be forwarded: the path is not plain
 * (backslash, dot or empty segment, encoded slash, backslash or percent, control character, bad
 * escape, fragment) or is not under one of the prefixes. Prefixes are plain paths without a
 * trailing slash; a single trailing slash on the request path is kept, as it is today.
 */
export function forwardablePath(url: string, prefixes: readonly string[]): string | null {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);

  if (!PLAIN_PATH.test(path) || AMBIGUOUS_ESCAPE.test(path)) return null;
  if (!prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return null;

  const segments = path.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '' && index < segments.length - 1) return null;
    const decoded = decodeSegment(segment);
    if (decoded === null || decoded === '.' || CONTROL.test(decoded)) return null;
    // '..' itself, and '...', 'x..', '..x' with it: reply-from refuses those too, with a 400 of its own.
    if (decoded.startsWith('..') || decoded.endsWith('..')) return null;
  }

  // What the upstream client will actually send: nothing above may have missed a form it rewrites.
  if (new URL(path, 'http://upstream.invalid').pathname !== path) return null;
  return path;
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Not UTF-8 (%c0%ae and other overlong forms): nobody can say what it means.
    return null;
  }
}
