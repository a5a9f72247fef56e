// The end-to-end tests drive the API through the generated client (clients/typescript/shop-api.ts),
// as any consumer would: over real sockets, against any topology (one process, or a gateway in
// front of extracted modules). So a change to the document that breaks clients breaks the type
// check of these tests. Every call resolves to the fetch Response, with its `status` and `headers`,
// and the parsed body as `data` (2xx) or `error` (a problem); a non-2xx answer does not throw.
import { ShopApi, type HttpResponse, type RequestParams } from '../../clients/typescript/shop-api.js';

export type ShopClient = ShopApi<unknown>;
/** Any answer of the client, for checks that hold whatever the operation was. */
export type ApiResponse = HttpResponse<unknown, unknown>;

const REQUEST_TIMEOUT_MS = 10_000;

export function shopClient(baseUrl: string): ShopClient {
  return new ShopApi({
    baseUrl,
    // A request the server never answers fails the test in time, instead of hanging it.
    customFetch: (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
  });
}

/**
 * A call's options: signed in as `token` (one client serves every account of a test), with extra
 * headers such as `idempotency-key` or `traceparent`.
 */
export function as(token: string | undefined, headers: Record<string, string> = {}): RequestParams {
  return { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } };
}
