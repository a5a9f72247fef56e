// The last good answer to each recent idempotent call, to stand in while the remote module is
// down: a slightly stale product name beats an error page. Bounded, oldest first out, so a stream
// of distinct calls cannot grow memory without limit.
export class LastGoodAnswers {
  readonly #capacity: number;
  // A Map iterates in insertion order; re-inserting on every write keeps the oldest first.
  readonly #answers = new Map<string, unknown>();

  constructor(capacity = 500) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#answers.size;
  }

  remember(key: string, answer: unknown): void {
    this.#answers.delete(key);
    this.#answers.set(key, structuredClone(answer));
    while (this.#answers.size > this.#capacity) {
      const oldest = this.#answers.keys().next();
      if (oldest.done) break;
      this.#answers.delete(oldest.value);
    }
  }

  // Copies in and out: a caller that edits its answer must not edit the next caller's.
  recall(key: string): { answer: unknown } | undefined {
    if (!this.#answers.has(key)) return undefined;
    return { answer: structuredClone(this.#answers.get(key)) };
  }
}
