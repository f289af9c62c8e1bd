import { KafkaJSProtocolError, Partitioners, type Producer } from 'kafkajs';

import {
  LogRefusedError,
  LogUnavailableError,
  type EventLogProducer,
  type LogRecord,
} from '../event-log.port';
import { createKafka, type KafkaClientOptions, type KafkaRetryOptions } from './kafka-client';

/** Options of {@link KafkaEventLogProducer}. */
export interface KafkaEventLogProducerOptions extends KafkaClientOptions {
  readonly topic: string;
  /**
   * Retries of one append before it rejects (default 5 retries, 300 ms doubling: an append
   * against an unreachable cluster rejects after roughly 10-20 s).
   */
  readonly retry?: KafkaRetryOptions;
}

const defaultRetry: KafkaRetryOptions = { retries: 5, initialRetryTime: 300, maxRetryTime: 5000 };

/**
 * Appends records to a Kafka topic with an idempotent producer (acks from all in-sync
 * replicas), partitioned by key with murmur2 like the Java client, so a subject always lands
 * in the same partition whichever client produced it. One append is one `send`.
 */
export class KafkaEventLogProducer implements EventLogProducer {
  private connecting: Promise<Producer> | undefined;
  private closed = false;

  constructor(private readonly options: KafkaEventLogProducerOptions) {}

  async append(records: readonly LogRecord[]): Promise<void> {
    if (records.length === 0) return;
    const connecting = this.connect();
    const producer = await connecting;
    try {
      await producer.send({
        topic: this.options.topic,
        acks: -1,
        messages: records.map((record) => ({ key: record.key, value: record.value })),
      });
    } catch (error) {
      // A failed send may still have been written. Its sequence numbers would be reused by
      // the next send and a broker could drop that one as a duplicate: start over with a new
      // producer id instead. Duplicates from a retried append are removed by event id.
      await this.discard(connecting);
      throw classify(error, `append of ${records.length} records to ${this.options.topic}`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.connecting) await this.discard(this.connecting);
  }

  private connect(): Promise<Producer> {
    if (this.closed) {
      return Promise.reject(new LogUnavailableError('Kafka producer is closed'));
    }
    if (!this.connecting) {
      const connecting = this.openProducer();
      this.connecting = connecting;
      // A failed connection is not cached: the next append tries again.
      connecting.catch(() => {
        if (this.connecting === connecting) this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  private async openProducer(): Promise<Producer> {
    const retry = { ...defaultRetry, ...this.options.retry };
    const producer = createKafka({ ...this.options, retry }).producer({
      idempotent: true,
      // kafkajs serialises the produce requests of an idempotent producer per broker itself,
      // so no connection-wide maxInFlightRequests limit is needed (it would also queue
      // metadata requests behind produce requests).
      createPartitioner: Partitioners.DefaultPartitioner,
      retry,
    });
    try {
      await producer.connect();
      return producer;
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw classify(error, `connection to ${this.options.brokers.join(',')}`);
    }
  }

  private async discard(connecting: Promise<Producer>): Promise<void> {
    if (this.connecting === connecting) this.connecting = undefined;
    const producer = await connecting.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }
}

/**
 * Kafka refusing the records themselves (too large, not authorised, invalid) is not an
 * outage: retrying the same append cannot succeed, so it is not a LogUnavailableError. It is
 * a LogRefusedError, so that callers can tell it from a bug (the API answered a bare 500).
 */
function classify(error: unknown, what: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const refusal = causes(error).find(
    (cause): cause is KafkaJSProtocolError =>
      cause instanceof KafkaJSProtocolError && cause.retriable === false,
  );
  if (refusal) {
    return new LogRefusedError(`Kafka refused the ${what} (${refusal.type}): ${message}`, error);
  }
  return new LogUnavailableError(`Kafka ${what} failed: ${message}`, error);
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current != null && chain.length < 10;) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
