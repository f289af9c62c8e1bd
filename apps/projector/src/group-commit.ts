/**
 * Group commit: batches submitted while a commit is running wait and then go together in
 * the next one. With several partitions consumed concurrently this turns many small per-
 * partition batches into one transaction, without adding latency when the load is light.
 */
export class GroupCommit<Item> {
  private queue: Array<{ item: Item; resolve: () => void; reject: (error: unknown) => void }> = [];
  private running = false;

  constructor(private readonly commit: (items: Item[]) => Promise<void>) {}

  /** Resolves once `item` is committed; rejects (with its whole group) if the commit fails. */
  submit(item: Item): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    // One turn of the event loop: batches of one fetch are handed over in the same turn, so
    // they all join the first commit instead of the first one going alone.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const group = this.queue.splice(0);
      try {
        await this.commit(group.map((entry) => entry.item));
        for (const entry of group) entry.resolve();
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
    this.running = false;
  }
}
