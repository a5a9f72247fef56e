// The drain: once the server closes, a request that still arrives is refused with a problem+json
// 503 that closes its connection, while the one already running finishes. (Readiness while
// draining: health.test.ts.)
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait-for.js';
import { installDrain } from './drain.js';
import { installErrorHandling } from './error-handler.js';

function drainingServer() {
  const server = Fastify({ return503OnClosing: false });
  installDrain(server);
  installErrorHandling(server);
  let release: (() => void) | undefined;
  server.get('/work', async () => ({ done: true }));
  server.get('/slow', async () => {
    await new Promise<void>((resolve) => (release = resolve));
    return { done: true };
  });
  return { server, release: () => release?.(), slowRunning: () => release !== undefined };
}

describe('drain', () => {
  // A request sent on the connection of a running one, after the close has begun: the running one
  // finishes, the late one gets the refusal (inject cannot show this: it refuses outright once
  // close has begun).
  it('lets a running request finish and refuses one arriving while closing with a problem+json 503', async () => {
    const { server, release, slowRunning } = drainingServer();
    await server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.server.address() as AddressInfo;
    let requestsSeen = 0;
    server.server.on('request', () => (requestsSeen += 1));
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += String(chunk)));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /slow HTTP/1.1\r\nHost: test\r\n\r\n');
    await waitFor(async () => slowRunning(), { what: 'the slow request to start' });
    const closing = server.close();
    await new Promise((resolve) => setImmediate(resolve));
    socket.write('GET /work HTTP/1.1\r\nHost: test\r\n\r\n');
    await waitFor(async () => requestsSeen === 2, { what: 'the late request to arrive' });
    // Answers on one connection go out in order: the refusal follows the slow answer.
    release();
    await waitFor(async () => received.includes('HTTP/1.1 503'), { what: 'the late request refused' });
    await ended; // the refusal closed the connection
    await closing;
    const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(first).toContain('{"done":true}');
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toMatch(/content-type: application\/problem\+json/i);
    expect(second).toMatch(/connection: close/i);
    expect(second).toContain('The server is shutting down; retry the request');
  });
});
