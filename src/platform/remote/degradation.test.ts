import { describe, expect, it } from 'vitest';
import { reportDegraded, trackDegradation } from './degradation.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('degradation tracking', () => {
  it('reports nothing when every call answered', async () => {
    expect(await trackDegradation(async () => 42)).toEqual({ result: 42, degraded: [] });
  });

  it('collects the modules reported anywhere in the scope, across awaits and parallel work, once each', async () => {
    const { result, degraded } = await trackDegradation(async () => {
      await Promise.all([
        (async () => {
          await tick();
          reportDegraded('users');
        })(),
        (async () => {
          reportDegraded('products');
          await tick();
          reportDegraded('users');
        })(),
      ]);
      return 'composed';
    });
    expect(result).toBe('composed');
    expect(degraded).toEqual(['products', 'users']);
  });

  it('keeps concurrent requests apart', async () => {
    const [first, second] = await Promise.all([
      trackDegradation(async () => {
        await tick();
        reportDegraded('users');
      }),
      trackDegradation(async () => {
        await tick();
        reportDegraded('products');
      }),
    ]);
    expect(first.degraded).toEqual(['users']);
    expect(second.degraded).toEqual(['products']);
  });

  it('lets an enclosing scope hear what a nested one reported', async () => {
    const outer = await trackDegradation(async () => {
      const inner = await trackDegradation(async () => reportDegraded('users'));
      return inner.degraded;
    });
    expect(outer).toEqual({ result: ['users'], degraded: ['users'] });
  });

  it('ignores reports made outside any tracked scope', async () => {
    expect(() => reportDegraded('users')).not.toThrow();
    expect((await trackDegradation(async () => null)).degraded).toEqual([]);
  });
});
