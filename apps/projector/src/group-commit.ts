/**
 * Group commit with pipelining: items submitted while a commit runs wait and go together in
 * the next one, and the submitter may go on (fetch the next batch) as soon as its item is
 * queued, up to `maxPending` queued weight. Many small per-partition batches thus become few
 * large transactions, without adding latency when the load is light.
 *
 * After a failed commit nothing later may be committed (it would skip over the failed items):
 * the queue is rejected and every submission fails until `reset()`.
 */
export class GroupCommit<Item> {
  private queue: Array<{ item: Item; resolve: () => void; reject: (error: unknown) => void }> = [];
  private pendingWeight = 0;
  private running = false;
  private failure: Error | undefined;
  private roomWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly commit: (items: Item[]) => Promise<void>,
    private readonly weightOf: (item: Item) => number,
    private readonly maxPending: number,
  ) {}

  /** Queues `item`; the returned promise settles when it is committed (or its commit failed). */
  submit(item: Item): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const committed = new Promise<void>((resolve, reject) =>
      this.queue.push({ item, resolve, reject }),
    );
    this.pendingWeight += this.weightOf(item);
    if (!this.running) void this.drain();
    return committed;
  }

  /** Resolves when the queued weight is below the bound again. */
  async room(): Promise<void> {
    while (this.pendingWeight >= this.maxPending && this.failure === undefined) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** Resolves once everything submitted so far is committed or failed. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Clears a failure (after the consumer restarted from the durable offsets). */
  reset(): void {
    this.failure = undefined;
  }

  private async drain(): Promise<void> {
    this.running = true;
    // One turn of the event loop: batches of one fetch are handed over in the same turn, so
    // they all join the first commit instead of the first one going alone.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const group = this.queue.splice(0);
      const items = group.map((entry) => entry.item);
      try {
        await this.commit(items);
        for (const entry of group) entry.resolve();
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        for (const entry of [...group, ...this.queue.splice(0)]) entry.reject(error);
      }
      this.pendingWeight = this.queue.reduce((sum, entry) => sum + this.weightOf(entry.item), 0);
      for (const wake of this.roomWaiters.splice(0)) wake();
    }
    this.running = false;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
