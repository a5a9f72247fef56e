// When one subscription reads its next batch: at once when woken (a commit of one of its event
// types, in this process or announced by another), again straight away while batches come back
// full, and every polling interval as the safety net (a lost notification, a rewind, a hand-over
// from a process that died). Wake-ups that arrive while a batch is being applied fold into one more
// read, so a burst of commits costs a few reads, not one each.
import type { Logger } from '../logging/logger.js';

export interface SubscriptionReaderOptions {
  /** Reads and applies one batch; resolves to whether it was full (more may be waiting). */
  readBatch(): Promise<boolean>;
  pollingIntervalMs: number;
  logger: Pick<Logger, 'warn'>;
}

export class SubscriptionReader {
  readonly #options: SubscriptionReaderOptions;
  #again = false;
  #draining: Promise<void> | null = null;
  #poller: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: SubscriptionReaderOptions) {
    this.#options = options;
  }

  start(): void {
    this.#poller = setInterval(() => this.wake(), this.#options.pollingIntervalMs);
    this.#poller.unref();
    this.wake();
  }

  wake(): void {
    this.#again = true;
    if (this.#draining || this.#stopped) return;
    this.#draining = this.#drain();
  }

  /** Stops reading; resolves when the batch being applied (if any) has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#poller);
    await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#again && !this.#stopped) {
        this.#again = false;
        if (await this.#options.readBatch()) this.#again = true;
      }
    } catch (error) {
      // The database is away, say: the next poll tries again, rather than spinning now.
      this.#options.logger.warn({ err: error }, 'reading a batch of events failed; the next poll tries again');
    } finally {
      this.#draining = null;
    }
  }
}
