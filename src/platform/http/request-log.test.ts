// The one line each answered request leaves in the log, and what never appears in it.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { OneLinePerRequest } from './request-log.js';

describe('request log', () => {
  it('writes one line per request with its id, method, URL, status and time, and no credentials', async () => {
    const lines: any[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        callback();
      },
    });
    const logger = createLogger({ level: 'info', pretty: false, destination });
    const server = Fastify({ loggerInstance: logger as FastifyBaseLogger, logController: new OneLinePerRequest(logger) });
    server.get('/things', async (_request, reply) => reply.code(202).send({ ok: true }));
    await server.inject({ url: '/things?token=s3cret-query&page=2', headers: { authorization: 'Bearer s3cret-header' } });
    await server.close();

    // Fastify's own logging would add an "incoming request" line before it.
    expect(lines.map((line) => line.msg)).toEqual(['request completed']);
    const [line] = lines;
    expect(line).toMatchObject({ level: 30, req: { method: 'GET', url: '/things?token=[redacted]&page=2' }, res: { statusCode: 202 } });
    expect(typeof line.reqId).toBe('string');
    expect(typeof line.responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toMatch(/s3cret/);
  });
});
