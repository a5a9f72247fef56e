import { describe, expect, it } from 'vitest';
import { forwardablePath } from './forwardable-path.js';

const PREFIXES = ['/api/v1/orders', '/api/v1/auth'];
const ID = '0b9f6c2e-4a61-4f0e-9a3c-6f1d2e8b7a55';

describe('forwardablePath', () => {
  it.each([
    ['/api/v1/orders', '/api/v1/orders'],
    ['/api/v1/orders?limit=5', '/api/v1/orders'],
    [`/api/v1/orders/${ID}`, `/api/v1/orders/${ID}`],
    [`/api/v1/orders/${ID}/cancel?x=..%2f..%5c&y=\\..\\`, `/api/v1/orders/${ID}/cancel`],
    ['/api/v1/orders/', '/api/v1/orders/'],
    ['/api/v1/auth/login', '/api/v1/auth/login'],
    ['/api/v1/orders/caf%C3%A9%20cr%C3%A8me', '/api/v1/orders/caf%C3%A9%20cr%C3%A8me'],
    ['/api/v1/orders/v1.2/file.json', '/api/v1/orders/v1.2/file.json'],
    ['/api/v1/orders/a.b%2ec', '/api/v1/orders/a.b%2ec'],
    ["/api/v1/orders/a-b_c~d!$&'()*+,;=:@", "/api/v1/orders/a-b_c~d!$&'()*+,;=:@"],
    ['/api/v1/orders/%3F%23', '/api/v1/orders/%3F%23'],
  ])('forwards the plain path %s as %s', (url, path) => {
    expect(forwardablePath(url, PREFIXES)).toBe(path);
  });

  it.each([
    // backslashes, raw and encoded, and mixed with the other forms
    '/api/v1/orders/x\\..\\..\\metrics',
    '/api/v1/orders/..\\\\..\\\\metrics',
    '/api/v1/orders/x%5c..%5cmetrics',
    '/api/v1/orders/x%5C..%5Cmetrics',
    '/api/v1/orders/..%5cmetrics',
    '/api/v1/orders/%2e%2e%5cmetrics',
    '/api/v1/orders/x\\..%2f..%2fmetrics',
    // encoded slashes
    '/api/v1/orders/x%2f..%2fmetrics',
    '/api/v1/orders/x%2F..%2Fmetrics',
    // double encoding
    '/api/v1/orders/%252e%252e%252fmetrics',
    '/api/v1/orders/x%255cmetrics',
    '/api/v1/orders/100%25',
    // dot segments, in every spelling the URL parser resolves
    '/api/v1/orders/.',
    '/api/v1/orders/./x',
    '/api/v1/orders/%2e/x',
    '/api/v1/orders/..',
    '/api/v1/orders/../x',
    '/api/v1/orders/.%2e/x',
    '/api/v1/orders/%2e./x',
    '/api/v1/orders/%2E%2E/x',
    '/api/v1/orders/x/../../metrics',
    // what reply-from refuses as well: segments starting or ending with ..
    '/api/v1/orders/...',
    '/api/v1/orders/x..',
    '/api/v1/orders/..x',
    // empty segments
    '/api/v1/orders//x',
    '//api/v1/orders',
    '/api/v1/orders/x//',
    // controls, encoded (raw ones never get past the HTTP parser) and raw
    '/api/v1/orders/x%00',
    '/api/v1/orders/x%0d%0aInjected:%201',
    '/api/v1/orders/x%09',
    '/api/v1/orders/x%7F',
    '/api/v1/orders/x%C2%85',
    '/api/v1/orders/x\u0000',
    '/api/v1/orders/x\t',
    // bad escapes and bytes that are not UTF-8
    '/api/v1/orders/x%zz',
    '/api/v1/orders/x%2',
    '/api/v1/orders/x%c0%ae%c0%ae',
    '/api/v1/orders/x%ff',
    // characters outside the path syntax, which the URL parser would rewrite or cut
    '/api/v1/orders/x#/../../metrics',
    '/api/v1/orders/a b',
    '/api/v1/orders/caf\u00e9',
    '/api/v1/orders/{x}',
    '/api/v1/orders/x|y',
    '/api/v1/orders/"x"',
    // outside the prefixes, before or after decoding
    '/api/v1/ordersx',
    '/api/v1/ordersx/..',
    '/api/v1/%6frders/x',
    '/API/v1/orders',
    '/internal/v1/orders',
    '/',
    '',
    '*',
    'api/v1/orders',
    'http://evil.example/api/v1/orders',
  ])('refuses %j', (url) => {
    expect(forwardablePath(url, PREFIXES)).toBeNull();
  });
});
