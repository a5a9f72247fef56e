import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', pretty: false, destination }), text: () => lines.join('') };
}

describe('logger redaction', () => {
  it('never writes credentials, tokens or card data, wherever they sit in a logged object', () => {
    const { logger, text } = capture();
    logger.info({ req: { headers: { authorization: 'Bearer secret-token-1', cookie: 'sid=secret-cookie' } } }, 'request');
    logger.info({ password: 'secret-password-1', body: { password: 'secret-password-2', accessToken: 'secret-token-2' } }, 'body');
    logger.info({ payment: { card: { number: '4242424242424242', cvc: '123' } }, cardNumber: '4000000000000002' }, 'payment');
    logger.info({ token: 'secret-token-3', user: { passwordHash: '$argon2id$secret' } }, 'misc');

    const output = text();
    for (const secret of ['secret-token-1', 'secret-cookie', 'secret-password-1', 'secret-password-2', 'secret-token-2', '4242424242424242', '4000000000000002', 'secret-token-3', '$argon2id$secret']) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('[redacted]');
  });
});
