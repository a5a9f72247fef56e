// The shared limiter on its own, on a real database: fixed windows, given-back attempts, and
// counters that two limiters (two replicas) share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { connectDatabase, type Database } from '../db/database.js';
import { createRateLimitStore, type RateLimitStore } from './rate-limit-store.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';

let unique = 0;
const limit = (max: number, windowMs = 60_000) => ({ name: `test-${(unique += 1)}`, max, windowMs });

describe('rate limiter', () => {
  let url: string;
  let databases: Database[];
  let store: RateLimitStore;
  let limiter: RateLimiter;
  beforeAll(async () => {
    url = await createTestDatabase();
    databases = [connectDatabase(url, { max: 2 }), connectDatabase(url, { max: 2 })];
    store = createRateLimitStore(databases[0]!.sql);
    limiter = createRateLimiter(store);
  });
  afterAll(() => Promise.all(databases.map((database) => database.close())));

  const allowed = async (attempt: Promise<{ allowed: boolean }>) => (await attempt).allowed;

  it('lets max attempts through in a window and refuses the next with the whole seconds left', async () => {
    const three = limit(3);
    for (let attempt = 1; attempt <= 3; attempt += 1) expect(await allowed(limiter.attempt('203.0.113.1', [three])), `attempt ${attempt}`).toBe(true);
    const refused = await limiter.attempt('203.0.113.1', [three]);
    expect(refused).toEqual({ allowed: false, limit: three.name, retryAfterSeconds: expect.any(Number) });
    if (refused.allowed) return;
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('lets the client try again once its window has ended', async () => {
    const one = limit(1, 1000);
    expect(await allowed(limiter.attempt('203.0.113.2', [one]))).toBe(true);
    expect(await allowed(limiter.attempt('203.0.113.2', [one]))).toBe(false);
    await waitFor(() => allowed(limiter.attempt('203.0.113.2', [one])), { timeoutMs: 5000, what: 'a new window' });
  });

  it('does not count attempts that were given back', async () => {
    const three = limit(3);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const result = await limiter.attempt('203.0.113.3', [three]);
      expect(result.allowed).toBe(true);
      if (result.allowed) await result.giveBack();
    }
    const results = [];
    for (let attempt = 0; attempt < 4; attempt += 1) results.push(await allowed(limiter.attempt('203.0.113.3', [three])));
    expect(results).toEqual([true, true, true, false]);
  });

  it('counts every client address and subject on its own', async () => {
    const one = limit(1);
    expect(await allowed(limiter.attempt('203.0.113.4', [one]))).toBe(true);
    expect(await allowed(limiter.attempt('203.0.113.4', [one]))).toBe(false);
    expect(await allowed(limiter.attempt('203.0.113.5', [one]))).toBe(true);
    expect(await allowed(limiter.attempt('203.0.113.4', [{ ...one, subject: 'someone@example.com' }]))).toBe(true);
  });

  it('counts a refused attempt against none of its limits', async () => {
    const narrow = limit(1);
    const wide = limit(3);
    expect(await allowed(limiter.attempt('203.0.113.6', [narrow, wide]))).toBe(true);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await limiter.attempt('203.0.113.6', [narrow, wide])).toMatchObject({ allowed: false, limit: narrow.name });
    }
    // The wide limit saw one attempt, not six.
    expect(await allowed(limiter.attempt('203.0.113.6', [wide]))).toBe(true);
    expect(await allowed(limiter.attempt('203.0.113.6', [wide]))).toBe(true);
    expect(await allowed(limiter.attempt('203.0.113.6', [wide]))).toBe(false);
  });

  it('limits a burst of parallel attempts as well as a sequence', async () => {
    const five = limit(5);
    const results = await Promise.all(Array.from({ length: 20 }, () => allowed(limiter.attempt('203.0.113.7', [five]))));
    expect(results.filter(Boolean)).toHaveLength(5);
  });

  it('shares the count between limiters on different connection pools, as replicas are', async () => {
    const other = createRateLimiter(createRateLimitStore(databases[1]!.sql));
    const four = limit(4);
    for (const replica of [limiter, other, limiter, other]) expect(await allowed(replica.attempt('203.0.113.8', [four]))).toBe(true);
    expect(await allowed(limiter.attempt('203.0.113.8', [four]))).toBe(false);
    expect(await allowed(other.attempt('203.0.113.8', [four]))).toBe(false);
  });

  it('treats a max of 0 as no limit', async () => {
    const off = limit(0);
    for (let attempt = 0; attempt < 20; attempt += 1) expect(await allowed(limiter.attempt('203.0.113.9', [off]))).toBe(true);
  });

  it('counts the addresses of one IPv6 /64 as one client', async () => {
    const one = limit(1);
    expect(await allowed(limiter.attempt('2001:db8:1:2::1', [one]))).toBe(true);
    expect(await allowed(limiter.attempt('2001:db8:1:2:ffff::9', [one]))).toBe(false);
    expect(await allowed(limiter.attempt('2001:db8:1:3::1', [one]))).toBe(true);
  });

  it('does not give an attempt back into a window that opened after it', async () => {
    const two = limit(2, 1000);
    const first = await limiter.attempt('203.0.113.10', [two]);
    await waitFor(async () => (await limiter.attempt('203.0.113.10', [two])).allowed && (await query(url, `select 1 from platform.rate_limit_counters where key like $1 and hits = 1`, [`${two.name}|%`])).length > 0, {
      timeoutMs: 5000,
      what: 'a new window',
    });
    if (first.allowed) await first.giveBack();
    expect(await allowed(limiter.attempt('203.0.113.10', [two]))).toBe(true);
    expect(await allowed(limiter.attempt('203.0.113.10', [two]))).toBe(false);
  });

  it('deletes ended windows and keeps current ones', async () => {
    const ending = limit(5, 1000);
    const lasting = limit(5);
    await limiter.attempt('203.0.113.11', [ending, lasting]);
    const keys = async () => (await query<{ key: string }>(url, `select key from platform.rate_limit_counters where key like any($1)`, [[`${ending.name}|%`, `${lasting.name}|%`]])).map((row) => row.key);
    await waitFor(async () => (await store.deleteExpired(1000)) > 0 && (await keys()).length === 1, { timeoutMs: 5000, what: 'the ended window to be deleted' });
    expect(await keys()).toEqual([`${lasting.name}|203.0.113.11`]);
  });
});
