// The body a forwarded request streams to the instance. Not the client's request stream itself:
// when the upstream call fails, undici destroys the body it was given, and destroying the client's
// request would tear down the client's socket before the 503 problem could reach it.
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';

export function forwardableBody(incoming: Readable | IncomingMessage): PassThrough {
  const body = new PassThrough();
  incoming.pipe(body);
  // pipe() does not pass on a client that went away mid-body: stop the upstream request too.
  incoming.once('error', (error) => body.destroy(error));
  incoming.once('close', () => {
    if (!incoming.readableEnded) body.destroy(new Error('the client closed the request before its body ended'));
  });
  // When the upstream call fails and discards the body, drain what is left of the client's, so
  // the answer reaches it and a keep-alive connection can carry its next request.
  body.once('close', () => {
    if (incoming.readableEnded) return;
    incoming.unpipe(body);
    incoming.resume();
  });
  return body;
}
