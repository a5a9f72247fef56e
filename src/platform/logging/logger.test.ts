import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { safeErrorMessage } from './error-serializer.js';
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

describe('logger serializers', () => {
  it('logs a unique violation by code, table and constraint, without the SQL, the values or the key in its detail', () => {
    const { logger, text } = capture();
    const postgresError = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
      name: 'PostgresError',
      severity: 'ERROR',
      code: '23505',
      detail: 'Key (email)=(jane.private@example.com) already exists.',
      schema_name: 'users',
      table_name: 'users',
      constraint_name: 'users_email_key',
    });
    Object.defineProperties(postgresError, {
      query: { value: 'insert into "users"."users" ("email", "street") values ($1, $2)' },
      parameters: { value: ['jane.private@example.com', '17 Privacy Lane'] },
    });
    const sql = 'insert into "users"."users" ("email", "street") values ($1, $2)';
    const wrapped = new DrizzleQueryError(sql, ['jane.private@example.com', '17 Privacy Lane'], postgresError);
    logger.error({ err: wrapped }, 'request failed');

    const output = text();
    expect(output).not.toContain('jane.private@example.com');
    expect(output).not.toContain('17 Privacy Lane');
    expect(output).not.toContain('values ($1');
    const { err } = JSON.parse(output);
    expect(err).toMatchObject({ type: 'DrizzleQueryError', code: '23505', table_name: 'users', constraint_name: 'users_email_key', statement: 'insert users.users' });
    expect(err.message).toContain('users_email_key');
  });

  it('gives a failed query a message without SQL or values, for the job output operators read in dead letters', () => {
    const sql = 'insert into "users"."addresses" ("street") values ($1)';
    const wrapped = new DrizzleQueryError(sql, ['17 Privacy Lane'], new Error('connection reset'));
    expect(safeErrorMessage(wrapped)).toBe('Failed query (insert users.addresses)');
    expect(safeErrorMessage(new Error('the order is not known yet'))).toBe('the order is not known yet');
  });

  it('leaves other errors as they are', () => {
    const { logger, text } = capture();
    logger.error({ err: Object.assign(new Error('the card gateway is down'), { code: 'ECONNREFUSED' }) }, 'failed');
    expect(JSON.parse(text()).err).toMatchObject({ type: 'Error', message: 'the card gateway is down', code: 'ECONNREFUSED' });
  });

  it.each([
    ['/api/v1/users/me?access_token=abc.def.ghi', '/api/v1/users/me?access_token=[redacted]'],
    ['/reset?Password=x&email=a%40b.c', '/reset?Password=[redacted]&email=a%40b.c'],
    ['/cb?code=xyz&state=1&client_secret=s&api-key=k&refreshToken=t', '/cb?code=[redacted]&state=1&client_secret=[redacted]&api-key=[redacted]&refreshToken=[redacted]'],
    ['/api/v1/products?q=lamp&limit=5', '/api/v1/products?q=lamp&limit=5'],
  ])('logs the request url %s as %s', (url, logged) => {
    const { logger, text } = capture();
    logger.info({ req: { method: 'GET', url, headers: {} } }, 'incoming request');
    expect(JSON.parse(text()).req.url).toBe(logged);
  });
});
