// Real HTTP on loopback: small Fastify "instances" that echo what reached them, and a gateway with
// the proxy in front of them (driven with inject(); its outbound calls are real sockets). Paths that
// try to leave a module are sent as raw request lines, since inject() and fetch() would normalise them.
import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/free-port.js';
import { registerDocs } from '../http/docs.js';
import { installErrorHandling } from '../http/error-handler.js';
import { requestIdFrom } from '../http/request-id.js';
import { UUID_PATTERN } from '../http/uuid.js';
import { UNFORWARDABLE_PATH_DETAIL } from './forwarding-routes.js';
import { registerRemoteModuleProxy, type RemoteModuleProxyOptions } from './remote-module-proxy.js';

interface Received {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string | undefined>;
}

interface Upstream {
  name: string;
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

const ECHOED_HEADERS = ['x-request-id', 'traceparent', 'authorization', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'host', 'content-type', 'proxy-authorization', 'te', 'x-listed-in-connection'];
const USERS_PREFIXES = ['/api/v1/users', '/api/v1/auth'];

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `method target HTTP/1.1` byte for byte as written and reads one answer. The socket is not
 * half-closed (a server may drop a request whose client has stopped sending), and the answer ends
 * where its length says, not when the connection does.
 */
function rawRequest(base: string, method: string, target: string, body?: string): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let raw = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(5_000, () => fail(new Error(`no complete answer to ${method} ${target}: ${JSON.stringify(raw)}`)));
    socket.on('error', fail);
    socket.on('data', (chunk) => {
      raw += chunk.toString('latin1');
      const response = completeResponse(raw, method);
      if (!response) return;
      socket.destroy();
      resolve(response);
    });
    socket.on('close', () => fail(new Error(`connection closed before a complete answer to ${method} ${target}: ${JSON.stringify(raw)}`)));
    const bodyHeaders = body === undefined ? '' : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
    socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${bodyHeaders}\r\n${body ?? ''}`, 'latin1');
  });
}

/** The response once all of it has arrived (content-length or chunked), else null. */
function completeResponse(raw: string, method: string): RawResponse | null {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const [statusLine, ...lines] = raw.slice(0, headEnd).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  const status = Number(statusLine!.split(' ')[1]);
  let body = raw.slice(headEnd + 4);
  if (method === 'HEAD') {
    body = '';
  } else if (headers['transfer-encoding'] === 'chunked') {
    const dechunked = dechunk(body);
    if (dechunked === null) return null;
    body = dechunked;
  } else {
    const length = Number(headers['content-length'] ?? 0);
    if (body.length < length) return null;
    body = body.slice(0, length);
  }
  return { status, headers, body: Buffer.from(body, 'latin1').toString('utf8') };
}

function dechunk(chunked: string): string | null {
  let body = '';
  for (let rest = chunked; ; ) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd < 0) return null;
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (size === 0) return rest.includes('\r\n\r\n') ? body : null;
    if (rest.length < lineEnd + 2 + size + 2) return null;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

describe('remote module proxy', () => {
  const servers: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  /** An instance of the remote module: answers everything with what it received and its name. */
  async function startUpstream(name: string, options: { port?: number; status?: number; hang?: boolean } = {}): Promise<Upstream> {
    const server = Fastify({ genReqId: requestIdFrom, requestIdHeader: false, forceCloseConnections: true });
    const received: Received[] = [];
    server.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    server.all('/*', async (request, reply) => {
      const headers = Object.fromEntries(ECHOED_HEADERS.map((header) => [header, request.headers[header] as string | undefined]));
      received.push({ method: request.method, url: request.url, body: request.body, headers });
      if (options.hang) return new Promise(() => {});
      const status = options.status ?? Number(request.headers['x-echo-status'] ?? 200);
      return reply.code(status).header('x-upstream', name).send({ upstream: name, method: request.method, url: request.url, body: request.body ?? null, headers });
    });
    await server.listen({ host: '127.0.0.1', port: options.port ?? 0 });
    const { port } = server.server.address() as { port: number };
    const upstream = { name, url: `http://127.0.0.1:${port}`, port, received, close: () => server.close() };
    servers.push(upstream);
    return upstream;
  }

  async function deadUpstreamUrl(): Promise<{ url: string; port: number }> {
    const port = await freePort();
    return { url: `http://127.0.0.1:${port}`, port };
  }

  /** The gateway as the app builds it (request ids, problem+json), with the proxy in front. */
  async function startGateway(
    options: Partial<RemoteModuleProxyOptions> & Pick<RemoteModuleProxyOptions, 'urls'>,
    localRoutes?: (server: FastifyInstance) => Promise<void>,
  ): Promise<FastifyInstance> {
    const server = Fastify({ genReqId: requestIdFrom, requestIdHeader: false });
    servers.push(server);
    server.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    installErrorHandling(server);
    await registerRemoteModuleProxy(server, { module: 'users', prefixes: USERS_PREFIXES, weight: null, hostedLocally: false, ...options });
    if (localRoutes) await server.register(localRoutes);
    await server.ready();
    return server;
  }

  const served = (response: { json(): { upstream: string } }) => response.json().upstream;

  describe('forwarding to a module hosted elsewhere', () => {
    it('forwards method, path, query and JSON body, and returns status, headers and body', async () => {
      const users = await startUpstream('a');
      const gateway = await startGateway({ urls: [users.url] });

      const response = await gateway.inject({
        method: 'POST',
        url: '/api/v1/users/7f1c/addresses?limit=5&tag=a%20b',
        headers: { 'x-echo-status': '201' },
        payload: { street: 'Main St 1', city: 'Springfield' },
      });

      expect(response.statusCode).toBe(201);
      expect(response.headers['x-upstream']).toBe('a');
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toMatchObject({
        upstream: 'a',
        method: 'POST',
        url: '/api/v1/users/7f1c/addresses?limit=5&tag=a%20b',
        body: { street: 'Main St 1', city: 'Springfield' },
      });
      expect(users.received[0]!.headers['content-type']).toMatch(/^application\/json/);
    });

    it('forwards every public prefix of the module, the bare prefix included, with any method', async () => {
      const users = await startUpstream('a');
      const gateway = await startGateway({ urls: [users.url] });

      const calls = [
        { method: 'POST', url: '/api/v1/auth/login' },
        { method: 'GET', url: '/api/v1/users' },
        { method: 'PATCH', url: '/api/v1/users/1/status' },
        { method: 'PUT', url: '/api/v1/users/1' },
        { method: 'DELETE', url: '/api/v1/users/1' },
      ] as const;
      for (const call of calls) {
        const response = await gateway.inject({ ...call, ...(call.method === 'GET' || call.method === 'DELETE' ? {} : { payload: {} }) });
        expect(response.statusCode, `${call.method} ${call.url}`).toBe(200);
      }
      expect(users.received.map(({ method, url }) => `${method} ${url}`)).toEqual(calls.map(({ method, url }) => `${method} ${url}`));
    });

    it('passes a non-2xx answer of the instance through unchanged', async () => {
      const users = await startUpstream('a');
      const gateway = await startGateway({ urls: [users.url] });

      const response = await gateway.inject({ method: 'GET', url: '/api/v1/users/nobody', headers: { 'x-echo-status': '404' } });

      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ upstream: 'a', url: '/api/v1/users/nobody' });
    });

    it("forwards authorization and traceparent, sends the gateway's request id and sets x-forwarded-*", async () => {
      const users = await startUpstream('a');
      const gateway = await startGateway({ urls: [users.url] });
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

      const response = await gateway.inject({
        method: 'GET',
        url: '/api/v1/users/me',
        headers: {
          host: 'shop.example:8443',
          authorization: 'Bearer token-123',
          traceparent,
          'x-request-id': 'caller-id-42',
          'x-forwarded-for': '203.0.113.7',
        },
      });

      expect(response.statusCode).toBe(200);
      expect(users.received[0]!.headers).toMatchObject({
        authorization: 'Bearer token-123',
        traceparent,
        'x-request-id': 'caller-id-42',
        'x-forwarded-for': '203.0.113.7, 127.0.0.1',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'shop.example:8443',
        host: `127.0.0.1:${users.port}`,
      });
      expect(response.headers['x-request-id']).toBe('caller-id-42');
    });

    it('keeps hop-by-hop headers, and a credential meant for the gateway, to the gateway', async () => {
      const users = await startUpstream('a');
      const gateway = await startGateway({ urls: [users.url] });

      const response = await gateway.inject({
        method: 'GET',
        url: '/api/v1/users/me',
        headers: {
          authorization: 'Bearer token-123',
          'proxy-authorization': 'Basic Z2F0ZXdheTpzZWNyZXQ=',
          connection: 'keep-alive, x-listed-in-connection',
          'x-listed-in-connection': 'for the gateway only',
          te: 'trailers',
        },
      });

      expect(response.statusCode).toBe(200);
      expect(users.received[0]!.headers).toMatchObject({
        authorization: 'Bearer token-123',
        'proxy-authorization': undefined,
        'x-listed-in-connection': undefined,
        te: undefined,
      });
    });

    it('makes up a request id when the caller sent none and both sides use it', async () => {
      const users = await startUpstream('a');
      const gateway = await startGateway({ urls: [users.url] });

      const response = await gateway.inject({ method: 'GET', url: '/api/v1/users/me', headers: { 'x-request-id': 'not a valid id!' } });

      const sent = users.received[0]!.headers['x-request-id'];
      expect(sent).toMatch(UUID_PATTERN);
      expect(response.headers['x-request-id']).toBe(sent);
    });

    it('takes the instances in turn', async () => {
      const [a, b] = [await startUpstream('a'), await startUpstream('b')];
      const gateway = await startGateway({ urls: [a.url, b.url] });

      const names: string[] = [];
      for (let i = 0; i < 4; i++) names.push(served(await gateway.inject({ method: 'GET', url: '/api/v1/users/me' })));

      expect(names).toEqual(['a', 'b', 'a', 'b']);
    });

    it('never forwards /internal routes nor paths that only share the first letters of a prefix', async () => {
      const users = await startUpstream('a');
      const gateway = await startGateway({ urls: [users.url] });

      for (const url of ['/internal/v1/users/1', '/internal/v1/users', '/api/v1/usersettings']) {
        const response = await gateway.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      expect(users.received).toEqual([]);
    });

    it('leaves its catch-all routes out of the API docs, hosted elsewhere or as a canary', async () => {
      for (const hostedLocally of [false, true]) {
        const server = Fastify();
        servers.push(server);
        await registerDocs(server);
        await registerRemoteModuleProxy(server, { module: 'users', prefixes: USERS_PREFIXES, urls: ['http://127.0.0.1:1'], weight: 50, hostedLocally });
        if (hostedLocally) server.get('/api/v1/users/me', { schema: { summary: 'the signed-in user' } }, async () => ({}));
        await server.ready();

        const { paths } = (await server.inject({ url: '/docs/json' })).json() as { paths: Record<string, unknown> };
        expect(Object.keys(paths), `hostedLocally: ${hostedLocally}`).toEqual(hostedLocally ? ['/api/v1/users/me'] : []);
      }
    });

    it('refuses to be configured with an internal prefix', async () => {
      await expect(startGateway({ urls: ['http://127.0.0.1:1'], prefixes: ['/internal/v1/users'] })).rejects.toThrow(/internal routes are never forwarded/);
    });

    it('refuses to be configured with a prefix that has . or .. segments', async () => {
      await expect(startGateway({ urls: ['http://127.0.0.1:1'], prefixes: ['/api/v1/..'] })).rejects.toThrow(/must not have \. or \.\. segments/);
    });
  });

  describe('unreachable and unhealthy instances', () => {
    it('answers 503 problem+json naming the module when its instance refuses connections', async () => {
      const dead = await deadUpstreamUrl();
      const gateway = await startGateway({ urls: [dead.url] });

      const response = await gateway.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.c', password: 'x' } });

      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toEqual({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The users module is unavailable',
        instance: '/api/v1/auth/login',
      });
    });

    it('answers 503 naming the module when the instance does not answer in time', async () => {
      const slow = await startUpstream('slow', { hang: true });
      const gateway = await startGateway({ urls: [slow.url], timeoutMs: 200 });

      const response = await gateway.inject({ method: 'GET', url: '/api/v1/users/me' });

      expect(response.statusCode).toBe(503);
      expect(response.json().detail).toBe('The users module is unavailable');
      expect(slow.received).toHaveLength(1);
    });

    it('takes an unreachable instance out so the following requests go to the other one', async () => {
      const dead = await deadUpstreamUrl();
      const b = await startUpstream('b');
      const gateway = await startGateway({ urls: [dead.url, b.url] });

      // A POST is not retried elsewhere (it may have had effects), so the first one fails.
      const first = await gateway.inject({ method: 'POST', url: '/api/v1/users', payload: { n: 0 } });
      expect(first.statusCode).toBe(503);

      const names: string[] = [];
      for (let i = 1; i <= 4; i++) names.push(served(await gateway.inject({ method: 'POST', url: '/api/v1/users', payload: { n: i } })));
      expect(names).toEqual(['b', 'b', 'b', 'b']);
    });

    it('retries an idempotent GET on the next instance when the first is unreachable', async () => {
      const dead = await deadUpstreamUrl();
      const b = await startUpstream('b');
      const gateway = await startGateway({ urls: [dead.url, b.url] });

      const response = await gateway.inject({ method: 'GET', url: '/api/v1/users/me' });

      expect(response.statusCode).toBe(200);
      expect(served(response)).toBe('b');
    });

    it('tries a failed instance again once the cooldown has passed (injected clock)', async () => {
      let now = 0;
      const dead = await deadUpstreamUrl();
      const b = await startUpstream('b');
      const gateway = await startGateway({ urls: [dead.url, b.url], cooldownMs: 10_000, now: () => now });
      expect((await gateway.inject({ method: 'POST', url: '/api/v1/users', payload: {} })).statusCode).toBe(503);

      // The instance comes back, but stays out until its cooldown is over.
      const revived = await startUpstream('a', { port: dead.port });
      now += 9_999;
      for (let i = 0; i < 3; i++) await gateway.inject({ method: 'GET', url: '/api/v1/users/me' });
      expect(revived.received).toHaveLength(0);

      now += 1;
      const names: string[] = [];
      for (let i = 0; i < 4; i++) names.push(served(await gateway.inject({ method: 'GET', url: '/api/v1/users/me' })));
      expect(names.sort()).toEqual(['a', 'a', 'b', 'b']);
    });

    it('answers 503 at once, without trying, while every instance is resting', async () => {
      const dead = await deadUpstreamUrl();
      const gateway = await startGateway({ urls: [dead.url] });
      expect((await gateway.inject({ method: 'GET', url: '/api/v1/users/me' })).statusCode).toBe(503);

      const revived = await startUpstream('a', { port: dead.port });
      const response = await gateway.inject({ method: 'GET', url: '/api/v1/users/me' });

      expect(response.statusCode).toBe(503);
      expect(response.json().detail).toBe('The users module is unavailable');
      expect(revived.received).toHaveLength(0);
    });

    it("passes an instance's 503 through and rests that instance", async () => {
      const overloaded = await startUpstream('a', { status: 503 });
      const b = await startUpstream('b');
      const gateway = await startGateway({ urls: [overloaded.url, b.url] });

      const first = await gateway.inject({ method: 'GET', url: '/api/v1/users/me' });
      expect(first.statusCode).toBe(503);
      expect(first.json()).toMatchObject({ upstream: 'a' });
      // Passed through, not retried: the instance answered, and only once.
      expect(overloaded.received).toHaveLength(1);

      const names: string[] = [];
      for (let i = 0; i < 4; i++) names.push(served(await gateway.inject({ method: 'GET', url: '/api/v1/users/me' })));
      expect(names).toEqual(['b', 'b', 'b', 'b']);
      expect(overloaded.received).toHaveLength(1);
    });
  });

  describe('over a real socket', () => {
    async function listen(gateway: FastifyInstance): Promise<string> {
      await gateway.listen({ host: '127.0.0.1', port: 0 });
      const { port } = gateway.server.address() as { port: number };
      return `http://127.0.0.1:${port}`;
    }

    it('streams a large request body to the instance', async () => {
      const users = await startUpstream('a');
      const base = await listen(await startGateway({ urls: [users.url] }));
      const text = 'x'.repeat(200_000);

      const response = await fetch(`${base}/api/v1/users/import`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: text });

      expect(response.status).toBe(200);
      expect(((await response.json()) as { body: string }).body).toHaveLength(200_000);
    });

    it('answers the client 503 problem+json, on a connection that stays usable, when the instance refuses a POST', async () => {
      const dead = await deadUpstreamUrl();
      const base = await listen(await startGateway({ urls: [dead.url] }));

      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${base}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: i }) });
        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(((await response.json()) as { detail: string }).detail).toBe('The users module is unavailable');
      }
    });
  });

  describe('canary: module hosted here and remotely', () => {
    /** Local routes of the users module, plus another module's route the canary must not touch. */
    const localRoutes = async (server: FastifyInstance) => {
      server.get('/api/v1/users/me', async () => ({ upstream: 'local' }));
      server.post('/api/v1/users', async (request) => ({ upstream: 'local', body: request.body }));
      server.get('/api/v1/products/1', async () => ({ upstream: 'local-products' }));
    };

    async function countServers(gateway: FastifyInstance, requests: number, url = '/api/v1/users/me'): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for (let i = 0; i < requests; i++) {
        const response = await gateway.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(200);
        const name = served(response);
        counts[name] = (counts[name] ?? 0) + 1;
      }
      return counts;
    }

    // The split uses the real Math.random (the default): 200 fair coin flips land outside 60..140
    // with a probability of about 2e-8.
    it('sends about half of the requests to the remote instances with weight 50', async () => {
      const remote = await startUpstream('remote');
      const gateway = await startGateway({ urls: [remote.url], hostedLocally: true, weight: 50 }, localRoutes);

      const counts = await countServers(gateway, 200);

      expect(Object.keys(counts).sort()).toEqual(['local', 'remote']);
      expect(counts.local).toBeGreaterThanOrEqual(60);
      expect(counts.local).toBeLessThanOrEqual(140);
      expect(counts.remote).toBeGreaterThanOrEqual(60);
      expect(counts.remote).toBeLessThanOrEqual(140);
    });

    it('serves everything locally with weight 0', async () => {
      const remote = await startUpstream('remote');
      const gateway = await startGateway({ urls: [remote.url], hostedLocally: true, weight: 0 }, localRoutes);

      expect(await countServers(gateway, 50)).toEqual({ local: 50 });
      expect(remote.received).toEqual([]);
    });

    it('serves everything locally when no weight is configured', async () => {
      const remote = await startUpstream('remote');
      const gateway = await startGateway({ urls: [remote.url], hostedLocally: true, weight: null }, localRoutes);

      expect(await countServers(gateway, 20)).toEqual({ local: 20 });
    });

    it('sends everything under the prefixes to the remote instances with weight 100, other routes stay local', async () => {
      const remote = await startUpstream('remote');
      const gateway = await startGateway({ urls: [remote.url], hostedLocally: true, weight: 100 }, localRoutes);

      expect(await countServers(gateway, 50)).toEqual({ remote: 50 });
      expect(await countServers(gateway, 10, '/api/v1/products/1')).toEqual({ 'local-products': 10 });
      const internal = await gateway.inject({ method: 'GET', url: '/internal/v1/users/1' });
      expect(internal.statusCode).toBe(404);
      expect(remote.received).toHaveLength(50);
    });

    it('decides with the injected random source: below the weight goes remote', async () => {
      const remote = await startUpstream('remote');
      const rolls = [0.29, 0.3, 0.99, 0];
      const gateway = await startGateway({ urls: [remote.url], hostedLocally: true, weight: 30, random: () => rolls.shift()! }, localRoutes);

      expect(await countServers(gateway, 1)).toEqual({ remote: 1 });
      expect(await countServers(gateway, 2)).toEqual({ local: 2 });
      expect(await countServers(gateway, 1)).toEqual({ remote: 1 });
    });

    it('streams the body of a request it sends to the remote side, and the local side still parses its own', async () => {
      const remote = await startUpstream('remote');
      const rolls = [0, 0.99];
      const gateway = await startGateway({ urls: [remote.url], hostedLocally: true, weight: 50, random: () => rolls.shift()! }, localRoutes);

      const toRemote = await gateway.inject({ method: 'POST', url: '/api/v1/users', payload: { email: 'r@example.com' } });
      const toLocal = await gateway.inject({ method: 'POST', url: '/api/v1/users', payload: { email: 'l@example.com' } });

      expect(toRemote.json()).toMatchObject({ upstream: 'remote', body: { email: 'r@example.com' } });
      expect(toLocal.json()).toMatchObject({ upstream: 'local', body: { email: 'l@example.com' } });
    });

    it('answers HEAD on either side: forwarded, or by the HEAD route Fastify adds to a local GET', async () => {
      const remote = await startUpstream('remote');
      const rolls = [0, 0.99];
      const gateway = await startGateway({ urls: [remote.url], hostedLocally: true, weight: 50, random: () => rolls.shift()! }, localRoutes);

      const toRemote = await gateway.inject({ method: 'HEAD', url: '/api/v1/users/me' });
      const toLocal = await gateway.inject({ method: 'HEAD', url: '/api/v1/users/me' });

      expect([toRemote.statusCode, toRemote.headers['x-upstream']]).toEqual([200, 'remote']);
      expect([toLocal.statusCode, toLocal.headers['x-upstream']]).toEqual([200, undefined]);
      expect(remote.received.map(({ method, url }) => `${method} ${url}`)).toEqual(['HEAD /api/v1/users/me']);
    });

    it('falls back to the local routes while every remote instance is resting', async () => {
      const dead = await deadUpstreamUrl();
      const gateway = await startGateway({ urls: [dead.url], hostedLocally: true, weight: 100 }, localRoutes);

      const first = await gateway.inject({ method: 'GET', url: '/api/v1/users/me' });
      expect(first.statusCode).toBe(503);
      expect(first.json().detail).toBe('The users module is unavailable');

      expect(await countServers(gateway, 5)).toEqual({ local: 5 });
    });
  });

  describe('paths that would leave the module, sent as raw request lines', () => {
    const ORDER_ID = '0b9f6c2e-4a61-4f0e-9a3c-6f1d2e8b7a55';

    async function startOrdersGateway(options: Partial<RemoteModuleProxyOptions> = {}, localRoutes?: (server: FastifyInstance) => Promise<void>) {
      const orders = await startUpstream('orders');
      const gateway = await startGateway({ module: 'orders', prefixes: ['/api/v1/orders'], urls: [orders.url], ...options }, localRoutes);
      await gateway.listen({ host: '127.0.0.1', port: 0 });
      const { port } = gateway.server.address() as { port: number };
      return { orders, base: `http://127.0.0.1:${port}` };
    }

    // None of these may leave the gateway, whatever the instance would make of it. The backslash
    // ones reached the instance's /metrics and /admin/v1/dead-letters: the upstream client's URL
    // parser reads \ as / and resolves the .. segments it then finds.
    const attacks = [
      '/api/v1/orders/x\\..\\..\\..\\..\\metrics',
      '/api/v1/orders/x\\..\\..\\..\\..\\admin\\v1\\dead-letters',
      '/api/v1/orders/..\\..\\..\\metrics',
      '/api/v1/orders/..\\\\..\\\\..\\\\metrics',
      '/api/v1/orders/x\\..\\..%2f..%2fmetrics',
      '/api/v1/orders/x\\..%2f..%2f..%2fmetrics',
      '/api/v1/orders/x%5c..%5c..%5c..%5cmetrics',
      '/api/v1/orders/x%5C..%5C..%5C..%5Cmetrics',
      '/api/v1/orders/x%2f..%2f..%2f..%2fmetrics',
      '/api/v1/orders/x%2F..%2F..%2F..%2Fmetrics',
      '/api/v1/orders/x/..%5c..%5c..%5cmetrics',
      '/api/v1/orders/%2e%2e%5c%2e%2e%5c%2e%2e%5cmetrics',
      '/api/v1/orders/%2E%2E%5C%2E%2E%5C%2E%2E%5Cmetrics',
      '/api/v1/orders/.%2e\\.%2e\\.%2e\\metrics',
      '/api/v1/orders/%252e%252e%252f%252e%252e%252f%252e%252e%252fmetrics',
      '/api/v1/orders/x%255c..%255c..%255c..%255cmetrics',
      '/api/v1/orders/%25%32%65%25%32%65%25%32%66metrics',
      '/api/v1/orders/..',
      '/api/v1/orders/x/..%2e/..%2e/metrics',
      '/api/v1/orders/x.%2e%5c..%5cmetrics',
      '/api/v1/orders/../../metrics',
      '/api/v1/orders/%2e%2e/%2e%2e/metrics',
      '/api/v1/orders/./x',
      '/api/v1/orders/%2e/x',
      '/api/v1/orders//x',
      '/api/v1/orders/x//..//..//metrics',
      '/api/v1/orders/x%00',
      '/api/v1/orders/x%00/..%5c..%5cmetrics',
      '/api/v1/orders/x%0d%0aX-Injected:%201',
      '/api/v1/orders/x%09',
      '/api/v1/orders/x%7f',
      '/api/v1/orders/x%c2%85',
      '/api/v1/%6frders/x',
      '/api/v1/orders/x#\\..\\..\\metrics',
      `/api/v1/orders/${ORDER_ID}\\..\\..\\..\\..\\metrics?limit=5`,
    ];

    it.each(attacks)('answers %s with 400 problem+json and never forwards it', async (target) => {
      const { orders, base } = await startOrdersGateway();

      const response = await rawRequest(base, 'GET', target);

      expect(orders.received.map(({ url }) => url)).toEqual([]);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(response.body)).toMatchObject({ status: 400, detail: UNFORWARDABLE_PATH_DETAIL });
    });

    it('refuses them whatever the method, with a body too, and still forwards the next plain request', async () => {
      const { orders, base } = await startOrdersGateway();
      const target = '/api/v1/orders/x\\..\\..\\..\\..\\admin\\v1\\dead-letters';

      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const response = await rawRequest(base, method, target, '{"replay":true}');
        expect(response.status, method).toBe(400);
        expect(response.headers['content-type'], method).toMatch(/^application\/problem\+json/);
      }
      for (const method of ['HEAD', 'OPTIONS']) expect((await rawRequest(base, method, target)).status, method).toBe(400);
      const post = await rawRequest(base, 'POST', '/api/v1/orders', '{}');
      expect(post.status).toBe(200);
      expect(orders.received.map(({ method, url }) => `${method} ${url}`)).toEqual(['POST /api/v1/orders']);
    });

    it('answers 404, without forwarding, a path that is not under the prefixes to begin with', async () => {
      const { orders, base } = await startOrdersGateway();

      for (const target of ['/api/v1/ordersx/..', '/api/v1/ordersx/../orders', '/api/v1/orders\\..\\..\\metrics', '/api/v1/orders%2f..%2f..%2fmetrics', '//api/v1/orders', '/api/v1/orders%5c..%5cmetrics']) {
        const response = await rawRequest(base, 'GET', target);
        expect(response.status, target).toBe(404);
        expect(response.headers['content-type'], target).toMatch(/^application\/problem\+json/);
      }
      expect(orders.received).toEqual([]);
    });

    it('forwards plain paths and their query strings byte for byte', async () => {
      const { orders, base } = await startOrdersGateway();
      const targets = [
        '/api/v1/orders',
        '/api/v1/orders?limit=5&status=placed',
        `/api/v1/orders/${ORDER_ID}`,
        `/api/v1/orders/${ORDER_ID}/cancel`,
        `/api/v1/orders/${ORDER_ID}?expand=items&next=%2Fapi%2Fv1%2F..%5cmetrics&raw=..\\..\\x`,
        '/api/v1/orders/',
        '/api/v1/orders/caf%C3%A9%20cr%C3%A8me',
        '/api/v1/orders/v1.2/file.json',
        "/api/v1/orders/a-b_c~d!$&'()*+,;=:@",
      ];

      for (const target of targets) {
        const response = await rawRequest(base, 'GET', target);
        expect(response.status, target).toBe(200);
        expect(JSON.parse(response.body), target).toMatchObject({ upstream: 'orders', url: target });
      }
      expect(orders.received.map(({ url }) => url)).toEqual(targets);
    });

    it('refuses them in a canary split too, whichever side the dice pick, and leaves other routes alone', async () => {
      const local = async (server: FastifyInstance) => {
        server.get('/api/v1/orders/:id', async () => ({ upstream: 'local' }));
        server.get('/metrics', async () => ({ upstream: 'local-metrics' }));
      };
      const rolls = [0, 0.99, 0, 0.99];
      const { orders, base } = await startOrdersGateway({ hostedLocally: true, weight: 50, random: () => rolls.shift() ?? 0.99 }, local);

      for (let i = 0; i < 2; i++) {
        const response = await rawRequest(base, 'GET', '/api/v1/orders/x\\..\\..\\..\\..\\metrics');
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      expect(orders.received).toEqual([]);
      expect(JSON.parse((await rawRequest(base, 'GET', '/metrics')).body)).toMatchObject({ upstream: 'local-metrics' });
      expect(JSON.parse((await rawRequest(base, 'GET', `/api/v1/orders/${ORDER_ID}`)).body)).toMatchObject({ upstream: 'orders' });
      expect(JSON.parse((await rawRequest(base, 'GET', `/api/v1/orders/${ORDER_ID}`)).body)).toMatchObject({ upstream: 'local' });
      expect(orders.received.map(({ url }) => url)).toEqual([`/api/v1/orders/${ORDER_ID}`]);
    });
  });
});
