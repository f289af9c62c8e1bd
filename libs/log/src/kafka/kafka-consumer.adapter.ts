import type { Batch, Consumer, EachBatchPayload } from 'kafkajs';

import {
  LogUnavailableError,
  type BatchHandler,
  type ConsumedBatch,
  type EventLogConsumer,
} from '../event-log.port';
import { createKafka, type KafkaClientOptions } from './kafka-client';

/** Options of {@link KafkaEventLogConsumer}. */
export interface KafkaEventLogConsumerOptions extends KafkaClientOptions {
  readonly topic: string;
  readonly groupId: string;
  /** How long a fetch waits for data: the latency floor of an idle consumer. */
  readonly maxWaitTimeInMs: number;
  /**
   * Bytes fetched per partition and request (default 4 MiB). The handler runs one
   * database transaction per batch, so large batches are what gives throughput.
   */
  readonly maxBytesPerPartition?: number;
  /** Bytes fetched per request over all partitions (default 50 MiB). */
  readonly maxBytes?: number;
  readonly sessionTimeout?: number;
  readonly heartbeatInterval?: number;
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Called when the consumer stops for good: the handler threw an error that is not
   * retriable (a TypeError, say), or Kafka refused something that retrying cannot fix.
   * Retriable failures are retried, then the consumer restarts by itself. Default: log it.
   */
  readonly onCrash?: (error: Error) => void;
}

const MiB = 1024 * 1024;

/**
 * Consumes a topic in a consumer group, one batch per partition at a time, in offset order.
 * The handler applies a batch durably and records its offsets itself (in Postgres, with the
 * projection); only after it resolves is the batch marked consumed here, so Kafka's committed
 * offset is just a starting hint. A rejected batch is delivered again, from its first message.
 */
export class KafkaEventLogConsumer implements EventLogConsumer {
  private consumer: Consumer | undefined;

  constructor(private readonly options: KafkaEventLogConsumerOptions) {}

  async start(handler: BatchHandler): Promise<void> {
    if (this.consumer) throw new Error('KafkaEventLogConsumer is already started');
    const options = this.options;
    const consumer = createKafka(options).consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: options.maxWaitTimeInMs,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 4 * MiB,
      maxBytes: options.maxBytes ?? 50 * MiB,
      sessionTimeout: options.sessionTimeout,
      heartbeatInterval: options.heartbeatInterval,
      retry: options.retry ? { ...options.retry } : undefined,
    });
    this.consumer = consumer;
    const onCrash = options.onCrash ?? logCrash(options);
    // After a rejoin every in-flight commit of the old generation fails: one line per 10 s.
    const commitWarnings = new ThrottledWarning(10_000);
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) onCrash(event.payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
      await consumer.run({
        eachBatchAutoResolve: false,
        // Offsets are committed by batch.commit(), once the handler has made a batch durable.
        autoCommit: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
        eachBatch: (payload) => consumeBatch(payload, handler, consumer, options, commitWarnings),
      });
    } catch (error) {
      this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      throw new LogUnavailableError(
        `Kafka consumer of ${options.topic} (group ${options.groupId}) could not start: ${message}`,
        error,
      );
    }
  }

  /**
   * Pauses fetching, lets `drain` finish while still a group member (so its commits go
   * through), then leaves the group.
   */
  async stop(drain?: () => Promise<void>): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (!consumer) return;
    try {
      if (drain) {
        consumer.pause([{ topic: this.options.topic }]);
        await drain();
      }
    } finally {
      await consumer.disconnect();
    }
  }
}

async function consumeBatch(
  payload: EachBatchPayload,
  handler: BatchHandler,
  consumer: Consumer,
  options: KafkaEventLogConsumerOptions,
  commitWarnings: ThrottledWarning,
): Promise<void> {
  const { batch } = payload;
  // Stale: the partition was sought or reassigned since this batch was fetched.
  if (!payload.isRunning() || payload.isStale()) return;
  // A rejection propagates: kafkajs retries, fetching again from the last resolved offset.
  await handler(toConsumedBatch(batch, consumer, options, commitWarnings));
  if (payload.isStale()) return;
  // Resolved (so the next fetch goes on) but not committed: batch.commit() does that.
  payload.resolveOffset(batch.lastOffset());
  await payload.heartbeat();
}

function toConsumedBatch(
  batch: Batch,
  consumer: Consumer,
  options: KafkaEventLogConsumerOptions,
  commitWarnings: ThrottledWarning,
): ConsumedBatch {
  const next = (BigInt(batch.lastOffset()) + 1n).toString();
  return {
    topic: batch.topic,
    partition: batch.partition,
    highWatermark: batch.highWatermark,
    messages: batch.messages.map((message) => ({
      offset: message.offset,
      key: message.key == null ? null : message.key.toString('utf8'),
      value: message.value,
      timestamp: message.timestamp,
    })),
    // The committed offset is only where a restarted consumer starts; the handler skips what
    // it already applied, so a failed commit costs a re-read, never a loss.
    commit: () =>
      consumer
        .commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }])
        .catch((error: unknown) =>
          commitWarnings.write(
            `offset commit of ${options.topic}[${batch.partition}] failed (the batch will be re-read and skipped after a restart): ${error instanceof Error ? error.message : String(error)}`,
          ),
        ),
  };
}

/** A warning written at most once per interval, saying how many like it were held back. */
class ThrottledWarning {
  private lastAt = 0;
  private heldBack = 0;

  constructor(private readonly intervalMs: number) {}

  write(message: string, now = Date.now()): void {
    if (now - this.lastAt < this.intervalMs) {
      this.heldBack++;
      return;
    }
    const more =
      this.heldBack > 0 ? ` (and ${this.heldBack} more since the last such warning)` : '';
    this.lastAt = now;
    this.heldBack = 0;
    process.stderr.write(
      `${JSON.stringify({ level: 'WARN', logger: 'KafkaEventLogConsumer', message: `${message}${more}` })}\n`,
    );
  }
}

function logCrash(options: KafkaEventLogConsumerOptions): (error: Error) => void {
  return (error) =>
    process.stderr.write(
      `${JSON.stringify({
        level: 'ERROR',
        logger: 'KafkaEventLogConsumer',
        message: `consumer of ${options.topic} (group ${options.groupId}) stopped: ${error.message}`,
        stack: error.stack,
      })}\n`,
    );
}
