import { describe, expect, it } from 'vitest';
import { UpstreamPool } from './upstream-pool.js';

const A = 'http://a:3001';
const B = 'http://b:3002';
const C = 'http://c:3003';

function manualClock(start = 1_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe('upstream pool', () => {
  it('takes the instances in turn', () => {
    const pool = new UpstreamPool([A, B, C]);
    expect(Array.from({ length: 7 }, () => pool.pick())).toEqual([A, B, C, A, B, C, A]);
  });

  it('skips an instance marked failed and keeps rotating over the others', () => {
    const pool = new UpstreamPool([A, B, C]);
    pool.markFailed(B);
    expect(Array.from({ length: 4 }, () => pool.pick())).toEqual([A, C, A, C]);
  });

  it('returns null when every instance is marked failed', () => {
    const pool = new UpstreamPool([A, B]);
    pool.markFailed(A);
    pool.markFailed(B);
    expect(pool.pick()).toBeNull();
    expect(pool.hasAvailable()).toBe(false);
  });

  it('tries a failed instance again once the cooldown has passed, not before', () => {
    const clock = manualClock();
    const pool = new UpstreamPool([A, B], { cooldownMs: 5_000, now: clock.now });
    pool.markFailed(A);

    clock.advance(4_999);
    expect([pool.pick(), pool.pick()]).toEqual([B, B]);

    clock.advance(1);
    expect(new Set([pool.pick(), pool.pick()])).toEqual(new Set([A, B]));
  });

  it('uses a ten second cooldown by default', () => {
    const clock = manualClock();
    const pool = new UpstreamPool([A], { now: clock.now });
    pool.markFailed(A);
    clock.advance(9_999);
    expect(pool.pick()).toBeNull();
    clock.advance(1);
    expect(pool.pick()).toBe(A);
  });

  it('counts the cooldown from the latest failure', () => {
    const clock = manualClock();
    const pool = new UpstreamPool([A], { cooldownMs: 1_000, now: clock.now });
    pool.markFailed(A);
    clock.advance(600);
    pool.markFailed(A);
    clock.advance(600);
    expect(pool.pick()).toBeNull();
    clock.advance(400);
    expect(pool.pick()).toBe(A);
  });

  it('reports availability without moving the rotation', () => {
    const pool = new UpstreamPool([A, B]);
    expect(pool.hasAvailable()).toBe(true);
    expect(pool.hasAvailable()).toBe(true);
    expect(pool.pick()).toBe(A);
  });

  it('refuses an empty list of instances', () => {
    expect(() => new UpstreamPool([])).toThrow(/at least one URL/);
  });
});
