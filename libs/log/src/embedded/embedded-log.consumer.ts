import type { Pool } from 'pg';
import type { BatchHandler, ConsumedBatch, EventLogConsumer } from '../event-log.port';

export const EMBEDDED_TOPIC = 'embedded';

export interface EmbeddedConsumerOptions {
  groupId: string;
  batchSize: number;
  /** How often to look for appends made by other processes. */
  pollIntervalMs: number;
  /** Backoff after a failed batch, doubled up to 30 s. */
  retryDelayMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Reads the `embedded_log` table as one partition. Its committed offset is the one the
 * projector stores with its projection (consumer_offsets), so it resumes exactly there.
 */
export class EmbeddedEventLogConsumer implements EventLogConsumer {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly options: EmbeddedConsumerOptions,
  ) {}

  /** Called by the in-process producer so that new appends are read at once. */
  notify(): void {
    this.wake?.();
  }

  async start(handler: BatchHandler): Promise<void> {
    this.running = true;
    this.loop = this.consume(handler);
  }

  async stop(drain?: () => Promise<void>): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await drain?.();
  }

  private async consume(handler: BatchHandler): Promise<void> {
    let cursor: string | undefined;
    let retryDelay = this.options.retryDelayMs ?? 100;
    while (this.running) {
      try {
        cursor ??= await this.committedOffset();
        const batch = await this.read(cursor);
        if (batch.messages.length === 0) {
          await this.idle(this.options.pollIntervalMs);
          continue;
        }
        await handler(batch);
        cursor = batch.messages[batch.messages.length - 1].offset;
        retryDelay = this.options.retryDelayMs ?? 100;
      } catch (error) {
        this.options.onError?.(error);
        cursor = undefined; // re-read the committed offset: the failed batch is retried
        await this.idle(retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30_000);
      }
    }
  }

  private async committedOffset(): Promise<string> {
    const { rows } = await this.pool.query<{ last_offset: string }>(
      `SELECT last_offset FROM consumer_offsets WHERE group_id = $1 AND log_topic = $2 AND log_partition = 0`,
      [this.options.groupId, EMBEDDED_TOPIC],
    );
    return rows[0]?.last_offset ?? '0';
  }

  private async read(after: string): Promise<ConsumedBatch> {
    const { rows } = await this.pool.query<{
      position: string;
      key: string;
      value: string;
      appended_at: Date;
      high: string;
    }>(
      `SELECT position, key, value, appended_at, (SELECT max(position) + 1 FROM embedded_log) AS high
       FROM embedded_log WHERE position > $1 ORDER BY position LIMIT $2`,
      [after, this.options.batchSize],
    );
    return {
      topic: EMBEDDED_TOPIC,
      partition: 0,
      highWatermark: rows[0]?.high ?? String(BigInt(after) + 1n),
      // The embedded log's committed offset is the projector's stored one (consumer_offsets).
      commit: async () => undefined,
      messages: rows.map((row) => ({
        offset: row.position,
        key: row.key,
        value: Buffer.from(row.value, 'utf8'),
        timestamp: String(row.appended_at.getTime()),
      })),
    };
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
