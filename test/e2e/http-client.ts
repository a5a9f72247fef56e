// A tiny JSON client over real sockets, for end-to-end tests that must run unchanged against any
// topology (one process, or a gateway in front of extracted modules).
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export function httpClient(baseUrl: string) {
  const call = async <T = any>(method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<JsonResponse<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  return {
    get: <T = any>(path: string, token?: string) => call<T>('GET', path, token ? { token } : {}),
    post: <T = any>(path: string, body: unknown, token?: string, headers?: Record<string, string>) =>
      call<T>('POST', path, { body, ...(token ? { token } : {}), ...(headers ? { headers } : {}) }),
    patch: <T = any>(path: string, body: unknown, token?: string) => call<T>('PATCH', path, { body, ...(token ? { token } : {}) }),
  };
}

export type HttpClient = ReturnType<typeof httpClient>;
