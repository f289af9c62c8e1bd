/** Thrown to a reader whose queue overflowed: it fell too far behind and is cut off. */
export class QueueOverflowError extends Error {}

/**
 * A single-reader async queue: what is pushed while the reader is busy waits here, up to
 * `limit` items; past it the queue fails (the reader's next read throws `overflow`) instead of
 * growing or making the writer wait, so one slow reader never slows anyone else.
 */
export class BoundedQueue<Item> implements AsyncIterable<Item> {
  private readonly items: Item[] = [];
  private head = 0;
  private failure: Error | null = null;
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly limit: number,
    private readonly overflow: () => Error,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; false if the queue has failed or ended (the item is dropped). */
  push(item: Item): boolean {
    if (this.failure || this.ended) return false;
    if (this.length >= this.limit) {
      this.fail(this.overflow());
      return false;
    }
    this.items.push(item);
    this.signal();
    return true;
  }

  /**
   * Adds items that arrived together. The bound applies to what was already waiting: a reader
   * that keeps up takes any burst, one that left more than `limit` items unread fails.
   */
  pushAll(items: readonly Item[]): boolean {
    if (this.failure || this.ended) return false;
    if (this.length > this.limit) {
      this.fail(this.overflow());
      return false;
    }
    for (const item of items) this.items.push(item);
    if (items.length > 0) this.signal();
    return true;
  }

  /** The reader gets `error` once it has read nothing more: at its next read. */
  fail(error: Error): void {
    if (this.failure || this.ended) return;
    this.failure = error;
    this.items.length = 0;
    this.head = 0;
    this.signal();
  }

  /** No more items: the reader finishes after the queued ones. */
  end(): void {
    this.ended = true;
    this.signal();
  }

  /** No more items, and the queued ones are dropped: the reader finishes now. */
  close(): void {
    this.items.length = 0;
    this.head = 0;
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.length > 0) {
        const item = this.items[this.head++];
        // Compact now and then, so a long-lived queue does not keep what it has handed out.
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items.splice(0, this.head);
          this.head = 0;
        }
        yield item;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
