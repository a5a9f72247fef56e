// Clients too slow to send a request: cut off after REQUEST_TIMEOUT_MS with a 408 problem, so a
// few trickling sockets cannot hold the server's connections forever.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';

interface Outcome {
  response: string;
  closedAfterMs: number;
}

/** Opens a raw socket, writes `head`, then one byte of `drip` every 100 ms until the server hangs up. */
function trickle(port: number, head: string, drip: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let sent = 0;
    const dripping = setInterval(() => {
      if (!socket.destroyed && socket.writable) socket.write(drip[sent++ % drip.length]!);
    }, 100);
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the socket open for 10 s (got: ${response || 'nothing'})`));
    }, 10_000);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (chunk) => (response += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(dripping);
      clearTimeout(deadline);
      resolve({ response, closedAfterMs: Date.now() - startedAt });
    });
  });
}

function expectTimeoutProblem({ response }: Outcome) {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 408 /);
  expect(head.toLowerCase()).toContain('content-type: application/problem+json');
  expect(JSON.parse(body)).toMatchObject({ status: 408, title: 'Request Timeout' });
}

describe('slow clients', () => {
  let app: TestApp;
  let port: number;
  beforeAll(async () => {
    app = await startTestApp({ env: { REQUEST_TIMEOUT_MS: '500', MODULES: 'users' } });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it('answers a body trickled slower than the request timeout with a 408 problem and closes the socket', async () => {
    const head = 'POST /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"email":"';
    const outcome = await trickle(port, head, 'aaaaaaaaaa');
    expectTimeoutProblem(outcome);
    expect(outcome.closedAfterMs).toBeLessThan(5000);
  });

  it('answers headers that never finish with a 408 problem and closes the socket', async () => {
    const outcome = await trickle(port, 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: a\r\n');
    expectTimeoutProblem(outcome);
    expect(outcome.closedAfterMs).toBeLessThan(5000);
  });

  it('still serves a request sent at a normal pace', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(response.status).toBe(200);
  });
});
