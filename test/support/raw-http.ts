// One HTTP request on a connection of its own (no keep-alive), for tests that break the server on
// purpose: a refused or reset connection then means the server's state, never a reused socket the
// server closed under us. `dropAfterSending` closes the connection once the request is written, so
// the client never learns whether the server acted on it.
import { request as httpRequest } from 'node:http';

export type RawAnswer =
  | { status: number; contentType: string; retryAfter: string | undefined; body: string; data: any; at: number }
  | { error: string; at: number };

export interface RawRequestOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** After this the request counts as hung (error `TIMEOUT`). */
  timeoutMs?: number;
  dropAfterSending?: boolean;
}

export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawAnswer> {
  const { method = 'GET', token, body, headers = {}, timeoutMs = 15_000, dropAfterSending = false } = options;
  return new Promise((resolve) => {
    const failed = (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, at: Date.now() });
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(url, {
      method,
      agent: false,
      timeout: timeoutMs,
      headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    req.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += String(chunk)));
      response.on('end', () => {
        let data: unknown = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: `body` has the text
        }
        const retryAfter = response.headers['retry-after'];
        resolve({ status: response.statusCode!, contentType: String(response.headers['content-type'] ?? ''), retryAfter, body: text, data, at: Date.now() });
      });
      response.on('error', failed);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer in time'), { code: 'TIMEOUT' })));
    req.on('error', failed);
    req.end(payload, () => {
      if (dropAfterSending) setImmediate(() => req.destroy(Object.assign(new Error('dropped by the client'), { code: 'DROPPED' })));
    });
  });
}
