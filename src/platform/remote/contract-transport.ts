// One attempt of one contract call over HTTP: POST `{ args }` to the next replica of the remote
// module, signed with a fresh service token, and read `{ result }` back. No resilience here: the
// policies in remote-contract.ts decide what to do about a failed attempt.
import { startClientSpan } from '../observability/client-spans.js';
import { contractPath } from './contract-methods.js';
import { RemoteCallError } from './remote-errors.js';
import { signServiceToken } from './service-token.js';

export interface ContractTransportOptions {
  caller: string;
  target: string;
  /** Base URLs of the replicas serving the target module. */
  urls: readonly string[];
  secret: string;
}

export type ContractTransport = (method: string, args: readonly unknown[], signal: AbortSignal) => Promise<unknown>;

export function createContractTransport({ caller, target, urls, secret }: ContractTransportOptions): ContractTransport {
  const bases = urls.map(baseUrl);
  if (bases.length === 0) throw new Error(`no URL given for the ${target} module`);
  // Round robin spreads load over the replicas, and a retry lands on the next one, which is
  // likelier to answer than the one that just failed.
  let next = 0;

  return async (method, args, signal) => {
    const base = bases[next++ % bases.length]!;
    const span = startClientSpan(`${target}.${method}`, { 'rpc.system': 'shop-contract', 'rpc.service': target, 'rpc.method': method, 'server.address': base });
    let response: Response;
    try {
      response = await fetch(`${base}${contractPath(target, method)}`, {
        method: 'POST',
        headers: span.headers({
          'content-type': 'application/json',
          accept: 'application/json',
          // Signed per call: cheap (one HMAC), and never older than its caller's request.
          authorization: `Bearer ${signServiceToken(secret, { caller, target })}`,
        }),
        body: JSON.stringify({ args: withoutTrailingUndefined(args) }),
        // An internal route never redirects; following one would hand the token elsewhere.
        redirect: 'error',
        signal,
      });
    } catch (error) {
      span.end({ error });
      throw error;
    }
    span.end({ status: response.status });
    if (!response.ok) {
      throw new RemoteCallError(target, method, response.status, await problemDetail(response));
    }
    const body = (await response.json()) as { result?: unknown };
    return body.result;
  };
}

function baseUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${url} is not an http(s) URL`);
  return url.replace(/\/+$/, '');
}

// JSON turns an omitted optional argument into null, which would defeat a parameter default on the
// far side; dropping trailing ones keeps `f(a)` and `f(a, undefined)` the same call there as here.
function withoutTrailingUndefined(args: readonly unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

async function problemDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: unknown };
    if (typeof body.detail === 'string') return body.detail;
  } catch {
    // not problem+json (a proxy's error page): the status alone says enough
  }
  return response.statusText || 'no detail';
}
