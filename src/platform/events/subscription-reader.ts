// When one subscription reads its next batch: at once when woken (a commit of one of its event
// types, in this process or announced by another, or the bus's poll finding events waiting for
// it), and again straight away while batches come back full. Wake-ups that arrive while a batch
// is being applied fold into one more read, so a burst of commits costs a few reads, not one each.
import type { Logger } from '../logging/logger.js';

export interface SubscriptionReaderOptions {
  /** Reads and applies one batch; resolves to whether it was full (more may be waiting). */
  readBatch(): Promise<boolean>;
  logger: Pick<Logger, 'warn'>;
}

export class SubscriptionReader {
  readonly #options: SubscriptionReaderOptions;
  #again = false;
  #draining: Promise<void> | null = null;
  #stopped = false;

  constructor(options: SubscriptionReaderOptions) {
    this.#options = options;
  }

  wake(): void {
    this.#again = true;
    if (this.#draining || this.#stopped) return;
    this.#draining = this.#drain();
  }

  /** Stops reading; resolves when the batch being applied (if any) has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#again && !this.#stopped) {
        this.#again = false;
        if (await this.#options.readBatch()) this.#again = true;
      }
    } catch (error) {
      // The database is away, say: the bus's next poll tries again, rather than spinning now.
      this.#options.logger.warn({ err: error }, 'reading a batch of events failed; the next poll tries again');
    } finally {
      this.#draining = null;
    }
  }
}
