// What a forwarded request tells the instance behind the gateway. End-to-end headers (authorization,
// traceparent, content-type, …) pass through unchanged; reply-from (under http-proxy) drops
// Connection and what it names, and rewrites Host. The hop-by-hop headers it keeps are dropped
// here: a credential meant for a proxy (Proxy-Authorization) must not travel further. The gateway
// adds what the instance cannot know.
import type { IncomingHttpHeaders } from 'node:http';
import type { IncomingHttpHeaders as Http2IncomingHttpHeaders } from 'node:http2';
import type { FastifyRequest } from 'fastify';

type Headers = IncomingHttpHeaders | Http2IncomingHttpHeaders;
/** What is read of the client's request; reply-from's hooks hand it over typed for any server. */
type ClientRequest = Pick<FastifyRequest, 'id' | 'protocol' | 'host'> & { raw: { socket: { remoteAddress?: string | undefined } } };

const HOP_BY_HOP = ['keep-alive', 'proxy-authorization', 'proxy-authenticate', 'proxy-connection', 'te', 'trailer', 'upgrade'];

export function forwardedRequestHeaders(request: ClientRequest, headers: Headers): Headers {
  const endToEnd = Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name)));
  return {
    ...endToEnd,
    // The gateway's id, not only the caller's: when the caller sent none (or an unusable one) the
    // gateway made one up, and both processes must log the same id for one request.
    'x-request-id': request.id,
    // Append the peer, as every proxy in a chain does; the instance decides how many hops to trust.
    'x-forwarded-for': appendHop(headers['x-forwarded-for'], request.raw.socket.remoteAddress),
    // Host and scheme as the client used them: the instance builds links and cookies with them.
    'x-forwarded-proto': request.protocol,
    'x-forwarded-host': request.host,
  };
}

/** The answer carries the gateway's request id whatever the instance put there. */
export function forwardedResponseHeaders(request: ClientRequest, headers: Headers): Headers {
  return { ...headers, 'x-request-id': request.id };
}

function appendHop(chain: string | string[] | undefined, peer: string | undefined): string {
  const hops = [chain].flat().filter((hop): hop is string => Boolean(hop));
  if (peer) hops.push(peer);
  return hops.join(', ');
}
