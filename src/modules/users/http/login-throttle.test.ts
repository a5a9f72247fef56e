// The failed sign-in counter on its own, with a clock the test moves.
import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.js';

function throttleAt(start = 1_000_000) {
  const clock = { now: start };
  const throttle = createLoginThrottle({ max: 3, windowMs: 60_000, now: () => clock.now });
  return { throttle, clock };
}

describe('login throttle', () => {
  it('lets max attempts through in a window and refuses the next with the seconds left', () => {
    const { throttle, clock } = throttleAt();
    expect([throttle.attempt('k'), throttle.attempt('k'), throttle.attempt('k')]).toEqual([0, 0, 0]);
    clock.now += 15_500;
    expect(throttle.attempt('k')).toBe(45);
  });

  it('lets the key try again once its window has ended', () => {
    const { throttle, clock } = throttleAt();
    for (let i = 0; i < 3; i += 1) throttle.attempt('k');
    clock.now += 60_000;
    expect(throttle.attempt('k')).toBe(0);
  });

  it('does not count forgiven attempts', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 10; i += 1) {
      expect(throttle.attempt('k')).toBe(0);
      throttle.forgive('k');
    }
    expect([throttle.attempt('k'), throttle.attempt('k'), throttle.attempt('k'), throttle.attempt('k')]).toEqual([0, 0, 0, 60]);
  });

  it('counts every key on its own', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 3; i += 1) throttle.attempt('a');
    expect(throttle.attempt('a')).toBe(60);
    expect(throttle.attempt('b')).toBe(0);
  });

  it('never answers less than one second while refusing', () => {
    const { throttle, clock } = throttleAt();
    for (let i = 0; i < 3; i += 1) throttle.attempt('k');
    clock.now += 59_999;
    expect(throttle.attempt('k')).toBe(1);
  });
});
