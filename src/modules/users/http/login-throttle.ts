// Failed sign-ins per key (client address and account) in a fixed window. Only failures count, so
// someone who knows the password is never slowed down, while guessing one account's password is.
// An attempt is counted when it starts and given back when it was not a wrong guess: a burst of
// parallel guesses is limited as well as a sequence. The count lives in this process.
export interface LoginThrottle {
  /** Counts an attempt for `key`; 0 when it may go ahead, else whole seconds until it may. */
  attempt(key: string): number;
  /** Gives back an attempt that turned out not to be a wrong email or password. */
  forgive(key: string): void;
}

export function createLoginThrottle(options: { max: number; windowMs: number; now?: () => number }): LoginThrottle {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { attempts: number; endsAt: number }>();
  let nextSweep = 0;

  const currentWindow = (key: string, at: number) => {
    const window = windows.get(key);
    return window && window.endsAt > at ? window : null;
  };

  // Forget ended windows once per window length, so many keys do not pile up.
  const sweep = (at: number) => {
    if (at < nextSweep) return;
    for (const [key, window] of windows) if (window.endsAt <= at) windows.delete(key);
    nextSweep = at + options.windowMs;
  };

  return {
    attempt(key) {
      const at = now();
      sweep(at);
      const window = currentWindow(key, at);
      if (!window) {
        windows.set(key, { attempts: 1, endsAt: at + options.windowMs });
        return 0;
      }
      if (window.attempts >= options.max) return Math.max(1, Math.ceil((window.endsAt - at) / 1000));
      window.attempts += 1;
      return 0;
    },
    forgive(key) {
      const window = currentWindow(key, now());
      if (window && window.attempts > 0) window.attempts -= 1;
    },
  };
}
