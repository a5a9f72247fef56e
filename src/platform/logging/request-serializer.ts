// How a request is written to the logs: the fields Fastify logs by default, with the values of
// query parameters that may carry a credential (a token in a link, an OAuth code) replaced.
interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/** Parameter names, lower-cased without separators, that mark a secret when they contain one of these. */
const SENSITIVE = ['token', 'password', 'passwd', 'secret', 'key', 'code', 'signature', 'sig', 'auth', 'session', 'jwt', 'credential'];

export function serializeRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : redactQuery(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

export function redactQuery(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const query = url.slice(start + 1).replace(/([^&=]*)=([^&]*)/g, (pair, name: string) =>
    isSensitive(name) ? `${name}=[redacted]` : pair,
  );
  return `${url.slice(0, start)}?${query}`;
}

function isSensitive(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    // a malformed escape is matched as written
  }
  const plain = decoded.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SENSITIVE.some((word) => plain.includes(word));
}
