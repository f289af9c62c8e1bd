/**
 * The log port: where accepted events are appended and where the projector reads them.
 * Two adapters implement it (Kafka via kafkajs; an embedded Postgres table). Nothing outside
 * libs/log knows which one runs, so a maintained Kafka client can replace kafkajs here alone.
 */

/** One event to append: key = the event's subject (keeps a subject's order), value = its JSON. */
export interface LogRecord {
  readonly key: string;
  readonly value: string;
}

export interface EventLogProducer {
  /**
   * Appends all records durably (Kafka: acks from all in-sync replicas, idempotent producer;
   * embedded: committed). Resolves only then; rejects with LogUnavailableError otherwise.
   */
  append(records: readonly LogRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumedMessage {
  /** Offset within the partition, as a decimal string (Kafka offsets are 64-bit). */
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  /** When the log stored it, epoch milliseconds as a string (Kafka's timestamp). */
  readonly timestamp: string;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  /** The offset the next appended message will get: lag = highWatermark - 1 - last applied. */
  readonly highWatermark: string;
  readonly messages: readonly ConsumedMessage[];
  /**
   * Tells the log that this batch is durably applied, so that a restarted consumer starts
   * after it (Kafka: commits the group offset). Call it only once the batch is durable; the
   * log's offset is then never ahead of what was applied. Never rejects; failures are logged.
   */
  commit(): Promise<void>;
}

/**
 * Called with each batch. Resolving lets the consumer fetch on (the handler may still be
 * applying the batch: it owns durability and calls `batch.commit()` when done); rejecting
 * makes the consumer deliver the batch again.
 */
export type BatchHandler = (batch: ConsumedBatch) => Promise<void>;

export interface EventLogConsumer {
  /** Starts consuming; batches of one partition arrive in offset order, one at a time. */
  start(handler: BatchHandler): Promise<void>;
  /**
   * Stops fetching, waits for `drain` (work still in flight, which may yet call
   * `batch.commit()`), then disconnects.
   */
  stop(drain?: () => Promise<void>): Promise<void>;
}

/** Where a partition's messages start and end now: lag is measured against these. */
export interface PartitionEnds {
  readonly topic: string;
  readonly partition: number;
  /** First offset still in the log. */
  readonly lowWatermark: string;
  /** Offset the next message will get. */
  readonly highWatermark: string;
}

/** The log cannot take or give messages right now (broker down, database down): retriable. */
export class LogUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'LogUnavailableError';
  }
}

/**
 * The log refused the records themselves (Kafka: too large, invalid, not authorised): an
 * outage it is not, and sending the same append again cannot succeed. Nothing was accepted.
 */
export class LogRefusedError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'LogRefusedError';
  }
}
