// The instances of one remote module, taken in turn. Health is checked passively: nobody polls the
// instances; a request that fails on one takes it out for a cooldown, after which real traffic
// tries it again. That keeps the gateway free of probe traffic and background timers, at the cost
// of one failed request per instance per cooldown while it stays down.

export const DEFAULT_COOLDOWN_MS = 10_000;

export interface UpstreamPoolOptions {
  /** How long an instance that failed is left out before it is tried again. */
  cooldownMs?: number;
  /** Milliseconds clock; tests pass their own to step past the cooldown without sleeping. */
  now?: () => number;
}

export class UpstreamPool {
  readonly urls: readonly string[];
  private readonly cooldownMs: number;
  private readonly now: () => number;
  /** Instance → time it may be tried again; absent means healthy. */
  private readonly downUntil = new Map<string, number>();
  private cursor = 0;

  constructor(urls: readonly string[], options: UpstreamPoolOptions = {}) {
    if (urls.length === 0) throw new Error('An upstream pool needs at least one URL');
    this.urls = [...urls];
    this.cooldownMs = options.cooldownMs ?? DEFAULT_COOLDOWN_MS;
    this.now = options.now ?? Date.now;
  }

  /** The next instance in round-robin order that is not marked down, or null when all are. */
  pick(): string | null {
    const now = this.now();
    for (let step = 0; step < this.urls.length; step++) {
      const index = (this.cursor + step) % this.urls.length;
      const url = this.urls[index]!;
      if (this.isUp(url, now)) {
        this.cursor = (index + 1) % this.urls.length;
        return url;
      }
    }
    return null;
  }

  /** Whether pick() would return an instance; does not move the round-robin cursor. */
  hasAvailable(): boolean {
    const now = this.now();
    return this.urls.some((url) => this.isUp(url, now));
  }

  /** Leaves the instance out of pick() for the cooldown, counted from now. */
  markFailed(url: string): void {
    this.downUntil.set(url, this.now() + this.cooldownMs);
  }

  private isUp(url: string, now: number): boolean {
    const until = this.downUntil.get(url);
    if (until === undefined) return true;
    if (until > now) return false;
    this.downUntil.delete(url);
    return true;
  }
}
